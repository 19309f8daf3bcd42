"""The fault runs' data set, written inside Django: a hospital, patients in a few municipalities
each with a GP office, each enrolled with the offer accepted so that the hospital's collaboration
point is open, and the hospital's record system registered as a FHIR API client.

    python -m faults.seed OUT.json COUNT

writes {"client_id", "client_secret", "tasks": [the open points' public ids]} to OUT.json."""

import datetime
import json
import sys

import django


def build(count):
    from django.utils import timezone

    from accounts.actor import Actor
    from accounts.models import Membership, Role, User
    from directory.models import Organisation
    from fhir_api import clients
    from lib import nin
    from pathway import services
    from patients.models import Patient

    Kind = Organisation.Kind
    hospital = Organisation.objects.get(kind=Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    municipalities = list(Organisation.objects.filter(municipality_number__in=["4601", "4627", "4621", "4624", "4626"]))
    offices = [
        Organisation.objects.create(kind=Kind.GP_OFFICE, name=f"Feiltest legesenter {m.name}", municipality=m)
        for m in municipalities
    ]
    nurse = User.objects.create_user(username="faults.nurse", first_name="Feil", last_name="Test")
    membership = Membership.objects.create(user=nurse, organisation=hospital, role=Role.HOSPITAL_CLINICIAN)
    actor = Actor(user=nurse, membership=membership)

    patients, individual, day = [], 100, datetime.date(1950, 1, 1)
    while len(patients) < count:
        number = nin.synthetic_number(day, individual)
        individual += 1
        if individual > 999:
            individual, day = 100, day + datetime.timedelta(days=1)
        if not number:
            continue
        i = len(patients)
        patients.append(
            Patient(
                national_id=number,
                national_id_kind=nin.FODSELSNUMMER,
                date_of_birth=day,
                given_name="Feil",
                family_name=f"Test{i}",
                municipality=municipalities[i % len(municipalities)],
                gp_office=offices[i % len(offices)],
                registered_by=hospital,
            )
        )
    Patient.objects.bulk_create(patients)

    diagnosed = timezone.localdate() - datetime.timedelta(days=10)
    tasks = []
    for patient in Patient.objects.filter(registered_by=hospital, given_name="Feil").order_by("id"):
        enrolment = services.enrol(
            actor, patient, diagnosis_date=diagnosed, icd10_code="C50.9", treatment_intent="curative", offer="accepted"
        )
        point = enrolment.points.filter(responsible_organisation=hospital, outcome="").order_by("id").first()
        tasks.append(str(point.public_id))

    admin = User.objects.create_user(username="faults.admin")
    admin_actor = Actor(user=admin, membership=Membership(user=admin, organisation=hospital, role=Role.ORG_ADMIN))
    client, secret = clients.register_client(admin_actor, "Fault test record system", Role.HOSPITAL_CLINICIAN)
    return {"client_id": client.application.client_id, "client_secret": secret, "tasks": tasks}


if __name__ == "__main__":
    django.setup()
    out, count = sys.argv[1], int(sys.argv[2])
    with open(out, "w") as file:
        json.dump(build(count), file)
