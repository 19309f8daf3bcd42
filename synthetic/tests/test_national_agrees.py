"""Generated and service-made enrolments agree point for point.

A small month is generated; for a sample of its patients the same decisions (the diagnosis, the
answer to the offer, each point's outcome on its day, the answers, summary and follow-up actions
of each assessment, the contact person, the acknowledgements) are replayed through the product's
services, as the nurses would make them, into a fresh patient. Both must then hold the same
windows, statuses, dates, scores and handover messages (receivers, content, acknowledge-by day).
A rule changed in the product and not followed by the generator fails here.

Moves and deaths while on the pathway are replayed as the patient's page records them: the patient
form through patients.services.update_patient (as synthetic/demo.py does), whose signals move the
open points or end the pathway and write the transfer and bereavement messages. A move after the
pathway ended leaves no trace on it to replay from (no event, no message), so those patients are
left out.
"""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.actor import Actor
from accounts.models import Membership
from assessment import services as assessment_services
from assessment.models import Assessment, QuestionnaireResponse
from handover import outbox
from handover import services as handover_services
from lib import nin
from pathway import services as pathway_services
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.schedule import offer_status, point_status
from patients import services as patient_services
from patients.forms import PatientForm
from patients.models import Patient
from synthetic.national import reference, rows, writer

SEED = 11
YEAR, MONTH = 2024, 3
END = datetime.date(2025, 6, 30)  # past the last window of a March 2024 diagnosis
SCALE = 0.012  # about forty patients
SAMPLE = 24
Kind = PathwayEvent.Kind
# The timeline entries both write (the generator leaves out acknowledgements' entries, see rows.py).
COMPARED_EVENTS = {
    Kind.ENROLLED,
    Kind.POINT_SCHEDULED,
    Kind.OFFER_ACCEPTED,
    Kind.OFFER_DECLINED,
    Kind.POINT_COMPLETED,
    Kind.POINT_NOT_WANTED,
    Kind.SHARING_DECLINED,
    Kind.HANDOVER_SENT,
    Kind.CONTACT_PERSON,
    Kind.COMPLETED,
    Kind.MOVED,
    Kind.DIED,
    Kind.POINT_CANCELLED,
    Kind.BEREAVEMENT_FOLLOW_UP,
}


@pytest.fixture
def generated(db):
    ctx = reference.prepare(SEED)
    reference.start_pathway(datetime.date(YEAR, MONTH, 1))
    used = set(Patient.objects.values_list("national_id", flat=True))
    built = rows.build_month(ctx, SEED, YEAR, MONTH, END, SCALE, writer.id_blocks(), used)
    with transaction.atomic():  # a savepoint, as the command writes a month inside a caller's transaction
        writer.write(built.tables)
    return ctx


def _sample():
    """The first generated enrolments, and every one whose patient moved or died while on the
    pathway (few in a month); left out: patients who moved after their pathway ended."""
    chosen = []
    enrolments = Enrolment.objects.filter(patient__in=writer.generated_patients()).select_related("patient")
    for enrolment in enrolments.order_by("id"):
        moved_while_open = enrolment.events.filter(kind=Kind.MOVED).exists()
        moved_after = (
            not moved_while_open
            and enrolment.points.filter(care_level=CollaborationPoint.CareLevel.MUNICIPALITY)
            .exclude(responsible_organisation=enrolment.patient.municipality_id)
            .exists()
        )
        if moved_after:
            continue
        if len(chosen) < SAMPLE or moved_while_open or enrolment.end_reason == Enrolment.EndReason.DECEASED:
            chosen.append(enrolment)
    return chosen


def _actor(ctx, organisation_id):
    membership = Membership.objects.select_related("organisation", "user").get(
        user_id=ctx.staff[organisation_id].user_id, organisation_id=organisation_id
    )
    return Actor(user=membership.user, membership=membership)


def _fresh_patient(generated_enrolment):
    """A new patient as the generated one was registered: in the municipality (and with the GP)
    it had before a move, alive."""
    generated_patient = generated_enrolment.patient
    municipality, gp_office = generated_patient.municipality_id, generated_patient.gp_office_id
    move = generated_enrolment.events.filter(kind=Kind.MOVED).first()
    if move:
        municipality = move.organisation_id
        # The GP before the move is the one a message to the GP went to before it, if any.
        earlier = generated_enrolment.handover_messages.filter(reason="gp", created_at__lt=move.occurred_at)
        gp_office = earlier.values_list("recipient_id", flat=True).first() or gp_office
    birth = generated_patient.date_of_birth
    taken = set(Patient.objects.filter(date_of_birth=birth).values_list("national_id", flat=True))
    number = next(
        n for i in nin.individual_range_for(birth.year) if (n := nin.synthetic_number(birth, i)) and n not in taken
    )
    return Patient.objects.create(
        national_id=number,
        national_id_kind=generated_patient.national_id_kind,
        given_name="Replay",
        family_name="Pasient",
        date_of_birth=birth,
        municipality_id=municipality,
        gp_office_id=gp_office,
        registered_by_id=generated_patient.registered_by_id,
    )


