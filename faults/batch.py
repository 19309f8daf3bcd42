"""Scenario (a)'s batch: complete collaboration points through the service layer in a process of
its own, as the hospital's nurse, all in one transaction, so that the whole batch of messages
reaches the outbox at once.

    python -m faults.batch TASKS.json

It runs with the dummy task backend, so no outbox run is queued for these messages: the batch is
left to what the worker does by itself (its outbox sweep) and to the one run the harness queues."""

import json
import sys

import django


def complete(tasks):
    from django.db import transaction

    from accounts.actor import Actor
    from accounts.models import Membership
    from pathway import services
    from pathway.models import CollaborationPoint

    membership = Membership.objects.select_related("user", "organisation").get(user__username="faults.nurse")
    actor = Actor(user=membership.user, membership=membership)
    done = []
    with transaction.atomic():
        for point in CollaborationPoint.objects.filter(public_id__in=tasks).select_related("enrolment__patient"):
            services.close_point(actor, point, CollaborationPoint.Outcome.COMPLETED, reason="Fault injection run")
            done.append(str(point.public_id))
    return done


if __name__ == "__main__":
    django.setup()
    with open(sys.argv[1]) as file:
        tasks = json.load(file)
    print(json.dumps(complete(tasks)))
