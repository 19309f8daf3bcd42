"""A municipality the patient moved away from reads what it wrote, and nothing else; the
patient's municipality chooses the fixed contact person."""

import datetime

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from conftest import make_user
from directory.models import Organisation
from pathway import services
from pathway.models import PathwayEvent
from pathway.services import PathwayRuleError
from pathway.tests.test_enrolment import TODAY, enrol
from patients.access import decide

Event = PathwayEvent.Kind


def move(client, patient, municipality):
    response = client.post(
        f"/patients/{patient.public_id}/edit/",
        {
            "national_id": patient.national_id,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "municipality": municipality.pk,
            "preferred_language": "nb",
        },
    )
    assert response.status_code == 302


@pytest.fixture
def moved_away(client_for, actor_of, personas, patient, orgs):
    """Askøy accepted the offer and completed the second point; then the patient moved to Voss."""
    enrolment = enrol(actor_of(personas["nurse"]), patient, offer="accepted")
    askoy = actor_of(personas["coordinator"])
    sp2 = enrolment.points.get(key="sp2")
    services.close_point(
        askoy, sp2, "completed", on_date=datetime.date(2026, 5, 4), place="Askøy helsestasjon", today=TODAY
    )
    services.record_correction(askoy, enrolment, "Samtalen ble holdt hjemme hos pasienten.")
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    return enrolment


def test_the_old_municipality_keeps_read_access_to_its_own_entries_only(moved_away, actor_of, personas, patient):
    decision = decide(actor_of(personas["coordinator"]), patient)
    assert decision.allowed and decision.own_records_only and not decision.full
    # The new municipality has the whole record.
    assert decide(actor_of(personas["outsider"]), patient).full


def test_the_old_municipality_sees_what_it_wrote_and_not_the_rest(moved_away, client_for, personas, patient):
    client = client_for(personas["coordinator"])
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "You can read what Askøy wrote" in page
    assert patient.national_id not in page
    assert "Voss" not in page  # where the patient lives now is not Askøy's business
    # The pathway's panel on the page (pathway.patient_pages): the pathway Askøy wrote on.
    assert "What your organisation wrote" in page
    assert f'href="/pathway/enrolments/{moved_away.public_id}/"' in page
    timeline = client.get(f"/pathway/enrolments/{moved_away.public_id}/").content.decode()
    assert "Askøy helsestasjon" in timeline
    assert "Samtalen ble holdt hjemme hos pasienten." in timeline
    assert "Enrolled in the pathway" not in timeline  # written by the hospital
    assert "C50.9" not in timeline
    assert "Moved to another municipality" not in timeline  # written by the hospital


def test_the_old_municipality_can_change_nothing(moved_away, client_for, personas, patient):
    client = client_for(personas["coordinator"])
    sp3 = moved_away.points.get(key="sp3")
    for url, data in [
        (f"/pathway/enrolments/{moved_away.public_id}/correction/", {"note": "x"}),
        (f"/pathway/enrolments/{moved_away.public_id}/offer/", {"offer": "declined"}),
        (f"/pathway/points/{sp3.public_id}/book/", {f"{sp3.key}-booked_for": "2027-02-01T10:00"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert client.get(f"/patients/{patient.public_id}/edit/").status_code == 403
    assert client.get(f"/pathway/patients/{patient.public_id}/enrol/").status_code == 403
    assert not moved_away.events.filter(kind=Event.CORRECTION, note="x").exists()


def test_reading_own_entries_is_audited_as_such(moved_away, client_for, personas, patient):
    client_for(personas["coordinator"]).get(f"/pathway/enrolments/{moved_away.public_id}/")
    entry = AuditEntry.objects.filter(patient_public_id=patient.public_id, username="coordinator").latest("id")
    assert entry.action == AuditEntry.Action.VIEW
    assert "own records only" in entry.detail


def test_the_patient_list_marks_a_patient_who_moved_away(moved_away, client_for, personas, patient):
    page = client_for(personas["coordinator"]).get("/patients/").content.decode()
    assert patient.family_name in page
    assert "No care relation: your entries only" in page


def test_a_municipality_that_never_wrote_sees_nothing(moved_away, actor_of, patient):
    bergen = make_user("bergen", Organisation.objects.get(municipality_number="4601"), Role.MUNICIPAL_COORDINATOR)
    assert not decide(actor_of(bergen), patient).allowed


def test_the_municipality_chooses_the_contact_person(client_for, actor_of, personas, patient):
    enrolment = enrol(actor_of(personas["nurse"]), patient, offer="accepted")
    services.set_contact_person(actor_of(personas["coordinator"]), enrolment, personas["admin"])
    enrolment.refresh_from_db()
    assert enrolment.contact_person == personas["admin"]
    assert enrolment.events.filter(kind=Event.CONTACT_PERSON).exists()
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Contact person in the municipality" in page


def test_the_contact_person_is_chosen_on_the_page(client_for, actor_of, personas, patient):
    enrolment = enrol(actor_of(personas["nurse"]), patient, offer="accepted")
    client = client_for(personas["coordinator"])
    assert 'name="contact_person"' in client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    response = client.post(
        f"/pathway/enrolments/{enrolment.public_id}/contact-person/", {"contact_person": personas["coordinator"].pk}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.contact_person == personas["coordinator"]
    # The hospital sees the name but cannot choose.
    assert (
        'name="contact_person"'
        not in client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    )


@pytest.mark.parametrize(
    "who, offer, chosen, message",
    [
        ("nurse", "accepted", "coordinator", "Only the patient's municipality"),
        ("coordinator", "not_asked", "coordinator", "accepted the offer"),
        ("coordinator", "accepted", "nurse", "colleague in your own organisation"),
    ],
)
def test_contact_person_rules(actor_of, personas, patient, who, offer, chosen, message):
    enrolment = enrol(actor_of(personas["nurse"]), patient, offer=offer)
    with pytest.raises(PathwayRuleError, match=message):
        services.set_contact_person(actor_of(personas[who]), enrolment, personas[chosen])


def test_a_move_keeps_the_contact_person_of_the_old_municipality_as_the_previous_one(
    client_for, actor_of, personas, patient, orgs
):
    enrolment = enrol(actor_of(personas["nurse"]), patient, offer="accepted")
    services.set_contact_person(actor_of(personas["coordinator"]), enrolment, personas["coordinator"])
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    enrolment.refresh_from_db()
    assert enrolment.contact_person is None  # the new municipality names its own
    assert enrolment.previous_contact_person == personas["coordinator"]
    assert enrolment.previous_contact_municipality == orgs["askoy"]