def _steps(enrolment):
    """The generated enrolment's decisions, in the order they were made: (time, rank, step, data)."""
    steps = [(enrolment.patient.created_at, 0, "enrol", None)]
    for event in enrolment.events.filter(kind__in=[Kind.OFFER_ACCEPTED, Kind.OFFER_DECLINED]):
        steps.append((event.occurred_at, 1, "offer", event))
    for event in enrolment.events.filter(kind__in=[Kind.POINT_COMPLETED, Kind.POINT_NOT_WANTED, Kind.CONTACT_PERSON]):
        steps.append((event.occurred_at, 2, event.kind, event))
    for event in enrolment.events.filter(kind__in=[Kind.MOVED, Kind.DIED]):
        steps.append((event.occurred_at, 2, event.kind, event))
    for message in enrolment.handover_messages.filter(acknowledged_at__isnull=False):
        steps.append((message.acknowledged_at, 2, "acknowledge", message))
    # Within a day: enrolment, then the offer (the generator records the answer before any point
    # is held), then the rest in time order.
    return sorted(steps, key=lambda s: (timezone.localdate(s[0]), s[1], s[0]))


def _replay(ctx, generated_enrolment, clock):
    """The generated decisions made again through the services; returns the new enrolment."""
    patient = _fresh_patient(generated_enrolment)
    hospital = _actor(ctx, generated_enrolment.enrolling_organisation_id)
    enrolment = None
    for when, _rank, step, data in _steps(generated_enrolment):
        clock.move_to(when)
        today = timezone.localdate()
        if step == "enrol":
            enrolment = pathway_services.enrol(
                hospital,
                patient,
                diagnosis_date=generated_enrolment.diagnosis_date,
                icd10_code=generated_enrolment.icd10_code,
                treatment_intent=generated_enrolment.treatment_intent,
                today=today,
            )
        elif step == "offer":
            offer = "accepted" if data.kind == Kind.OFFER_ACCEPTED else "declined"
            pathway_services.record_offer(hospital, enrolment, offer, today=today)
        elif step == Kind.CONTACT_PERSON:
            municipal = _actor(ctx, data.organisation_id)
            pathway_services.set_contact_person(municipal, enrolment, municipal.user)
        elif step == Kind.MOVED:
            _update_patient(
                _actor(ctx, data.organisation_id),
                patient,
                today,
                municipality=data.data["to_id"],
                gp_office=generated_enrolment.patient.gp_office_id or "",
            )
        elif step == Kind.DIED:
            _update_patient(_actor(ctx, data.organisation_id), patient, today, date_of_death=data.on_date.isoformat())
        elif step == "acknowledge":
            message = _counterpart(enrolment, data)
            handover_services.acknowledge(_actor(ctx, message.recipient_id), message)
        else:
            _close(ctx, enrolment, data, today)
        outbox.deliver_due()
        enrolment.refresh_from_db()
    return enrolment


def _update_patient(actor, patient, today, **changes):
    """The patient's page saving a change (as synthetic/demo.py records moves and deaths)."""
    patient.refresh_from_db()
    data = {
        **{f: getattr(patient, f) for f in ("national_id", "given_name", "family_name", "preferred_language")},
        "mobile_phone": patient.mobile_phone,
        "email": patient.email,
        "municipality": patient.municipality_id,
        "gp_office": patient.gp_office_id or "",
        "date_of_death": patient.date_of_death.isoformat() if patient.date_of_death else "",
        **changes,
    }
    form = PatientForm(data=data, instance=Patient.objects.get(pk=patient.pk), actor=actor)
    assert form.is_valid(), form.errors
    patient_services.update_patient(actor, form, today=today)


def _close(ctx, enrolment, event, today):
    generated_point = event.point
    actor = _actor(ctx, generated_point.responsible_organisation_id)
    point = enrolment.points.get(key=generated_point.key)
    if event.kind == Kind.POINT_NOT_WANTED:
        pathway_services.close_point(actor, point, "not_wanted", on_date=generated_point.outcome_on, today=today)
        return
    generated = Assessment.objects.select_related("response").get(point=generated_point)
    assessment = assessment_services.start_assessment(actor, point)
    errors = assessment_services.save_assessment(
        actor,
        assessment,
        generated.response.answers,
        generated.summary,
        place=generated_point.place,
        held_on=generated_point.outcome_on,
    )
    assert errors == {}
    for follow_up in generated.follow_ups.order_by("id"):
        assessment_services.add_follow_up(
            actor,
            assessment,
            need=follow_up.need,
            action=follow_up.action,
            area=follow_up.area,
            responsible_organisation=follow_up.responsible_organisation,
            responsible_service=follow_up.responsible_service,
            status=follow_up.status,
        )
    declined = event.enrolment.events.filter(kind=Kind.SHARING_DECLINED, point=generated_point).exists()
    assessment_services.complete_assessment(
        actor,
        assessment,
        on_date=generated_point.outcome_on,
        place=generated_point.place,
        reason=generated_point.reason,
        handover=pathway_services.HandoverChoice(sharing_declined=declined),
        today=today,
    )


