"""Every patient and person on the pathway pages can be told apart: patients with their birth
date in every list (two "Rasmussen, Marit" on a GP's worklist), people by name and role (never
their username), points and the pathway definition by their titles."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import synthetic_id
from pathway import services
from pathway.models import Enrolment, PathwayEvent
from patients.models import Patient


def marit(orgs, birth, start):
    return Patient.objects.create(
        national_id=synthetic_id(birth, start=start),
        national_id_kind="fnr",
        date_of_birth=birth,
        given_name="Marit",
        family_name="Rasmussen",
        municipality=orgs["askoy"],
        gp_office=orgs["gp_office"],
        registered_by=orgs["haukeland"],
    )


@pytest.fixture
def two_marits(orgs, personas, actor_of):
    nurse = actor_of(personas["nurse"])
    patients = [marit(orgs, datetime.date(1948, 2, 3), 300), marit(orgs, datetime.date(1971, 11, 30), 400)]
    for patient in patients:
        services.enrol(
            nurse,
            patient,
            diagnosis_date=timezone.localdate() - datetime.timedelta(days=100),
            icd10_code="C50.9",
            treatment_intent="curative",
            offer="accepted",
        )
    return patients


def test_the_gp_worklist_tells_two_patients_of_the_same_name_apart_and_names_the_points(
    two_marits, client_for, personas
):
    page = client_for(personas["gp"]).get("/pathway/worklist/").content.decode()
    assert page.count("Rasmussen, Marit</a>") == 2
    assert "born 03.02.1948" in page and "born 30.11.1971" in page
    assert "Conversation at the hospital once the diagnosis has been given" in page
    assert "sp1 " not in page and "sp2 " not in page


def test_the_municipal_worklist_shows_the_birth_date(two_marits, client_for, personas):
    page = client_for(personas["coordinator"]).get("/pathway/worklist/?status=&sort=name").content.decode()
    assert 'Rasmussen, Marit</a> <span class="hv-meta">born 03.02.1948</span>' in page


def test_the_hospital_worklist_shows_the_birth_date_of_those_not_yet_offered(orgs, personas, actor_of, client_for):
    patient = marit(orgs, datetime.date(1948, 2, 3), 300)
    services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=5),
        icd10_code="C50.9",
        treatment_intent="curative",
    )
    page = client_for(personas["nurse"]).get("/pathway/worklist/").content.decode()
    assert 'Rasmussen, Marit</a> <span class="hv-meta">born 03.02.1948</span>' in page


@pytest.fixture
def enrolment(two_marits, personas):
    nurse = personas["nurse"]
    nurse.first_name, nurse.last_name, nurse.username = "Kari", "Haugen", "sykepleier.haukeland"
    nurse.save()
    return Enrolment.objects.get(patient=two_marits[0])


def test_the_timeline_names_the_person_and_role_not_the_username(enrolment, client_for, personas):
    PathwayEvent.objects.filter(enrolment=enrolment).update(username="sykepleier.haukeland")
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Kari Haugen (Hospital clinician), Haukeland universitetssjukehus" in page
    assert "sykepleier.haukeland" not in page


def answers_from_the_portal(enrolment):
    return PathwayEvent.objects.create(
        enrolment=enrolment,
        kind=PathwayEvent.Kind.ANSWERS_RECEIVED,
        point=enrolment.points.get(key="sp1"),
        username="patient (portal)",
    )


def test_the_timeline_names_the_patient_in_the_portal(enrolment, client_for, personas):
    answers_from_the_portal(enrolment)
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Patient (portal)" in page and "patient (portal)" not in page


@pytest.mark.norwegian
@pytest.mark.parametrize("language, expected", [("nb", "Pasient (portal)"), ("nn", "Pasient (portal)")])
def test_the_portal_is_named_in_norwegian(enrolment, client_for, personas, language, expected):
    answers_from_the_portal(enrolment)
    client = client_for(personas["nurse"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert expected in page and "patient (portal)" not in page


def test_the_pathway_page_names_the_definition_and_its_version_in_words(enrolment, client_for, personas):
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "The pathway home for people with cancer (national pathway, 2022), version 1" in page
    assert "national-2022 v1" not in page


@pytest.mark.norwegian
def test_the_pathway_page_names_the_definition_in_nynorsk(enrolment, client_for, personas):
    client = client_for(personas["nurse"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    title = "Pakkeforløp heim for pasientar med kreft (nasjonalt forløp, 2022)"
    assert f"<dt>Forløpsskildring</dt><dd>{title}, versjon 1</dd>" in page


def test_the_receivers_to_choose_name_the_municipality_with_its_county(enrolment, client_for, personas):
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Askøy (Vestland)" in page
