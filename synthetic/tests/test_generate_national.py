"""manage.py generate_national at a tiny scale: consistent, synthetic, resumable, and strict about
its options."""

import datetime
import hashlib
import random
import statistics
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessment import questionnaires, scoring
from assessment.models import Assessment, FollowUp, QuestionnaireResponse
from audit import verify
from audit.models import AuditEntry
from handover.models import Delivery, HandoverMessage
from lib import nin
from pathway import icd10
from pathway import services as pathway_services
from pathway.definitions import get_definition
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, PathwayEvent
from pathway.schedule import point_status
from patients import services as patients_services
from synthetic.national import distributions as dist
from synthetic.national import writer

END = datetime.date(2025, 6, 30)
TINY = {"years": 2, "scale": 0.004, "seed": 7, "end_date": END.isoformat(), "no_progress": True}


def generate(**options):
    out = StringIO()
    call_command("generate_national", **{**TINY, **options}, stdout=out, stderr=StringIO())
    return out.getvalue()


def enrolments():
    return Enrolment.objects.filter(patient__in=writer.generated_patients())


# Pure distributions ------------------------------------------------------------------------------


def test_every_diagnosis_code_is_one_the_pathway_accepts():
    for diagnosis in dist.ALL_DIAGNOSES:
        assert icd10.name(diagnosis.code), diagnosis.code


def test_ages_are_skewed_old_with_some_children_and_young_adults():
    rng = random.Random(1)
    ages = [dist.age_at_diagnosis(rng) for _ in range(20_000)]
    assert 66 <= statistics.median(ages) <= 71
    assert 0.005 < sum(a < 18 for a in ages) / len(ages) < 0.02
    assert 0.02 < sum(18 <= a < 40 for a in ages) / len(ages) < 0.07


# The generated set -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tiny_scale_is_consistent():
    generate()
    generated = enrolments().select_related("patient", "enrolling_organisation", "definition")
    assert generated.count() > 200

    # Every point's window is what the pathway's schedule gives for its enrolment's diagnosis.
    points = CollaborationPoint.objects.filter(enrolment__in=generated).select_related("enrolment")
    by_enrolment = {}
    for point in points:
        by_enrolment.setdefault(point.enrolment_id, []).append(point)
    for enrolment in generated:
        windows = pathway_services.windows(enrolment)
        for point in by_enrolment[enrolment.pk]:
            assert (point.window_opens, point.window_closes) == windows[point.key], (enrolment.pk, point.key)

    # Every moved patient's open municipal points belong to the municipality the patient lives in now.
    moved = PathwayEvent.objects.filter(enrolment__in=generated, kind=PathwayEvent.Kind.MOVED)
    assert moved.exists()
    for event in moved.select_related("enrolment__patient"):
        patient = event.enrolment.patient
        assert event.data["to_id"] == patient.municipality_id
        open_points = event.enrolment.points.filter(outcome="", care_level="municipality")
        assert all(p.responsible_organisation_id == patient.municipality_id for p in open_points)
    assert (
        not CollaborationPoint.objects.filter(enrolment__in=generated, outcome="", care_level="municipality")
        .exclude(responsible_organisation=models_F("enrolment__patient__municipality"))
        .exists()
    )

    # Only synthetic national ids (month + 80), valid, and agreeing with the date of birth.
    for national_id, born in writer.generated_patients().values_list("national_id", "date_of_birth"):
        parsed = nin.parse(national_id, allow_synthetic=True, today=END)
        assert parsed.synthetic and parsed.birth_date == born

    # Patients live all over the country, in proportion to the population: Oslo has the most.
    per_municipality = dict(
        writer.generated_patients()
        .values("municipality__name")
        .annotate(n=Count("id"))
        .values_list("municipality__name", "n")
    )
    assert max(per_municipality, key=per_municipality.get) == "Oslo"
    assert len(per_municipality) > 60

    # Every state of a point is there, relative to the end date.
    statuses = {p.status(END) for p in points}
    assert {"completed", "not_wanted", "cancelled", "overdue", "due", "planned"} <= statuses
    completed = [p for p in points if p.outcome == "completed"]
    assert any(p.window_opens <= p.outcome_on <= p.window_closes for p in completed)
    assert any(p.outcome_on > p.window_closes for p in completed)
    assert all(p.outcome_on >= p.enrolment.diagnosis_date for p in points if p.outcome_on)
    open_statuses = {point_status(p.window_opens, p.window_closes, None, END) for p in points if not p.outcome}
    assert open_statuses <= {"overdue", "due", "planned", "waiting"}

    # Deaths end the pathway and give the municipality a follow-up of the bereaved.
    deceased = generated.filter(end_reason=Enrolment.EndReason.DECEASED)
    assert deceased.exists()
    for enrolment in deceased:
        assert enrolment.patient.date_of_death is not None
        assert enrolment.bereavement_follow_up.municipality_id == enrolment.patient.municipality_id
        assert not enrolment.points.filter(outcome="").exists()
    assert set(generated.values_list("offer", flat=True)) == {"accepted", "declined", "not_asked"}
    assert set(generated.values_list("treatment_intent", flat=True)) == {"curative", "palliative", "not_known"}

    # Completed points have an assessment whose stored scores are what scoring gives for its answers.
    assessments = Assessment.objects.filter(point__enrolment__in=generated).select_related("response", "point")
    assert assessments.count() == len(completed)
    for assessment in assessments:
        response = assessment.response
        result = scoring.score(questionnaires.get(response.questionnaire_id), response.answers)
        assert response.source == "professional"
        assert response.distress_score == result.distress_score
        assert response.areas == [a.code for a in result.areas]
        assert response.help_areas == [a.code for a in result.help_wanted]
    assert FollowUp.objects.filter(assessment__in=assessments).exists()

    # Hand-overs went out and arrived; most are acknowledged; one delivery per channel.
    messages = HandoverMessage.objects.filter(enrolment__in=generated)
    assert messages.filter(acknowledged_at__isnull=False).count() > messages.count() * 0.8
    assert not messages.filter(delivered_at__isnull=True).exists()
    assert Delivery.objects.filter(message__in=messages).count() == 2 * messages.count()
    public_ids = [str(u) for u in writer.generated_patients().values_list("public_id", flat=True)]
    assert AuditEntry.objects.filter(patient_public_id__in=public_ids).count() >= 2 * len(public_ids)
    # The generated entries are links of the audit log's hash chain, in time order.
    assert verify.verify().problems == []


