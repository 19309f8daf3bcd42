"""The home page shows the acting organisation's work at a glance: a count per kind of work, each
linking to the filtered worklist or the inbox, and the most urgent points by name, written to the
audit log as one list entry (counts alone show no patient)."""

import datetime
import re

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from conftest import synthetic_id
from handover.models import HandoverMessage
from pathway import services
from patients.models import Patient


def _patient(orgs, i, **extra):
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i)
    return Patient.objects.create(
        national_id=synthetic_id(birth, start=400 + i),
        national_id_kind="fnr",
        date_of_birth=birth,
        given_name="Home",
        family_name=f"Work{i:02d}",
        municipality=orgs["askoy"],
        gp_office=orgs["gp_office"],
        registered_by=orgs["haukeland"],
        **extra,
    )


def _enrol(nurse, patient, days_ago, offer="accepted"):
    return services.enrol(
        nurse,
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        icd10_code="C18.0",
        treatment_intent="palliative",
        offer=offer,
    )


@pytest.fixture
def work(orgs, personas, actor_of):
    """Pathways at every stage: SP1 just due at the hospital, SP1 long overdue and the municipality's
    SP2 due, one patient not yet asked, and a handover message waiting at Askøy."""
    nurse = actor_of(personas["nurse"])
    due = _enrol(nurse, _patient(orgs, 1), days_ago=1)
    late = _enrol(nurse, _patient(orgs, 2), days_ago=100)
    _enrol(nurse, _patient(orgs, 3), days_ago=2, offer="not_asked")
    HandoverMessage.objects.create(
        kind=HandoverMessage.Kind.POINT_COMPLETED,
        enrolment=late,
        sender=orgs["haukeland"],
        recipient=orgs["askoy"],
        reason=HandoverMessage.Reason.MUNICIPALITY,
        acknowledge_by=timezone.localdate() + datetime.timedelta(days=3),
        delivered_at=timezone.now(),
    )
    HandoverMessage.objects.create(
        kind=HandoverMessage.Kind.POINT_COMPLETED,
        enrolment=late,
        sender=orgs["haukeland"],
        recipient=orgs["gp_office"],
        reason=HandoverMessage.Reason.GP,
        acknowledge_by=timezone.localdate() + datetime.timedelta(days=3),
        delivered_at=timezone.now(),
    )
    return {"due": due, "late": late}


def _tally(page, kind):
    """The count and link of one kind of work on the home page."""
    match = re.search(
        rf'data-kind="{kind}"><a class="ds-link" href="([^"]+)"><span class="hv-tally-count">(\d+)</span>', page
    )
    assert match, f"no {kind} count on the home page"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def _home_entries(user):
    return AuditEntry.objects.filter(user=user, action=AuditEntry.Action.LIST, detail="home page")


def test_a_hospital_nurse_sees_due_and_overdue_points_and_patients_to_offer(client_for, personas, work):
    page = client_for(personas["nurse"]).get("/").content.decode()
    assert _tally(page, "overdue") == (1, "/pathway/worklist/?status=overdue")
    assert _tally(page, "due") == (2, "/pathway/worklist/?status=due")
    assert _tally(page, "not_offered") == (1, "/pathway/worklist/#not-offered-heading")
    assert _tally(page, "messages") == (0, "/handover/")
    # The most urgent first: the overdue SP1 before those just due.
    assert page.index("Work02") < page.index("Work01")
    entry = _home_entries(personas["nurse"]).get()
    assert set(entry.patient_ids) == {
        work["late"].patient.public_id,
        work["due"].patient.public_id,
        Patient.objects.get(family_name="Work03").public_id,
    }


def test_the_counts_agree_with_the_filtered_worklist(client_for, personas, work):
    client = client_for(personas["nurse"])
    page = client.get("/").content.decode()
    for kind in ("overdue", "due"):
        count, url = _tally(page, kind)
        assert f"Collaboration points ({count})" in client.get(url).content.decode()


def test_a_municipal_coordinator_sees_the_municipalitys_points_and_messages(client_for, personas, work):
    page = client_for(personas["coordinator"]).get("/").content.decode()
    assert _tally(page, "overdue") == (0, "/pathway/worklist/?status=overdue")
    assert _tally(page, "due") == (1, "/pathway/worklist/?status=due")  # SP2 of the 100-day pathway
    assert _tally(page, "messages") == (1, "/handover/")
    assert 'data-kind="not_offered"' not in page  # the hospital offers the pathway
    assert "Work02" in page and "Work01" not in page
    assert list(_home_entries(personas["coordinator"]).get().patient_ids) == [work["late"].patient.public_id]


def test_a_gp_sees_listed_patients_and_messages_and_no_patient_by_name(client_for, personas, work):
    page = client_for(personas["gp"]).get("/").content.decode()
    assert _tally(page, "listed") == (3, "/pathway/worklist/")
    assert _tally(page, "messages") == (1, "/handover/")
    assert 'data-kind="overdue"' not in page
    assert "Work0" not in page
    assert not _home_entries(personas["gp"]).exists()  # counts alone show no patient


def test_another_municipality_sees_none_of_it(client_for, personas, work):
    page = client_for(personas["outsider"]).get("/").content.decode()
    assert _tally(page, "due") == (0, "/pathway/worklist/?status=due")
    assert _tally(page, "messages") == (0, "/handover/")
    assert "Nothing is waiting for you." in page and "Work0" not in page
    assert not _home_entries(personas["outsider"]).exists()


def test_an_admin_or_analyst_has_no_work_list(client_for, personas, work):
    for persona in ("admin", "analyst"):
        page = client_for(personas[persona]).get("/").content.decode()
        assert "hv-tally" not in page and "Work0" not in page


@pytest.mark.norwegian
def test_the_work_is_in_norwegian(client_for, personas, work):
    page = client_for(personas["nurse"]).get("/").content.decode()
    assert "Arbeidet ditt i dag" in page and "samhandlingspunkt over fristen" in page
