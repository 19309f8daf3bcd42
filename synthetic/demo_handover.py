"""Demo handover messages in every state a sender or a receiver meets.

The demo pathway completes its points through `pathway.services.close_point`, so the hand-over
signal has written a message (and its outbox rows) for each completed point already, but at load
time, before the demo's assessments existed, and with nothing delivered. Here the messages get what
a real run would have given them: the assessment in their content, the dates of the completions,
deliveries, acknowledgements some days later (through `handover.services.acknowledge`, as the
inbox and the FHIR API acknowledge, so with its checks, timeline line and audit entry; only the
moment is then set on the demo's clock), a few left unacknowledged past their date, an
e-mail that never went through, a couple of notes and a patient who declined sharing. The demo
records its moves and deaths through the patient's service (synthetic.demo), so handover's own
receivers have written the transfer and bereavement messages. One hospital
completion recorded a few hours ago is corrected by its author (the place was wrong) through
`handover.corrections`, so that the sender also meets messages entered in error and their
replacements.

The outbox is not worked here: the e-mail channel would print one e-mail per message on the
console at `make run`. Only Haukeland's newest message is left in the outbox, as just sent; a
running `manage.py worker` delivers it (and prints its one e-mail notice, if any).
"""

import datetime
import random

from django.conf import settings
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import CLINICAL_ROLES, Membership, Role, User
from directory.models import Organisation
from handover import channels, content, corrections, rules
from handover import services as handover_services
from handover.models import Delivery, HandoverMessage
from pathway.models import CollaborationPoint
from pathway.services import HandoverChoice
from synthetic import demo_time

Kind, Reason = HandoverMessage.Kind, HandoverMessage.Reason
DeliveryStatus = Delivery.Status
HAUKELAND = "Haukeland universitetssjukehus"
NOTES = [
    "Pasienten ønsker at kreftkoordinator ringer etter utskriving, helst på formiddagen.",
    "Ektefellen er hovedpårørende og ønsker å være med på samtalen i kommunen.",
    "Pasienten har fått time til strålebehandling om tre uker. Fastlegen følger opp smerter til da.",
]
# GP offices without a demo user: a (made-up) GP there acknowledges.
GP_NAMES = ["Anders Myhre", "Silje Bø", "Håkon Rønneberg", "Tuva Grimstad", "Eirik Sunde"]
SMTP_ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


def load(rng, today):
    if (
        HandoverMessage.objects.filter(delivered_at__isnull=False).exists()
        or Delivery.objects.exclude(status=DeliveryStatus.PENDING).exists()
    ):
        return  # loaded before: a running outbox has taken over
    now = demo_time.moment_on(today)
    _hand_over_completed_points()
    messages = list(
        HandoverMessage.objects.select_related("point", "sender", "recipient", "enrolment__patient").order_by("id")
    )
    if not messages:
        return
    _fill_in_content(messages)
    _notes(messages, rng)
    _backdate(messages, rng, now)
    _deliver_and_acknowledge(messages, rng, today, now)
    _correct_a_completion(today, now)


def load_later(rng, today, enrolments):
    """The messages of pathways the demo adds after `load` (its example pathways): the same
    content, dates and deliveries, and acknowledged through handover's service once their date
    has passed, so that the demo's few overdue and failed messages stay those `load` chose."""
    now = demo_time.moment_on(today)
    messages = list(
        HandoverMessage.objects.filter(enrolment__in=enrolments, delivered_at__isnull=True)
        .select_related("point", "sender", "recipient", "enrolment__patient")
        .order_by("id")
    )
    _fill_in_content(messages)
    _backdate(messages, rng, now)
    acknowledgers = _Acknowledgers(rng)
    for message in messages:
        _delivered(message, rng)
        if message.acknowledge_by < today:
            _acknowledge(message, acknowledgers, rng, now)


# --- Messages the signal path did not write ---------------------------------------------------


def _actor(user, organisation):
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, role__in=CLINICAL_ROLES)
        .select_related("organisation")
        .first()
    )
    return Actor(user=user, membership=membership) if membership else None


def _hand_over_completed_points():
    """Completed points without a message (a demo database loaded before handover existed)."""
    points = (
        CollaborationPoint.objects.filter(outcome=CollaborationPoint.Outcome.COMPLETED, outcome_by__isnull=False)
        .exclude(handover_messages__kind=Kind.POINT_COMPLETED)
        .select_related("enrolment__patient", "responsible_organisation", "outcome_by")
        .order_by("id")
    )
    for point in points:
        actor = _actor(point.outcome_by, point.responsible_organisation)
        if actor is not None:
            handover_services.hand_over_point(actor, point, HandoverChoice())


