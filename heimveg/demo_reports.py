"""Demo history for the oversight reports: two years of earlier patients in the other
municipalities of the two demo health communities (Helse Bergen and Helse Møre og Romsdal), so
that the analyst and the leaders see reports with real volumes and not only "<5".

The history is written straight to the tables, as an import of earlier records would be: every
enrolment is closed or has only municipal points left, its hospital point is closed (so hospital
worklists stay as the main demo made them), and nobody is left waiting to be asked. The four demo
municipalities keep their own, detailed patients only. Volumes are about a third of the real
incidence, and each municipality gets its own habits (how often it is on time), so the
comparison of municipalities has something to show.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assessment.models import Assessment, QuestionnaireResponse
from directory.models import Organisation
from handover.models import HandoverMessage
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer
from pathway.services import definition_record
from patients import nin
from patients.models import Patient

TRUSTS = ("983974724", "997005562")  # Helse Bergen HF, Helse Møre og Romsdal HF
MONTHS = 24
PER_PERSON_PER_MONTH = 0.0073 / 12 / 3  # a third of Norway's incidence: enough to read, quick to load
MARKER = "historikk"  # in the e-mail address of every history patient
HELP_AREAS = [
    "topic-work",
    "topic-finances",
    "topic-physical-activity",
    "topic-mental-health",
    "topic-family",
    "problem-physical-fatigue",
    "problem-emotional-worry",
    "topic-nutrition",
    "problem-practical-money",
]
CODES = ["C50.9", "C61", "C18.7", "C34.1", "C43.5", "C67.9", "C64", "C25.0"]


def _local(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _outcome(rng, opens, closes, today, on_time):
    """(outcome, date) of a point: closed windows mostly done, a share late, some not wanted."""
    if opens > today:
        return "", None
    roll = rng.random()
    if closes >= today:
        return (
            ("completed", opens + datetime.timedelta(days=rng.randint(0, (today - opens).days)))
            if roll < 0.4
            else ("", None)
        )
    if roll < on_time:
        return "completed", opens + datetime.timedelta(days=rng.randint(0, (closes - opens).days))
    if roll < on_time + 0.12:
        return "completed", min(today, closes + datetime.timedelta(days=rng.randint(1, 40)))
    if roll < on_time + 0.2:
        return "not_wanted", opens
    return "", None


def load(rng, today):
    """Create the history once; returns the number of patients created."""
    from heimveg.demo import MUNICIPALITIES  # heimveg.demo imports this module

    if Patient.objects.filter(email__startswith=MARKER).exists():
        return 0
    definition = definition_record()
    used = set(Patient.objects.values_list("national_id", flat=True))
    created = 0
    for org_number in TRUSTS:
        trust = Organisation.objects.filter(org_number=org_number).first()
        if trust is None:
            continue
        hospitals = list(Organisation.objects.filter(parent=trust, kind=Organisation.Kind.HOSPITAL).order_by("name"))
        municipalities = Organisation.objects.filter(health_trust=trust, population__isnull=False).exclude(
            name__in=MUNICIPALITIES.values()
        )
        for municipality in municipalities.order_by("name"):
            on_time = rng.uniform(0.45, 0.85)  # the municipality's habit
            expected = municipality.population * PER_PERSON_PER_MONTH
            for month_back in range(MONTHS, 0, -1):
                month = today.replace(day=1) - relativedelta(months=month_back)
                count = int(expected) + (rng.random() < expected - int(expected))
                for _ in range(count):
                    day = month + datetime.timedelta(days=rng.randrange(28))
                    _patient(rng, today, day, municipality, rng.choice(hospitals), definition, used, on_time)
                    created += 1
    return created


def _patient(rng, today, diagnosed, municipality, hospital, definition, used, on_time):
    from heimveg.demo import FAMILY_NAMES, GIVEN_NAMES, _birth_date, _synthetic_id

    birth = _birth_date(rng, today)
    died = rng.random() < 0.06
    patient = Patient.objects.create(
        national_id=_synthetic_id(rng, birth, used),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name=rng.choice(GIVEN_NAMES),
        family_name=rng.choice(FAMILY_NAMES),
        municipality=municipality,
        registered_by=hospital,
        email=f"{MARKER}{len(used)}@example.test",
        date_of_death=min(today, diagnosed + datetime.timedelta(days=rng.randint(30, 300))) if died else None,
    )
    offer = rng.choices([Offer.ACCEPTED, Offer.DECLINED], [0.88, 0.12])[0]
    enrolment = Enrolment.objects.create(
        patient=patient, definition=definition, diagnosis_date=diagnosed, icd10_code=rng.choice(CODES),
        icd10_name="", treatment_intent=rng.choice(["curative", "curative", "palliative"]),
        enrolling_organisation=hospital, offer=offer,
    )  # fmt: skip
    months = relativedelta
    windows = [
        ("sp1", 0, "hospital", hospital, diagnosed, diagnosed + datetime.timedelta(weeks=hospital.first_point_weeks)),
        ("sp2", 1, "municipality", municipality, diagnosed + months(months=3), diagnosed + months(months=4)),
        ("sp3", 2, "municipality", municipality, diagnosed + months(months=12), diagnosed + months(months=18)),
    ]
    open_points = 0
    for key, sequence, care_level, responsible, opens, closes in windows:
        outcome, on = _outcome(rng, opens, closes, today, on_time if key != "sp1" else 0.8)
        if key == "sp1" and not outcome:  # the hospital's point is always closed in the history
            outcome, on = "completed", min(today, closes + datetime.timedelta(days=rng.randint(1, 20)))
        if (
            patient.date_of_death
            and not outcome
            and opens <= patient.date_of_death
            or (patient.date_of_death and not outcome)
        ):
            outcome, on = "cancelled", patient.date_of_death
        if care_level == "municipality" and offer != Offer.ACCEPTED and not outcome:
            outcome, on = "cancelled", diagnosed + datetime.timedelta(days=40)
        point = CollaborationPoint.objects.create(
            enrolment=enrolment, key=key, sequence=sequence, title=definition.content["points"][sequence]["title"],
            care_level=care_level, responsible_organisation=responsible, window_opens=opens, window_closes=closes,
            outcome=outcome, outcome_on=on,
        )  # fmt: skip
        open_points += not outcome
        if outcome == "completed":
            _conversation(rng, point, today)
    if patient.date_of_death:
        enrolment.ended_at, enrolment.end_reason = _local(patient.date_of_death), Enrolment.EndReason.DECEASED
        follow_up = BereavementFollowUp.objects.create(
            enrolment=enrolment,
            municipality=municipality,
            contacted_on=patient.date_of_death + datetime.timedelta(days=rng.randint(3, 30))
            if rng.random() < 0.8
            else None,
        )
        BereavementFollowUp.objects.filter(pk=follow_up.pk).update(created_at=_local(patient.date_of_death))
    elif not open_points:
        enrolment.ended_at, enrolment.end_reason = _local(today), Enrolment.EndReason.COMPLETED
    enrolment.save(update_fields=["ended_at", "end_reason"])


def _conversation(rng, point, today):
    help_areas = rng.sample(HELP_AREAS, k=rng.choice((0, 1, 1, 2, 3)))
    response = QuestionnaireResponse.objects.create(
        point=point, questionnaire_id="heimveg-needs-adult", questionnaire_version="1", source="professional",
        status="completed", distress_score=rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, None)),
        areas=help_areas, help_areas=help_areas, submitted_at=_local(point.outcome_on),
    )  # fmt: skip
    Assessment.objects.create(
        point=point, response=response, organisation=point.responsible_organisation,
        completed_at=_local(point.outcome_on), summary="",
    )  # fmt: skip
    recipient = point.enrolment.patient.municipality if point.care_level == "hospital" else None
    if recipient is None:
        return
    due = point.outcome_on + datetime.timedelta(days=2)
    roll = rng.random()
    acknowledged = None
    if roll < 0.85:
        acknowledged = _local(point.outcome_on + datetime.timedelta(days=rng.randint(0, 2)), 14)
    elif roll < 0.95:
        acknowledged = _local(min(today, due + datetime.timedelta(days=rng.randint(1, 6))), 14)
    message = HandoverMessage.objects.create(
        kind="point_completed", enrolment=point.enrolment, point=point, sender=point.responsible_organisation,
        recipient=recipient, reason="municipality", content={}, delivered_at=_local(point.outcome_on, 13),
        acknowledge_by=due, acknowledged_at=acknowledged,
    )  # fmt: skip
    HandoverMessage.objects.filter(pk=message.pk).update(created_at=_local(point.outcome_on, 13))
