"""Correcting a completion: within HEIMVEG_COMPLETION_CORRECTION_HOURS of recording that a
collaboration point was completed, the person who recorded it can correct what was recorded (the
date, the place, the note to the receivers, and that the patient declined sharing), with a reason.

The point stays completed, with the corrected facts. Every handover message sent for the
completion is kept and marked entered in error (FHIR Communication.status `entered-in-error`);
each receiver the rule still names gets a replacement with the corrected content, written through
the same outbox and linked to the message it replaces. A replacement is a new message: the
receiver acknowledges it, also when it had acknowledged the one it replaces. A receiver the rule
no longer names (the patient has now declined sharing) gets no replacement: its message is marked
entered in error, with the reason. Declined sharing is never taken back by a correction.

Both the old and the new messages stay on the timeline and in the audit log. One transaction:
the point and its enrolment are locked and every rule is checked again inside it, so of two
corrections sent at once (two tabs, a double click) one wins and the other is told the completion
was corrected just now.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from directory.models import Organisation
from handover import content
from handover import services as handover
from handover.models import HandoverMessage
from pathway import services as pathway
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.schedule import ANCHOR_POINT, anchor_dates
from pathway.services import PathwayConflict, PathwayRuleError
from patients.access import record

Event = PathwayEvent.Kind
Action = AuditEntry.Action
COMPLETION = "completion"  # PathwayEvent.data["what"] of a completion's correction


def period() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.HEIMVEG_COMPLETION_CORRECTION_HOURS)


def completed_at(point):
    """When the completion was recorded (its timeline entry), or None."""
    event = PathwayEvent.objects.filter(point=point, kind=Event.POINT_COMPLETED).order_by("occurred_at", "id").first()
    return event.occurred_at if event else None


def correctable_until(point):
    """Until when the completion of `point` can be corrected, or None if it is not completed."""
    if point.outcome != CollaborationPoint.Outcome.COMPLETED:
        return None
    recorded = completed_at(point)
    return recorded + period() if recorded else None


def corrections_made(point) -> int:
    """How many times the completion has been corrected: the token a correction form carries, so
    that a correction made since the form was shown is never overwritten unseen."""
    return PathwayEvent.objects.filter(point=point, kind=Event.CORRECTION, data__what=COMPLETION).count()


def sharing_declined(point) -> bool:
    return PathwayEvent.objects.filter(point=point, kind=Event.SHARING_DECLINED).exists()


def current_messages(point):
    """The completion's messages that stand: sent for it and not entered in error."""
    return point.handover_messages.filter(
        kind=HandoverMessage.Kind.POINT_COMPLETED, entered_in_error_at__isnull=True
    ).select_related("recipient")


def _ended_otherwise(enrolment):
    return not enrolment.is_open and enrolment.end_reason != Enrolment.EndReason.COMPLETED


def can_correct(actor, point, now=None) -> bool:
    """Whether to offer `actor` the correction of this point's completion (the service checks again)."""
    user = getattr(actor, "user", None)
    if user is None or point.outcome != CollaborationPoint.Outcome.COMPLETED or point.outcome_by_id != user.pk:
        return False
    until = correctable_until(point)
    return (
        until is not None
        and (now or timezone.now()) < until
        and pathway.is_responsible(actor, point)
        and not _ended_otherwise(point.enrolment)
    )


def _when(value):
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def _check(actor, point, seen, now):
    """The rules, against the locked and freshly read point."""
    enrolment = point.enrolment
    if point.outcome != CollaborationPoint.Outcome.COMPLETED:
        raise PathwayConflict(_("This collaboration point is not completed, so there is no completion to correct."))
    if _ended_otherwise(enrolment):
        raise PathwayConflict(
            _(
                "This pathway has ended (%(reason)s), so the completion can no longer be corrected. "
                "Record a correction on the timeline instead."
            )
            % {"reason": enrolment.get_end_reason_display().lower()}
        )
    if point.outcome_by_id != actor.user.pk:
        raise PathwayRuleError(
            _(
                "Only %(name)s, who recorded the completion, can correct it. "
                "Ask them, or record a correction on the timeline."
            )
            % {"name": content.person_name(point.outcome_by) or _("the person")}
        )
    pathway.require_responsible(actor, point)
    until = correctable_until(point)
    if until is None or now >= until:
        raise PathwayRuleError(
            _(
                "A completion can be corrected for %(hours)s hours after it was recorded; that time ran out on "
                "%(when)s. Record a correction on the timeline instead, and tell the receivers."
            )
            % {"hours": settings.HEIMVEG_COMPLETION_CORRECTION_HOURS, "when": _when(until) if until else "–"}
        )
    if seen is not None and corrections_made(point) != seen:
        raise PathwayConflict(
            _(
                "The completion was corrected just now (in another window or tab). "
                "Check the corrected facts below before you correct it again."
            )
        )