# --- Content and notes ------------------------------------------------------------------------


def _fill_in_content(messages):
    """The signal wrote the content before the demo's assessments existed; as sent for real, it
    holds the assessment. The next point and the contacts stay as they were when it was written."""
    for message in messages:
        if message.kind != Kind.POINT_COMPLETED:
            continue
        body = content.point_completed(
            message.point, sender=message.sender, sent_by=message.sent_by, sharing_declined=message.sharing_declined
        )
        body["next_point"] = message.content.get("next_point")
        body["contacts"] = message.content.get("contacts", body["contacts"])
        message.content = body
        HandoverMessage.objects.filter(pk=message.pk).update(content=body)


def _by_point(messages):
    points = {}
    for message in messages:
        if message.kind == Kind.POINT_COMPLETED:
            points.setdefault(message.point_id, []).append(message)
    return points


def _notes(messages, rng):
    """A few hospital completions carry a note, written once by the professional for every
    receiver of the point (not the one whose patient declined sharing: it is told nothing more)."""
    points = _by_point(messages)
    hospital = [
        group for group in points.values() if group[0].point.care_level == "hospital" and not group[0].sharing_declined
    ]
    for note, group in zip(NOTES, rng.sample(hospital, k=min(len(NOTES), len(hospital))), strict=False):
        for message in group:
            message.note = note
        HandoverMessage.objects.filter(pk__in=[m.pk for m in group]).update(note=note)


# --- Dates and states ---------------------------------------------------------------------------


def _redate(message, created):
    """The message (and its deliveries) written at `created`, on the demo's clock."""
    message.created_at = created
    HandoverMessage.objects.filter(pk=message.pk).update(created_at=created)
    message.deliveries.update(created_at=created, next_attempt_at=created)


def _backdate(messages, rng, now):
    """Written when the point was completed (just after the assessment, saved at noon); a transfer
    when the demo recorded the move. Never later than a few minutes ago."""
    for message in messages:
        if message.kind == Kind.POINT_COMPLETED:
            created = timezone.make_aware(
                datetime.datetime.combine(message.point.outcome_on, datetime.time(12))
            ) + datetime.timedelta(minutes=rng.randint(5, 150))
            created = min(created, now - datetime.timedelta(minutes=rng.randint(20, 90)))
        else:  # the demo's moves are recorded today
            created = now - datetime.timedelta(minutes=rng.randint(20, 240))
        _redate(message, created)


def _pick(messages, count, **match):
    chosen = [m for m in messages if all(_field(m, k) == v for k, v in match.items())][:count]
    for message in chosen:
        messages.remove(message)
    return chosen


def _field(message, name):
    return {"sender": message.sender.name, "recipient": message.recipient.name, "kind": message.kind}[name]


def _deliver_and_acknowledge(messages, rng, today, now):
    rest = sorted(messages, key=lambda m: m.created_at, reverse=True)
    sending = _just_sent(rest, rng, now)
    for message in sending:
        rest.remove(message)
    for message in rest:
        _delivered(message, rng)
    # Left unacknowledged past their date (the latest ones), and the hospital's e-mail notice to
    # Askøy that never went through (the message itself is in Askøy's inbox).
    late = [m for m in rest if m.acknowledge_by < today]
    overdue = (
        _pick(late, 1, sender=HAUKELAND, recipient="Askøy")
        + _pick(late, 1, sender="Askøy")
        + _pick(late, 1, sender="Ålesund sjukehus")
        + _pick(late, 1, sender="Molde sjukehus")
    )
    failed = _pick(late, 1, sender=HAUKELAND, recipient="Askøy") or _pick(late, 1, sender=HAUKELAND)
    for message in failed:
        _e_mail_failed(message)
    acknowledgers = _Acknowledgers(rng)
    for message in rest:
        if message in failed or message in overdue:
            continue
        if message.acknowledge_by >= today and rng.random() < 0.65:
            continue  # arrived lately, still within its time
        _acknowledge(message, acknowledgers, rng, now)


