"""Demo needs assessments: the patients' own answers from home, and the professionals' records
with follow-up actions, on collaboration points the demo pathway has completed or made due."""

import datetime

from django.utils import timezone

from assessment import questionnaires, scoring
from assessment.models import Assessment, FollowUp, QuestionnaireResponse
from pathway.models import CollaborationPoint
from synthetic import demo_time

Source, Status = QuestionnaireResponse.Source, QuestionnaireResponse.Status
WHAT_MATTERS = [
    "Å kunne gå tur med hunden igjen.",
    "At barna har det bra.",
    "Å komme tilbake i jobb, litt etter litt.",
    "Å være mest mulig hjemme.",
    "Å forstå hva som skjer videre.",
]
SUMMARIES = [
    "Pasienten er sliten, men har godt nettverk. Ønsker hjelp med fysisk aktivitet og økonomi.",
    "Samtale om familien og barna. Avtalt kontakt med helsesykepleier på skolen.",
    "Pasienten ønsker å komme tilbake i jobb. NAV kontaktes. Fastlegen følger opp smerter.",
]
ACTIONS = [
    ("Fysisk aktivitet", "Henvist til fysioterapeut i kommunen", "Fysioterapi"),
    ("Økonomi", "Time hos NAV-veileder", "NAV"),
    ("Barn som pårørende", "Kontakt med helsesykepleier", "Skolehelsetjenesten"),
    ("Psykisk helse", "Samtaler med kreftkoordinator", "Kreftkoordinator"),
    ("Ernæring", "Kurs om mat ved kreft", "Frisklivssentralen"),
]


def _answers(questionnaire, rng):
    answers = {"what-matters": rng.choice(WHAT_MATTERS), "distress-score": rng.choice([1, 2, 3, 4, 5, 6, 7, 8])}
    for item in rng.sample(questionnaire.areas, k=rng.randint(1, 4)):
        answers[item.link_id] = True
        answers[f"{item.link_id}-help"] = rng.random() < 0.5
    return questionnaire.clean(answers)


def _response(point, source, questionnaire, answers, when, author=None):
    result = scoring.score(questionnaire, answers)
    return QuestionnaireResponse.objects.create(
        point=point,
        source=source,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        answers=answers,
        current_page=len(questionnaire.pages),
        status=Status.COMPLETED,
        distress_score=result.distress_score,
        areas=[a.code for a in result.areas],
        help_areas=[a.code for a in result.help_wanted],
        author=author,
        submitted_at=when,
    )


def load(rng, today):
    if QuestionnaireResponse.objects.exists():
        return
    points = CollaborationPoint.objects.select_related("enrolment__patient", "outcome_by").order_by("id")
    now = demo_time.moment_on(today)
    for point in points.filter(outcome=CollaborationPoint.Outcome.COMPLETED):
        questionnaire = questionnaires.for_patient(point.enrolment.patient)
        answers = _answers(questionnaire, rng)
        when = timezone.make_aware(datetime.datetime.combine(point.outcome_on, datetime.time(12)))
        if rng.random() < 0.6:  # most patients answered from home first
            _response(point, Source.PATIENT, questionnaire, answers, when)
        professional = _response(point, Source.PROFESSIONAL, questionnaire, answers, when, point.outcome_by)
        assessment = Assessment.objects.create(
            point=point,
            response=professional,
            summary=rng.choice(SUMMARIES),
            organisation=point.responsible_organisation,
            completed_at=when,
            completed_by=point.outcome_by,
        )
        for need, action, service in rng.sample(ACTIONS, k=rng.randint(1, 3)):
            FollowUp.objects.create(
                assessment=assessment,
                need=need,
                action=action,
                responsible_service=service,
                status=rng.choice(FollowUp.Status.values),
            )
    # Some patients with a point due now have sent their answers from home already.
    due = points.filter(outcome="", window_opens__lte=today, window_closes__gte=today, enrolment__offer="accepted")
    for point in due:
        if rng.random() < 0.5:
            questionnaire = questionnaires.for_patient(point.enrolment.patient)
            _response(point, Source.PATIENT, questionnaire, _answers(questionnaire, rng), now)