def _check_facts(point, on_date, reason, today):
    if not reason.strip():
        raise PathwayRuleError(_("Give a reason for the correction: the receivers will see it."), field="reason")
    if on_date is None:
        raise PathwayRuleError(_("Enter the date of the conversation."), field="on_date")
    if on_date > today:
        raise PathwayRuleError(_("The date cannot be in the future."), field="on_date")
    if on_date < point.enrolment.diagnosis_date:
        raise PathwayRuleError(_("The date cannot be before the diagnosis."), field="on_date")


def _reschedule_dependants(actor, point):
    """Open points counted from this one (the hearing draft's points 4 and 5) follow its new date."""
    enrolment = point.enrolment
    definition = pathway.enrolment_definition(enrolment)  # the version it started on
    dependants = {p.key for p in definition.points if p.anchor.kind == ANCHOR_POINT and p.anchor.ref == point.key}
    if not dependants:
        return
    events = {e.data["event"]: e.on_date for e in enrolment.events.filter(kind=Event.EVENT_RECORDED)}
    closed = enrolment.points.exclude(outcome="").values_list("key", "outcome", "outcome_on")
    completions = anchor_dates({key: (outcome, on_date) for key, outcome, on_date in closed})
    windows = pathway.windows(enrolment, events, completions)
    for other in enrolment.points.filter(key__in=dependants, outcome=""):
        window = windows.get(other.key)
        if window and tuple(window) != (other.window_opens, other.window_closes):
            other.window_opens, other.window_closes = window
            other.save(update_fields=["window_opens", "window_closes"])
            pathway._scheduled(actor, other, window)


@transaction.atomic
def correct_completion(
    actor, point, *, on_date, place="", note="", declined=False, reason, seen=None, today=None, request=None
) -> list[HandoverMessage]:
    """Correct the completion of `point` (see the module's docstring); returns the messages written.
    `seen` is `corrections_made(point)` as the form showed it."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    pathway.lock_point(point)
    _check(actor, point, seen, now)
    _check_facts(point, on_date, reason, today)
    reason = reason.strip()
    was_declined = sharing_declined(point)
    declined = declined or was_declined  # a correction never shares what the patient declined to share
    before = {"on_date": point.outcome_on.isoformat(), "place": point.place}
    point.outcome_on, point.place = on_date, place.strip()
    point.save(update_fields=["outcome_on", "place"])
    if declined and not was_declined:
        pathway.note_on_timeline(actor, point, Event.SHARING_DECLINED)
    _reschedule_dependants(actor, point)

    old = list(current_messages(point).select_for_update(of=("self",)).order_by("id"))
    for message in old:
        message.entered_in_error_at, message.correction_reason = now, reason
        message.save(update_fields=["entered_in_error_at", "correction_reason"])
    chosen = [m.recipient_id for m in old if m.reason == HandoverMessage.Reason.CHOSEN]
    recipients = handover.rule_recipients(actor, point, extra_ids=[] if declined else chosen, sharing_declined=declined)
    replaced = {m.recipient_id: m for m in old}
    organisations = Organisation.objects.in_bulk([r.organisation_id for r in recipients])
    body = content.point_completed(point, sender=actor.organisation, sent_by=actor.user, sharing_declined=declined)
    written = [
        handover._write(
            actor,
            point.enrolment,
            kind=HandoverMessage.Kind.POINT_COMPLETED,
            recipient=organisations[r.organisation_id],
            reason=r.reason,
            point=point,
            note=note.strip(),
            body=body,
            sharing_declined=declined,
            replaces=replaced.get(r.organisation_id),
            correction_reason=reason,
        )
        for r in recipients
    ]
    pathway._event(
        actor,
        point.enrolment,
        Event.CORRECTION,
        point=point,
        on_date=on_date,
        note=reason,
        data={
            "what": COMPLETION,
            "before": before,
            "place": point.place,
            "entered_in_error": [m.recipient.name for m in old],
            "replacements": [m.recipient.name for m in written],
        },
    )
    if written:
        pathway.note_on_timeline(
            actor,
            point,
            Event.HANDOVER_SENT,
            data={"to": [m.recipient.name for m in written], "kind": HandoverMessage.Kind.POINT_COMPLETED},
        )
        handover._kick_outbox()
    # The audit entries last: the correction of the point, then the messages it wrote.
    patient = point.enrolment.patient
    record(
        actor,
        patient,
        Action.UPDATE,
        object_type="enrolment",
        detail=f"{point.key} completion corrected",
        request=request,
    )
    if old or written:
        record(
            actor,
            patient,
            Action.UPDATE,
            object_type="handover_message",
            detail=f"{len(old)} entered in error, {len(written)} replacements",
            request=request,
        )
    return written
