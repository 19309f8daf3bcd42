"""A list page's audit entries (record_many): one per patient shown, each complete, in one statement."""

import uuid

from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.actor import Actor
from accounts.models import Membership
from audit.models import AuditEntry
from audit.services import record_many


def test_each_patient_gets_a_complete_entry_in_one_statement(personas):
    user = personas["coordinator"]
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    shown = [uuid.uuid4() for _ in range(3)]
    request = RequestFactory().get("/pathway/worklist/", REMOTE_ADDR="192.0.2.7")

    with CaptureQueriesContext(connection) as queries:
        record_many(actor, AuditEntry.Action.LIST, shown, detail="worklist", request=request)
    assert len([q for q in queries if "INSERT INTO" in q["sql"]]) == 1

    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.patient_public_id for e in entries] == shown
    for entry in entries:
        assert (entry.user, entry.username, entry.organisation, entry.role) == (
            user,
            "coordinator",
            actor.organisation,
            actor.role,
        )
        assert (entry.action, entry.object_type, entry.detail) == ("list", "patient", "worklist")
        assert (entry.ip_address, entry.emergency, entry.reason, entry.client) == ("192.0.2.7", False, "", "")
        assert entry.occurred_at is not None


def test_an_empty_list_writes_nothing(personas):
    user = personas["coordinator"]
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    record_many(actor, AuditEntry.Action.LIST, [], detail="worklist")
    assert not AuditEntry.objects.exists()
