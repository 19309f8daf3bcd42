"""Demo history for the oversight reports: two years of earlier patients in the other
municipalities of the two demo health communities (Helse Bergen and Helse Møre og Romsdal), so
that the analyst and the leaders see reports with real volumes and not only "<5".

The history is written straight to the tables, as an import of earlier records would be: every
enrolment is closed or has only municipal points left, its hospital point is closed (so hospital
worklists stay as the main demo made them), and nobody is left waiting to be asked. The four demo
municipalities keep their own, detailed patients only. Volumes are about a fifth of the real
incidence, and each municipality gets its own habits (how often it is on time), so the
comparison of municipalities has something to show.

Written in bulk (through the services it would take a minute), but by the product's rules: the
windows from `pathway.services.windows`, the diagnosis names from `pathway.icd10`, the scores from
`assessment.scoring`, the receivers and the dates to acknowledge by from `handover.rules`. The
hand-overs are imported records: no content snapshot, acknowledged under the name the source
system gave, without a Heimveg user or audit entry (the demo's own messages are acknowledged
through `handover.services.acknowledge`; see synthetic/demo_handover.py).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assessment import questionnaires, scoring
from assessment.models import Assessment, QuestionnaireResponse
from directory.models import Organisation
from handover import channels, rules
from handover.models import HandoverMessage
from lib import nin
from pathway import icd10, schedule
from pathway import services as pathway_services
from pathway.definitions import get_definition
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer
from patients.models import Patient

TRUSTS = ("983974724", "997005562")  # Helse Bergen HF, Helse Møre og Romsdal HF
MONTHS = 24
PER_PERSON_PER_MONTH = 0.0073 / 12 / 5  # a fifth of Norway's incidence: enough to read, quick to load
MARKER = "historikk"  # in the e-mail address of every history patient
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
    """Create the history once; returns the number of patients created. Rows are built in memory
    and written with one bulk insert per table, so the demo loads in seconds."""
    from synthetic.demo import MUNICIPALITIES  # synthetic.demo imports this module

    if Patient.objects.filter(email__startswith=MARKER).exists():
        return 0
    history = _History(rng, today, pathway_services.definition_record())
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
                    history.patient(day, municipality, rng.choice(hospitals), on_time)
    return history.save()


class _History:
    def __init__(self, rng, today, definition):
        from synthetic.demo import FAMILY_NAMES, GIVEN_NAMES, _birth_date, _synthetic_id

        self.rng, self.today, self.definition = rng, today, definition
        self.points_defined = get_definition(definition.key).points
        self.names = (GIVEN_NAMES, FAMILY_NAMES)
        self.birth_date, self.synthetic_id = _birth_date, _synthetic_id
        self.used = set(Patient.objects.values_list("national_id", flat=True))
        self.patients, self.enrolments, self.points = [], [], []  # points: (enrolment index, point)
        self.follow_ups = []  # (enrolment index, follow-up, created)

    def person(self):
        return f"{self.rng.choice(self.names[0])} {self.rng.choice(self.names[1])}"

    def _windows(self, enrolment, outcomes):
        """(sequence, point definition, opens, closes) of each point, in order, with the windows
        the pathway's rule gives (pathway.services.windows): a point counted from another point
        gets its window once that one has an outcome (schedule.anchor_dates over `outcomes`, which
        the caller fills as it goes), as enrolling and closing the points would give it."""
        windows = pathway_services.windows(enrolment)
        for sequence, point_def in enumerate(self.points_defined):
            window = windows[point_def.key]
            if window is None:
                windows = pathway_services.windows(enrolment, completions=schedule.anchor_dates(outcomes))
                window = windows[point_def.key]
            yield sequence, point_def, *(window or (None, None))

    def patient(self, diagnosed, municipality, hospital, on_time):
        rng, today = self.rng, self.today
        birth = self.birth_date(rng, today)
        died = rng.random() < 0.06
        death = min(today, diagnosed + datetime.timedelta(days=rng.randint(30, 300))) if died else None
        self.patients.append(
            Patient(
                national_id=self.synthetic_id(rng, birth, self.used),
                national_id_kind=nin.FODSELSNUMMER,
                date_of_birth=birth,
                given_name=rng.choice(self.names[0]),
                family_name=rng.choice(self.names[1]),
                municipality=municipality,
                registered_by=hospital,
                email=f"{MARKER}{len(self.patients)}@example.test",
                date_of_death=death,
            )
        )
        offer = rng.choices([Offer.ACCEPTED, Offer.DECLINED], [0.88, 0.12])[0]
        code = rng.choice(CODES)
        enrolment = Enrolment(
            definition=self.definition,
            diagnosis_date=diagnosed,
            icd10_code=icd10.normalise(code),
            icd10_name=icd10.name(code),  # as enrolling names it, from the same ICD-10 list
            treatment_intent=rng.choice(["curative", "curative", "palliative"]),
            enrolling_organisation=hospital,
            offer=offer,
        )
        index = len(self.enrolments)
        self.enrolments.append(enrolment)
        open_points, outcomes = 0, {}  # key -> (outcome, date) of the points so far
        for sequence, point_def, opens, closes in self._windows(enrolment, outcomes):
            care_level = point_def.care_level
            hospital_point = care_level == CollaborationPoint.CareLevel.HOSPITAL
            if opens is None:  # its anchor never happened in the history
                outcome, on = "", None
            else:
                outcome, on = _outcome(rng, opens, closes, today, 0.8 if hospital_point else on_time)
            if hospital_point and not outcome and closes:  # the hospital's point is always closed in the history
                outcome, on = "completed", min(today, closes + datetime.timedelta(days=rng.randint(1, 20)))
            if death and (not outcome or on > death):
                outcome, on = "cancelled", death
            if not hospital_point and offer != Offer.ACCEPTED and not outcome:
                outcome, on = "cancelled", diagnosed + datetime.timedelta(days=40)
            point = CollaborationPoint(
                key=point_def.key,
                sequence=sequence,
                title=point_def.title,
                care_level=care_level,
                responsible_organisation=hospital if hospital_point else municipality,
                window_opens=opens,
                window_closes=closes,
                outcome=outcome,
                outcome_on=on,
            )
            self.points.append((index, point))
            outcomes[point_def.key] = (outcome, on)
            open_points += not outcome
        if death:
            enrolment.ended_at, enrolment.end_reason = _local(death), Enrolment.EndReason.DECEASED
            contacted = death + datetime.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.8 else None
            self.follow_ups.append(
                (index, BereavementFollowUp(municipality=municipality, contacted_on=contacted), death)
            )
        elif not open_points:
            enrolment.ended_at, enrolment.end_reason = _local(today), Enrolment.EndReason.COMPLETED

    def save(self):
        Patient.objects.bulk_create(self.patients, batch_size=500)
        for patient, enrolment in zip(self.patients, self.enrolments, strict=True):
            enrolment.patient = patient
        Enrolment.objects.bulk_create(self.enrolments, batch_size=500)
        for index, point in self.points:
            point.enrolment = self.enrolments[index]
        CollaborationPoint.objects.bulk_create([point for _index, point in self.points], batch_size=500)
        follow_ups = []
        for index, follow_up, _created in self.follow_ups:
            follow_up.enrolment = self.enrolments[index]
            follow_ups.append(follow_up)
        BereavementFollowUp.objects.bulk_create(follow_ups, batch_size=500)
        for follow_up, (_index, _follow_up, created) in zip(follow_ups, self.follow_ups, strict=True):
            follow_up.created_at = _local(created)
        BereavementFollowUp.objects.bulk_update(follow_ups, ["created_at"], batch_size=500)
        self._conversations([point for _index, point in self.points if point.outcome == "completed"])
        return len(self.patients)

    def _conversations(self, points):
        rng, today = self.rng, self.today
        responses, assessments = [], []
        for point in points:
            questionnaire = questionnaires.for_patient(point.enrolment.patient)
            answers = _answers(questionnaire, rng)
            result = scoring.score(questionnaire, answers)  # the scores as the product stores them
            responses.append(
                QuestionnaireResponse(
                    point=point,
                    questionnaire_id=questionnaire.id,
                    questionnaire_version=questionnaire.version,
                    source="professional",
                    status="completed",
                    answers=answers,
                    current_page=len(questionnaire.pages),
                    distress_score=result.distress_score,
                    areas=[a.code for a in result.areas],
                    help_areas=[a.code for a in result.help_wanted],
                    submitted_at=_local(point.outcome_on),
                )
            )
        QuestionnaireResponse.objects.bulk_create(responses, batch_size=500)
        for response in responses:
            point = response.point
            assessments.append(
                Assessment(
                    point=point,
                    response=response,
                    organisation=point.responsible_organisation,
                    completed_at=_local(point.outcome_on),
                    summary="",
                )
            )
        Assessment.objects.bulk_create(assessments, batch_size=500)
        self._hand_overs(points, today)

    def _hand_overs(self, points, today):
        """The hand-overs of the completed points, to the receivers handover's rule names, due by
        the date its rule gives and acknowledged, mostly in time: history leaves no unacknowledged
        message behind to crowd the demo's own alerts. As imported records they carry no content
        snapshot and no acknowledging user (handover.content for ~1,800 messages took a minute)."""
        rng, messages = self.rng, []
        for point in points:
            patient = point.enrolment.patient
            sender = point.responsible_organisation
            recipients = rules.point_recipients(
                care_level=point.care_level,
                municipality_id=patient.municipality_id,
                gp_office_id=patient.gp_office_id,
                extra_ids=(),
                sharing_declined=False,
                sender_ids={sender.pk},
            )
            if not recipients:
                continue
            delivered = _local(point.outcome_on, 13)
            due = channels.acknowledge_by(point.outcome_on)
            late = rng.random() < 0.12
            acknowledged = due + datetime.timedelta(days=rng.randint(1, 6)) if late else point.outcome_on
            for recipient in recipients:
                messages.append(
                    HandoverMessage(
                        kind="point_completed",
                        enrolment=point.enrolment,
                        point=point,
                        sender=sender,
                        recipient_id=recipient.organisation_id,
                        reason=recipient.reason,
                        content={},  # imported: the snapshot (handover.content) is not read back
                        delivered_at=delivered,
                        acknowledge_by=due,
                        acknowledged_at=_local(min(today, acknowledged), 15),
                        sent_by_name=self.person(),
                        acknowledged_by_name=self.person(),
                    )
                )
        HandoverMessage.objects.bulk_create(messages, batch_size=500)
        for message in messages:
            message.created_at = message.delivered_at
        HandoverMessage.objects.bulk_update(messages, ["created_at"], batch_size=500)


def _answers(questionnaire, rng):
    """A conversation's answers: a distress score (now and then none) and the areas the patient
    wants help with (none to three)."""
    answers = {}
    distress = rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, None))
    for item in questionnaire.items.values():
        if item.is_distress and distress is not None:
            answers[item.link_id] = distress
    for item in rng.sample(questionnaire.areas, k=rng.choice((0, 1, 1, 2, 3))):
        answers[item.link_id] = True
        answers[f"{item.link_id}-help"] = True
    return questionnaire.clean(answers)