def _counterpart(enrolment, message):
    return enrolment.handover_messages.get(
        kind=message.kind, point__key=message.point.key if message.point else None, recipient=message.recipient_id
    )


# What is compared ---------------------------------------------------------------------------------


def _enrolment(enrolment):
    return {
        "diagnosis": (enrolment.diagnosis_date, enrolment.icd10_code, enrolment.icd10_name),
        "intent": enrolment.treatment_intent,
        "enrolling": enrolment.enrolling_organisation_id,
        "offer": (enrolment.offer, enrolment.ask_again_on),
        "contact person": enrolment.contact_person_id,
        "previous contact person": (enrolment.previous_contact_person_id, enrolment.previous_contact_municipality_id),
        "end": (enrolment.end_reason, enrolment.ended_at is not None),
    }


def _points(enrolment):
    result = {}
    for point in enrolment.points.order_by("sequence"):
        status = point_status(point.window_opens, point.window_closes, point.outcome, END)
        status = offer_status(
            status, care_level=point.care_level, offer=enrolment.offer, ask_again_on=enrolment.ask_again_on, today=END
        )
        response = QuestionnaireResponse.objects.filter(point=point, source="professional").first()
        assessment = Assessment.objects.filter(point=point).first()
        result[point.key] = {
            "window": (point.window_opens, point.window_closes),
            "status": status,
            "holder": point.responsible_organisation_id,
            "outcome": (point.outcome, point.outcome_on, point.outcome_by_id, point.place, point.reason),
            "answers": response and (response.questionnaire_id, response.answers, response.status),
            "score": response and (response.distress_score, list(response.areas), list(response.help_areas)),
            "assessment": assessment and (assessment.summary, assessment.completed_by_id, assessment.organisation_id),
            "follow-ups": assessment
            and sorted(assessment.follow_ups.values_list("need", "area", "action", "responsible_service", "status")),
        }
    return result


def _messages(enrolment):
    """Each message, its content with the id of the decline it reports replaced by that event's date."""
    result = []
    for message in enrolment.handover_messages.select_related("point").order_by("created_at", "id"):
        content = dict(message.content)
        if "event" in content:
            content["event"] = PathwayEvent.objects.get(pk=content["event"], enrolment=enrolment).on_date
        result.append(
            {
                "kind": message.kind,
                "point": message.point.key if message.point else None,
                "sender": (message.sender_id, message.sent_by_id, message.sent_by_name),
                "to": (message.recipient_id, message.reason, message.sharing_declined),
                "content": content,
                "delivered on": message.delivered_at and timezone.localdate(message.delivered_at),
                "acknowledge by": message.acknowledge_by,
                "acknowledged": (
                    message.acknowledged_at and timezone.localdate(message.acknowledged_at),
                    message.acknowledged_by_id,
                    message.acknowledged_by_name,
                ),
            }
        )
    return result


def _events(enrolment):
    events = enrolment.events.filter(kind__in=COMPARED_EVENTS).select_related("point")
    return sorted(
        (e.kind, e.point.key if e.point else "", e.on_date, e.user_id, e.organisation_id, e.note, e.data)
        for e in events
    )


@pytest.mark.django_db
def test_generated_enrolments_agree_with_the_services_point_for_point(generated, pinned_clock):
    sample = _sample()
    assert len(sample) >= 15
    seen = set()
    for enrolment in sample:
        # In the language the users act in (the test run's is English): the reason a death
        # cancels a point with is stored as written.
        with translation.override(settings.LANGUAGE_CODE):
            replayed = _replay(generated, enrolment, pinned_clock)
        label = f"generated enrolment {enrolment.pk}, diagnosed {enrolment.diagnosis_date}"
        assert _enrolment(replayed) == _enrolment(enrolment), label
        assert _points(replayed) == _points(enrolment), label
        assert _messages(replayed) == _messages(enrolment), label
        assert _events(replayed) == _events(enrolment), label
        seen |= {m["kind"] for m in _messages(enrolment)}
        seen |= {p["outcome"][0] or "open" for p in _points(enrolment).values()}
        seen |= {"reason" for p in _points(enrolment).values() if p["outcome"][4]}
        seen |= {"contact person"} if enrolment.contact_person_id else set()
        seen |= {enrolment.offer, enrolment.end_reason or "ongoing"}
        seen |= set(enrolment.events.filter(kind=Kind.MOVED).values_list("kind", flat=True))
    # The sample holds every kind of step the replay drives.
    assert {"point_completed", "offer_declined", "completed", "not_wanted", "open", "reason"} <= seen, seen
    assert {"accepted", "declined", "contact person", "ongoing"} <= seen, seen
    # At least one patient moved and one died while on the pathway (with their handover messages).
    assert {"moved", "transfer", "deceased", "cancelled", "bereavement"} <= seen, seen
