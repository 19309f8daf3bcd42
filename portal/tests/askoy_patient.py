"""Ola Havstein of Askøy, the patient of the portal's browser tests: enrolled about 100 days ago,
so that his second (municipal) collaboration point is due."""

import datetime

from django.utils import timezone

from accounts.actor import Actor
from directory.models import Organisation
from lib import nin
from pathway import services as pathway
from patients.models import Patient
from testsupport.browser import ASKOY


def enrol_ola(coordinator, *, national_id, date_of_birth, registered_by=None):
    """Ola's enrolment, made by `coordinator` (a member of one organisation)."""
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    patient = Patient.objects.create(
        national_id=national_id,
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=date_of_birth,
        given_name="Ola",
        family_name="Havstein",
        municipality=askoy,
        registered_by=registered_by or askoy,
        mobile_phone="+4791112222",
        email="ola@example.test",
    )
    actor = Actor(user=coordinator, membership=coordinator.memberships.get())
    return actor, pathway.enrol(
        actor,
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=100),
        icd10_code="C18.0",
        treatment_intent="curative",
        offer="accepted",
        sp1_not_held_reason="Kom til kommunen selv etter behandling i utlandet",
    )
