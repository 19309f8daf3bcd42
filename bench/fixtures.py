"""What the benchmark opens: users for the largest and a small municipality (created once), and
the pages to time. Runs inside Django (after django.setup())."""

from django.utils import timezone

from accounts.models import Membership, Role, User
from assessment.models import Assessment
from directory.models import Organisation
from handover.models import HandoverMessage
from pathway import worklists
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from patients.models import Patient

Kind = Organisation.Kind


def _user(username, organisation, role=Role.MUNICIPAL_COORDINATOR):
    user, _created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def frame_user():
    """A signed-in user whose start page shows no work (an analyst: not a clinical role, not an
    organisation admin): the session, the user, the memberships and the frame, no patient data.
    Its start page is the floor of any page behind sign-in (bench/targets.py)."""
    largest, _small = _municipalities()
    return _user("bench.frame", largest, Role.ANALYST)


def _municipalities():
    """The largest municipality, and the smallest with a point on its worklist today (an empty
    list skips its page query, which would compare unlike with like)."""
    municipalities = Organisation.objects.filter(kind=Kind.MUNICIPALITY, population__isnull=False)
    largest = municipalities.order_by("-population").first()
    today = timezone.localdate()
    small = next(m for m in municipalities.order_by("population") if worklists.open_points(m, today).exists())
    return largest, small


def pages():
    largest, small = _municipalities()
    big_user, small_user = _user("bench.largest", largest), _user("bench.small", small)
    assessed = (
        Assessment.objects.filter(completed_at__isnull=False, point__enrolment__patient__municipality=largest)
        .select_related("point__enrolment__patient")
        .order_by("-point__enrolment__diagnosis_date")
        .first()
    )
    enrolment = assessed.point.enrolment
    return [
        (f"worklist of {largest.name} (largest)", big_user, "/pathway/worklist/"),
        (f"worklist of {small.name} (small)", small_user, "/pathway/worklist/"),
        ("one patient: the patient page", big_user, f"/patients/{enrolment.patient.public_id}/"),
        ("one patient: the pathway with its timeline", big_user, f"/pathway/enrolments/{enrolment.public_id}/"),
        ("one patient: a completed assessment", big_user, f"/assessment/points/{assessed.point.public_id}/"),
        ("handover messages of the largest municipality", big_user, "/handover/"),
    ]


def session_cookie(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def describe():
    counts = {
        "patients": Patient.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "points": CollaborationPoint.objects.count(),
        "timeline events": PathwayEvent.objects.count(),
        "handover messages": HandoverMessage.objects.count(),
    }
    return ", ".join(f"{n:,} {what}".replace(",", " ") for what, n in counts.items())


def environment():
    """What the figures were measured on: cores, the database server and its memory, data size."""
    import os

    from django.db import connection

    facts = [f"{os.cpu_count()} cores"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            version, buffers, size = cursor.fetchone()
            facts += [f"PostgreSQL {version}", f"shared_buffers {buffers}", f"database {size}"]
        else:
            cursor.execute("SELECT sqlite_version()")
            facts.append(f"SQLite {cursor.fetchone()[0]}")
            facts.append(f"database {os.path.getsize(connection.settings_dict['NAME']) / 2**30:.1f} GB")
    return ", ".join(facts)