def _just_sent(newest_first, rng, now):
    """Haukeland's latest completion was recorded a few minutes ago (some days after the
    conversation): the municipality's message has arrived, the GP's is still in the outbox.
    Returns the messages left in the outbox."""
    completions = [m for m in newest_first if m.sender.name == HAUKELAND and m.kind == Kind.POINT_COMPLETED]
    # Preferably one told to both the municipality and the GP, so that the municipality's copy
    # waits in its inbox while the GP's is still in the outbox, whatever the day.
    reasons = {}
    for message in newest_first:
        reasons.setdefault(message.point_id, set()).add(message.reason)
    both = [m for m in completions if reasons[m.point_id] >= {Reason.MUNICIPALITY, Reason.GP}]
    latest = next(iter(both or completions), None)
    if latest is None:
        return []
    group = [m for m in newest_first if m.point_id == latest.point_id]
    created = now - datetime.timedelta(minutes=rng.randint(4, 12))
    for message in group:
        _redate(message, created)
    return [m for m in group if m.reason != HandoverMessage.Reason.MUNICIPALITY][:1] or group[:1]


def _delivered(message, rng):
    heimveg_at = message.created_at + datetime.timedelta(seconds=rng.randint(20, 180))
    email_at = heimveg_at + datetime.timedelta(seconds=rng.randint(2, 90))
    due = channels.acknowledge_by(timezone.localdate(heimveg_at))
    message.delivered_at, message.acknowledge_by = heimveg_at, due
    HandoverMessage.objects.filter(pk=message.pk).update(delivered_at=heimveg_at, acknowledge_by=due)
    addresses = {cp.email for cp in message.recipient.contact_points.all() if cp.email}
    receipts = {
        "heimveg": (heimveg_at, "in the inbox"),
        "email": (email_at, f"e-mail to {len(addresses)} address(es)" if addresses else "no e-mail address registered"),
    }
    for delivery in message.deliveries.all():
        delivered_at, receipt = receipts.get(delivery.channel, (heimveg_at, "delivered"))
        delivery.status, delivery.attempts, delivery.delivered_at, delivery.receipt = (
            DeliveryStatus.DELIVERED,
            1,
            delivered_at,
            receipt,
        )
        delivery.save(update_fields=["status", "attempts", "delivered_at", "receipt"])


def _e_mail_failed(message):
    """Every attempt of the e-mail notice failed, with the outbox's back-off between them."""
    attempts = settings.HANDOVER_MAX_ATTEMPTS
    at = message.created_at
    for attempt in range(1, attempts):
        at += rules.retry_delay(
            attempt,
            base_seconds=settings.HANDOVER_RETRY_BASE_SECONDS,
            max_seconds=settings.HANDOVER_RETRY_MAX_SECONDS,
        )
    message.deliveries.filter(channel="email").update(
        status=DeliveryStatus.FAILED, attempts=attempts, delivered_at=None, receipt="", last_error=SMTP_ERROR
    )
    message.failed_at = at
    HandoverMessage.objects.filter(pk=message.pk).update(failed_at=at)


class _Acknowledgers:
    """Who acknowledges for a receiver: its coordinator or GP in the demo, else a made-up GP of the
    office, a user without a password (the demo's logins stay those it prints)."""

    def __init__(self, rng):
        self.rng, self.known = rng, {}

    def for_organisation(self, organisation):
        if organisation.pk not in self.known:
            membership = (
                Membership.objects.filter(
                    organisation=organisation, role__in=[Role.MUNICIPAL_COORDINATOR, Role.GP, Role.HOSPITAL_CLINICIAN]
                )
                .select_related("user", "organisation")
                .order_by("id")
                .first()
            )
            if membership is None and organisation.kind == Organisation.Kind.GP_OFFICE:
                membership = _made_up_gp(organisation, self.rng.choice(GP_NAMES))
            self.known[organisation.pk] = Actor(user=membership.user, membership=membership) if membership else None
        return self.known[organisation.pk]


def _made_up_gp(office, name):
    first_name, last_name = name.split(" ", 1)
    user, created = User.objects.get_or_create(
        username=f"fastlege.{_ascii(office.name.split()[0].lower())}",
        defaults={"first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.select_related("user", "organisation").get_or_create(
        user=user, organisation=office, role=Role.GP
    )
    return membership


def _ascii(word):
    return word.replace("æ", "ae").replace("ø", "o").replace("å", "a")


def _acknowledge(message, acknowledgers, rng, now):
    """Acknowledged by the receiver through handover's own service (the check, the timeline line,
    the audit entry), at a moment on the demo's clock: the service stamps the real now, so the
    moment is set afterwards, as the demo does with every other moment of its messages."""
    actor = acknowledgers.for_organisation(message.recipient)
    delivered_day = timezone.localdate(message.delivered_at)
    span = max((message.acknowledge_by - delivered_day).days, 0)
    day = delivered_day + datetime.timedelta(days=rng.randint(0, span))
    if rng.random() < 0.1:
        day += datetime.timedelta(days=rng.randint(1, 4))  # now and then a day or two late
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 15), rng.randint(0, 59))))
    at = max(at, message.delivered_at + datetime.timedelta(minutes=rng.randint(60, 180)))
    at = min(at, now - datetime.timedelta(minutes=rng.randint(1, 15)))
    if at < message.delivered_at + datetime.timedelta(hours=1) or actor is None:
        return  # arrived only minutes ago: not read yet
    handover_services.acknowledge(actor, message)
    HandoverMessage.objects.filter(pk=message.pk).update(acknowledged_at=at)
    message.acknowledged_at = at