@pytest.mark.django_db
def test_generated_history_before_the_national_start_fits_the_date_rules():
    """Five years back from mid-2025 begins in 2020, before the national pathway (2022-01-01): the
    organisations get the first generated day as their start date, and every generated enrolment
    passes the rules a user's enrolment meets (after birth, not before the start, death after)."""
    out = generate(years=5, scale=0.0005)
    first_day = datetime.date(2020, 7, 1)
    assert f"to {first_day.isoformat()}, the first day of the generated years" in out
    generated = list(enrolments().select_related("patient", "enrolling_organisation", "definition"))
    assert min(e.diagnosis_date for e in generated) < datetime.date(2022, 1, 1)
    definition = get_definition(generated[0].definition.key)
    for enrolment in generated:
        patient, organisation = enrolment.patient, enrolment.enrolling_organisation
        assert organisation.pathway_start_date == first_day
        pathway_services._check_diagnosis_dates(organisation, patient, definition, enrolment.diagnosis_date)
        if patient.date_of_death:
            patients_services.check_date_of_death(patient, patient.date_of_death, today=END)
    # A second run keeps the start dates (an earlier one is never moved later).
    assert "Set the pathway start date" not in generate(years=5, scale=0.0005)


def models_F(name):
    from django.db.models import F

    return F(name)


def signature():
    """Counts per table and a checksum of what the generated rows say (not their ids)."""
    generated = enrolments()
    digest = hashlib.sha256()
    for row in generated.order_by("patient__national_id").values_list(
        "patient__national_id",
        "patient__public_id",
        "patient__municipality__municipality_number",
        "patient__date_of_death",
        "diagnosis_date",
        "icd10_code",
        "offer",
        "end_reason",
    ):
        digest.update(repr(row).encode())
    for row in (
        CollaborationPoint.objects.filter(enrolment__in=generated)
        .order_by("public_id")
        .values_list("public_id", "key", "outcome", "outcome_on", "responsible_organisation", "window_closes")
    ):
        digest.update(repr(row).encode())
    counts = {
        "events": PathwayEvent.objects.filter(enrolment__in=generated).count(),
        "responses": QuestionnaireResponse.objects.filter(point__enrolment__in=generated).count(),
        "follow_ups": FollowUp.objects.filter(assessment__point__enrolment__in=generated).count(),
        "messages": HandoverMessage.objects.filter(enrolment__in=generated).count(),
        "bereavements": BereavementFollowUp.objects.filter(enrolment__in=generated).count(),
    }
    return digest.hexdigest(), counts


@pytest.mark.django_db
def test_an_interrupted_run_resumes_to_the_same_data_as_one_run():
    out = generate(years=1, max_months=5)
    assert "Generated 5 months" in out
    assert writer.last_month() == (2024, 11)
    out = generate(years=1)
    assert "Generated 7 months" in out
    assert "nothing to do" in generate(years=1)
    resumed = signature()

    generate(years=1, reset=True)
    assert signature() == resumed


@pytest.mark.django_db
def test_bad_options_are_refused_with_a_clear_message():
    for options, message in [
        ({"years": 0}, "--years must be between 1 and 30"),
        ({"scale": 0}, "--scale must be more than 0"),
        ({"scale": 9}, "--scale must be more than 0"),
        ({"end_date": "30.06.2025"}, "is not a date"),
        ({"end_date": "2999-01-01"}, "is in the future"),
        ({"max_months": 0}, "--max-months must be at least 1"),
    ]:
        with pytest.raises(CommandError, match=message):
            generate(**options)
    generate(years=1, max_months=1)
    with pytest.raises(CommandError, match="made with other options"):
        generate(years=1, seed=8)
