"""The pages a whole country uses make the same number of queries however much data lies behind
them: measured on a small national data set (generate_national), the largest municipality against
a small one, and the busiest patient against a quiet one (`make bench` does the same at full scale)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from assessment.models import Assessment
from conftest import make_user
from directory.models import Organisation
from handover.models import HandoverMessage
from pathway import worklists
from pathway.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    """A year of a small country up to today (so that every worklist list has rows)."""
    options = {"years": 1, "scale": 0.03, "seed": 11, "end_date": timezone.localdate().isoformat()}
    call_command("generate_national", **options, no_progress=True, stdout=StringIO(), stderr=StringIO())


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def municipal_client(client, municipality):
    username = f"coordinator-{municipality.pk}"
    user = User.objects.filter(username=username).first() or make_user(
        username, municipality, Role.MUNICIPAL_COORDINATOR
    )
    client.force_login(user)
    return client


def test_the_municipal_worklist_makes_as_many_queries_for_oslo_as_for_a_small_municipality(country, client):
    today = timezone.localdate()
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("population")
    oslo = municipalities.get(name="Oslo")
    # The smallest municipality with a point on its worklist today (an empty list skips its page).
    small = next(m for m in municipalities if worklists.open_points(m, today).exists())
    # The two lists differ in size, not in the queries they need.
    assert worklists.open_points(oslo, today).count() > 10 * worklists.open_points(small, today).count()

    # Oslo's side lists have rows (so that they are not counted empty for it).
    assert HandoverMessage.objects.filter(
        recipient=oslo, created_at__gte=timezone.now() - datetime.timedelta(days=30)
    ).exists()
    assert oslo.bereavement_follow_ups.filter(contacted_on__isnull=True).exists()

    large_count = queries(municipal_client(client, oslo), "/pathway/worklist/")
    small_count = queries(municipal_client(client, small), "/pathway/worklist/")
    assert large_count == small_count
    # A later page and a filter do not add queries either.
    assert queries(municipal_client(client, oslo), "/pathway/worklist/?page=2&bereaved_page=2") == large_count
    assert queries(municipal_client(client, oslo), "/pathway/worklist/?status=overdue&sort=name") == (large_count)


def test_the_hospital_worklist_makes_the_same_queries_on_every_page(country, client):
    hospital = (
        Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL)
        .annotate(n=Count("enrolments", filter=Q(enrolments__ended_at__isnull=True)))
        .order_by("-n")
        .first()
    )
    client.force_login(make_user("hospital-nurse", hospital, Role.HOSPITAL_CLINICIAN))
    first = queries(client, "/pathway/worklist/")
    assert queries(client, "/pathway/worklist/?page=2&offer_page=2") == first


def test_one_patients_pages_make_as_many_queries_for_a_long_history_as_for_a_short_one(country, client):
    """Two patients whose pathways stand alike for their municipality (the same points open to act
    on: each brings its own forms) but whose timelines and messages differ in length."""
    # The hospital's points with the professional's record only (what a page shows depends on the
    # point and on whether the patient answered first, not on how much lies behind it).
    record_only = Assessment.objects.filter(point__key="sp1").annotate(n=Count("point__responses")).filter(n=1)
    candidates = (
        Enrolment.objects.filter(pk__in=record_only.values("point__enrolment"))
        .annotate(n_events=Count("events", distinct=True), n_messages=Count("handover_messages", distinct=True))
        .select_related("patient")
        .prefetch_related("points")
    )
    alike = {}
    for enrolment in candidates:
        actionable = tuple(
            p.key
            for p in enrolment.points.all()
            if not p.outcome and p.responsible_organisation_id == enrolment.patient.municipality_id
        )
        alike.setdefault((enrolment.ended_at is None, enrolment.offer, actionable), []).append(enrolment)
    group = max(alike.values(), key=lambda g: max(e.n_events for e in g) - min(e.n_events for e in g))
    busy = max(group, key=lambda e: (e.n_events, e.n_messages))
    quiet = min(group, key=lambda e: (e.n_events, e.n_messages))
    assert busy.n_events > quiet.n_events

    counts = {}
    for enrolment in (busy, quiet):
        client = municipal_client(client, enrolment.patient.municipality)
        point = record_only.filter(point__enrolment=enrolment).first().point
        counts[enrolment.pk] = (
            queries(client, f"/patients/{enrolment.patient.public_id}/"),
            queries(client, f"/pathway/enrolments/{enrolment.public_id}/"),
            queries(client, f"/assessment/points/{point.public_id}/"),
        )
    assert counts[busy.pk] == counts[quiet.pk]