# --- A corrected completion ---------------------------------------------------------------------

# The place the author meant, and the reason given to the receivers (Norwegian, as written).
CORRECTED_PLACE = {
    "Heime hos pasienten": ("Poliklinikken", "Feil sted ble registrert. Samtalen var på poliklinikken."),
}
HOME_VISIT = ("Heime hos pasienten", "Feil sted ble registrert. Samtalen var hjemme hos pasienten.")
RECORDED_AGO = datetime.timedelta(hours=3)  # when the completion was recorded, before the demo's now
CORRECTED_AGO = datetime.timedelta(minutes=45)  # and when its author corrected it


def _correct_a_completion(today, now):
    """Haukeland's nurse recorded a completion a few hours ago and corrects the place now, within
    HEIMVEG_COMPLETION_CORRECTION_HOURS, through `handover.corrections` (which marks the messages
    entered in error and writes their replacements). As for every other demo message, the
    messages' moments are then dated on the demo's clock: the correction `CORRECTED_AGO` before
    the demo's now, the replacements delivered and waiting for acknowledgement. Uses its own
    random numbers, so the rest of the demo is the same as without it."""
    rng = random.Random(today.toordinal())
    recorded, corrected = now - RECORDED_AGO, now - CORRECTED_AGO
    picked = _correctable(today, recorded)
    if picked is None:
        return
    actor, point, group = picked
    # The completion was recorded a few hours ago: its messages were written and delivered then.
    for message in group:
        _redate(message, recorded)
        _delivered(message, rng)
        if message.acknowledged_at is not None:  # read soon after it arrived
            acknowledged = message.delivered_at + datetime.timedelta(minutes=rng.randint(30, 90))
            message.acknowledged_at = acknowledged
            HandoverMessage.objects.filter(pk=message.pk).update(acknowledged_at=acknowledged)
    place, reason = CORRECTED_PLACE.get(point.place, HOME_VISIT)
    written = corrections.correct_completion(
        actor,
        point,
        on_date=point.outcome_on,
        place=place,
        note=group[0].note,
        reason=reason,
        seen=corrections.corrections_made(point),
        today=today,
    )
    HandoverMessage.objects.filter(pk__in=[m.pk for m in group]).update(entered_in_error_at=corrected)
    for message in written:
        _redate(message, corrected)
        _delivered(message, rng)


def _correctable(today, recorded):
    """(actor, point, its messages) of a Haukeland hospital completion its author can correct,
    whose messages all arrived and none is among the demo's overdue, failed or just sent ones;
    preferably one still waiting for acknowledgement. None if there is none."""
    messages = (
        HandoverMessage.objects.filter(
            kind=Kind.POINT_COMPLETED,
            sender__name=HAUKELAND,
            point__care_level="hospital",
            point__outcome_on__lte=timezone.localdate(recorded),
        )
        .select_related("point__enrolment", "point__responsible_organisation", "point__outcome_by", "sender")
        .order_by("-created_at", "id")
    )
    groups = {}
    for message in messages:
        groups.setdefault(message.point_id, []).append(message)
    usable = [
        group
        for group in groups.values()
        if all(m.delivered_at and not m.failed_at and not m.sharing_declined and not m.is_overdue(today) for m in group)
        and not Delivery.objects.filter(message__in=group).exclude(status=DeliveryStatus.DELIVERED).exists()
        and not corrections.sharing_declined(group[0].point)
    ]
    usable.sort(key=lambda group: any(m.acknowledged_at for m in group))  # waiting ones first
    for group in usable:
        point = group[0].point
        actor = _actor(point.outcome_by, group[0].sender)
        if actor is not None and corrections.can_correct(actor, point):
            return actor, point, group
    return None
