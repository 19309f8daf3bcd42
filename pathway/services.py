"""Every state change of the pathway goes through one function here. Each checks its rule,
writes the change, the timeline event and the audit entry in one transaction, and raises
`PathwayRuleError` with a message a nurse can act on when the rule says no."""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import people
from accounts.models import Role
from audit.models import AuditEntry
from directory.models import Organisation
from pathway import icd10, signals
from pathway.definitions import (
    DEFAULT_DEFINITION_KEY,
    MUNICIPAL_CARE_LEVELS,
    Definition,
    PointDefinition,
    all_definitions,
    get_definition,
)
from pathway.models import (
    BereavementFollowUp,
    CollaborationPoint,
    DefinitionEnabling,
    Enrolment,
    Offer,
    PathwayDefinition,
    PathwayEvent,
)
from pathway.schedule import anchor_dates, schedule
from patients.access import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.actor import Actor
    from accounts.models import User
    from patients.models import Patient

_Window = tuple[datetime.date, datetime.date]

Kind = Organisation.Kind
Event = PathwayEvent.Kind
Action = AuditEntry.Action
HOSPITAL_KINDS = {Kind.HOSPITAL, Kind.HEALTH_TRUST}
ENROLLING_KINDS = HOSPITAL_KINDS | {Kind.MUNICIPALITY}
# The municipal care levels held by a service of the municipality when the directory lists one.
SERVICE_KINDS = {"home_services": Kind.HOME_SERVICES, "nursing_home": Kind.NURSING_HOME}
_M = TypeVar("_M", bound=models.Model)
ENROLLING_ROLES = {Role.HOSPITAL_CLINICIAN, Role.PATHWAY_COORDINATOR, Role.MUNICIPAL_COORDINATOR}


class PathwayRuleError(ValidationError):
    """A rule said no. `field` names the form field it concerns; `existing` may point at the
    enrolment the user should open instead."""

    def __init__(self, message: str, *, field: str | None = None, existing: "Enrolment | None" = None) -> None:
        super().__init__(message)
        self.field = field
        self.existing = existing


class PathwayConflict(PathwayRuleError):
    """The rule said no because the record changed under the caller: someone else closed the
    point, ended the pathway or booked it just now (a race, or a page read before the change).
    The API answers 409 Conflict; a page shows the message with the current state."""


def _today() -> datetime.date:
    return timezone.localdate()


@dataclasses.dataclass(frozen=True)
class HandoverChoice:
    """What the professional decided about the hand-over when completing a point: a note for the
    receivers, extra receivers beyond the rule's, and whether the patient declined sharing."""

    note: str = ""
    extra_recipients: tuple = ()
    sharing_declined: bool = False


def _event(
    actor: object,
    enrolment: Enrolment,
    kind: str,
    *,
    point: CollaborationPoint | None = None,
    on_date: datetime.date | None = None,
    note: str = "",
    data: dict | None = None,
) -> PathwayEvent:
    user = getattr(actor, "user", None)
    return PathwayEvent.objects.create(
        enrolment=enrolment,
        kind=kind,
        point=point,
        on_date=on_date,
        note=note,
        data=data or {},
        user=user,
        username=user.get_username() if user else getattr(actor, "username", "system"),
        organisation=getattr(actor, "organisation", None),
    )


def note_on_timeline(
    actor: object,
    point: CollaborationPoint | None,
    kind: str,
    data: dict | None = None,
    *,
    enrolment: Enrolment | None = None,
) -> PathwayEvent:
    """A timeline entry for something another module did with a point (an invitation sent,
    answers received) or, with `enrolment` and no point, with the whole pathway (a transfer
    message sent). The caller writes its own audit entry."""
    if enrolment is None:
        if point is None:
            raise ValueError("a timeline entry needs a point or an enrolment")
        enrolment = point.enrolment
    return _event(actor, enrolment, kind, point=point, data=data)


def _audit(actor: object, enrolment: Enrolment, action: str, detail: str, request: "HttpRequest | None" = None) -> None:
    record(actor, enrolment.patient, action, object_type="enrolment", detail=detail, request=request)


# The guards below are shared with the assessment and the invitations, which change a point too.


def _lock(instance: _M, keep: Iterable[str] = ()) -> _M:
    """Lock `instance`'s row until the transaction ends and read it afresh, in place, but for the
    fields in `keep` (relations that never change, whose cached objects the caller set up). Every
    change checks its rule against what this read, never against the copy the caller read before:
    of two concurrent changes the second waits here (PostgreSQL: the row lock; SQLite: the
    IMMEDIATE transaction) and then sees the first one's result."""
    fields = [f.attname for f in instance._meta.concrete_fields if not f.primary_key and f.name not in keep]
    manager = type(instance)._base_manager
    instance.refresh_from_db(fields=fields, from_queryset=manager.select_for_update(no_key=True))
    return instance


def lock_enrolment(enrolment: Enrolment) -> Enrolment:
    """The enrolment, locked and read afresh (its patient, as the caller opened it, is kept)."""
    return _lock(enrolment, keep=("patient", "definition", "enrolling_organisation", "previous"))


def lock_point(point: CollaborationPoint) -> CollaborationPoint:
    """The point and its enrolment, locked and read afresh: the enrolment first, always, since a
    change of a point can end the pathway, so that no two changes ever wait for each other."""
    lock_enrolment(point.enrolment)
    return _lock(point, keep=("enrolment",))


def require_open(enrolment: Enrolment) -> None:
    if not enrolment.is_open:
        raise PathwayConflict(_("This pathway has ended and can no longer be changed. Record a correction instead."))


def definition_record(key: str = DEFAULT_DEFINITION_KEY) -> PathwayDefinition:
    """The database copy of a definition version; refuses a file changed without a new version."""
    definition = get_definition(key)
    record_, created = PathwayDefinition.objects.get_or_create(
        key=definition.key,
        version=definition.version,
        defaults={
            "title": definition.title,
            "checksum": definition.checksum,
            "content": dataclasses.asdict(definition),
        },
    )
    if not created and record_.checksum != definition.checksum:
        raise PathwayRuleError(
            _(
                "The pathway definition %(key)s version %(version)s was changed after patients were enrolled on it. "
                "Give the changed file a new version number."
            )
            % {"key": definition.key, "version": definition.version}
        )
    return record_


_STORED: dict[int, Definition] = {}


def enrolment_definition(enrolment: Enrolment) -> Definition:
    """The definition version the enrolment started on, as stored with it: a later version of
    the file (new points, other windows) never changes an existing enrolment's points."""
    record_ = enrolment.definition
    current = all_definitions().get(record_.key)
    if current is not None and current.version == record_.version and current.checksum == record_.checksum:
        return current
    stored = _STORED.get(record_.pk)
    if stored is None or stored.checksum != record_.checksum:
        stored = _STORED[record_.pk] = Definition.from_content(record_.content)
    return stored


def municipal_service(municipality: Organisation, care_level: str) -> Organisation:
    """Who holds a point of a municipal care level: the municipality's home services or nursing
    home where the directory lists one in it (the first by name), else the municipality."""
    kind = SERVICE_KINDS.get(care_level)
    if kind is None:
        return municipality
    service = Organisation.objects.filter(kind=kind, municipality=municipality).order_by("name", "pk").first()
    return service or municipality


def _responsible(point_def: PointDefinition, enrolment: Enrolment, holder: Organisation | None = None) -> Organisation:
    """Who holds a point: the patient's municipality (or its home services or nursing home,
    `municipal_service`) holds the municipal points; the enrolling hospital holds the hospital's.
    On a pathway a municipality started (the patient came to it directly) the hospital the
    municipality named holds them (`holder`), or, when they are not held, the municipality that
    recorded so (they are closed at once)."""
    patient = enrolment.patient
    if point_def.care_level in MUNICIPAL_CARE_LEVELS:
        return municipal_service(patient.municipality, point_def.care_level)
    enrolling = enrolment.enrolling_organisation
    if enrolling.kind in HOSPITAL_KINDS:
        return enrolling
    return holder or enrolling


def first_point_hospitals(patient: "Patient") -> QuerySet[Organisation]:
    """The hospitals a municipality can ask to hold the hospital's point of a pathway it starts:
    those of the patient's health trust, or the health trust itself where the directory lists
    none of its hospitals."""
    trust_id = patient.municipality.health_trust_id
    if trust_id is None:  # not "the hospitals without a trust"
        return Organisation.objects.none()
    hospitals = Organisation.objects.filter(kind=Kind.HOSPITAL, parent_id=trust_id).order_by("name")
    if hospitals.exists():
        return hospitals
    return Organisation.objects.filter(kind=Kind.HEALTH_TRUST, pk=trust_id)


def _first_point_holder(
    organisation: Organisation, patient: "Patient", hospital: Organisation | None, not_held_reason: str | None
) -> Organisation | None:
    """On a pathway a municipality starts: the hospital it named for the hospital's point, or None
    when it recorded that the point is not held (with a reason). Never a silent default: an
    overdue point on a health trust that never heard of the patient helps nobody."""
    if organisation.kind in HOSPITAL_KINDS:
        return None
    reason = (not_held_reason or "").strip()
    if hospital is None and not reason:
        raise PathwayRuleError(
            _(
                "The patient came to the municipality directly: name the hospital that should hold the first "
                "conversation, or record that it is not held and why."
            ),
            field="sp1_hospital",
        )
    if hospital is not None and reason:
        raise PathwayRuleError(
            _("Either name a hospital for the first conversation or record that it is not held, not both."),
            field="sp1_hospital",
        )
    if hospital is not None and not first_point_hospitals(patient).filter(pk=hospital.pk).exists():
        raise PathwayRuleError(
            _("Choose a hospital of the patient's health trust (%(trust)s) for the first conversation.")
            % {"trust": patient.municipality.health_trust.name if patient.municipality.health_trust else "–"},
            field="sp1_hospital",
        )
    return hospital


def point_windows(
    definition_key: str,
    diagnosis_date: datetime.date,
    enrolling_kind: str,
    first_point_weeks: int,
    events: Mapping[str, datetime.date | None] | None = None,
    completions: Mapping[str, datetime.date] | None = None,
) -> dict[str, _Window | None]:
    """Every point's window of a pathway (`schedule.schedule`), with the enrolling hospital's own
    target for its point. Plain values in, so that whatever builds pathways (these services, the
    synthetic data) counts the windows by this one rule."""
    return _point_windows(
        get_definition(definition_key), diagnosis_date, enrolling_kind, first_point_weeks, events, completions
    )


def _point_windows(
    definition: Definition,
    diagnosis_date: datetime.date,
    enrolling_kind: str,
    first_point_weeks: int,
    events: Mapping[str, datetime.date | None] | None = None,
    completions: Mapping[str, datetime.date] | None = None,
) -> dict[str, _Window | None]:
    overrides: dict[str, str] = {}
    if enrolling_kind in HOSPITAL_KINDS:
        overrides["sp1_window_closes"] = f"P{first_point_weeks}W"
    return schedule(definition, diagnosis_date, events or {}, completions or {}, overrides)


def windows(
    enrolment: Enrolment,
    events: Mapping[str, datetime.date | None] | None = None,
    completions: Mapping[str, datetime.date] | None = None,
) -> dict[str, _Window | None]:
    """Every point's window for `enrolment` (saved or not), as enrolling schedules it: its
    definition, diagnosis date and enrolling hospital's own target for the first point. Public for
    handover's corrections and the demo's history, which must follow the same rule (the national
    generator, which has no Enrolment objects, asks `point_windows` with the same values)."""
    enrolling = enrolment.enrolling_organisation
    return _point_windows(
        enrolment_definition(enrolment),
        enrolment.diagnosis_date,
        enrolling.kind,
        enrolling.first_point_weeks,
        events,
        completions,
    )


def _day(date: datetime.date | None) -> str:
    """A date as users write it (dd.mm.yyyy), for messages."""
    return date.strftime("%d.%m.%Y") if date else "–"


def enabling_ids(organisation: Organisation) -> list[int]:
    """The organisations whose enabling of a definition counts for `organisation`: itself and,
    for a hospital, its health trust."""
    ids = [organisation.pk]
    if organisation.kind == Kind.HOSPITAL and organisation.parent_id:
        ids.append(organisation.parent_id)
    return ids


def _enrolling_definition(organisation: Organisation, key: str) -> Definition:
    """The definition to enrol on: one the files hold, and for one that is not national, one the
    organisation's admin has enabled (pathway.enabling)."""
    try:
        definition = get_definition(key)
    except KeyError:
        raise PathwayRuleError(_("There is no such pathway."), field="definition_key") from None
    if definition.needs_enabling:
        ids = enabling_ids(organisation)
        if not DefinitionEnabling.objects.filter(organisation_id__in=ids, definition_key=key).exists():
            raise PathwayRuleError(
                _("%(org)s has not enabled the pathway “%(pathway)s”. An admin of the organisation enables it.")
                % {"org": organisation.name, "pathway": definition.title.get(translation.get_language() or "nb")},
                field="definition_key",
            )
    return definition


def pathway_start(organisation: Organisation, definition: Definition) -> datetime.date:
    """The first day of diagnosis the pathway takes: the organisation's own start date when it has
    set one, else the definition's `start_date`, else the national start (2022-01-01). The pathway
    is not retroactive."""
    return organisation.pathway_start_date or definition.starts_on


def _check_diagnosis_dates(
    organisation: Organisation, patient: "Patient", definition: Definition, diagnosis_date: datetime.date
) -> None:
    """A diagnosis after the patient's birth and not before the pathway began."""
    if patient.date_of_birth and diagnosis_date < patient.date_of_birth:
        raise PathwayRuleError(
            _("The date of diagnosis, %(date)s, is before the patient was born (%(birth)s).")
            % {"date": _day(diagnosis_date), "birth": _day(patient.date_of_birth)},
            field="diagnosis_date",
        )
    start = pathway_start(organisation, definition)
    if diagnosis_date >= start:
        return
    if organisation.pathway_start_date:
        message = _(
            "The date of diagnosis, %(date)s, is before %(org)s started the pathway on %(start)s. The pathway is "
            "not retroactive: patients diagnosed before then are not enrolled."
        )
    else:
        message = _(
            "The date of diagnosis, %(date)s, is before the pathway began on %(start)s. The pathway is not "
            "retroactive: patients diagnosed before then are not enrolled."
        )
    raise PathwayRuleError(
        message % {"date": _day(diagnosis_date), "org": organisation.name, "start": _day(start)},
        field="diagnosis_date",
    )


def _check_relapse_date(existing: Enrolment, diagnosis_date: datetime.date) -> None:
    """A relapse comes after the diagnosis of the pathway it starts again."""
    if diagnosis_date <= existing.diagnosis_date:
        raise PathwayRuleError(
            _(
                "A relapse is dated after the diagnosis of the pathway it starts again: the open pathway's "
                "diagnosis is dated %(diagnosis)s, the relapse %(date)s."
            )
            % {"diagnosis": _day(existing.diagnosis_date), "date": _day(diagnosis_date)},
            field="diagnosis_date",
        )


def _check_event(enrolment: Enrolment, definition: Definition, event_key: str, on_date: datetime.date) -> None:
    """An event happens once on a pathway, and not before its diagnosis."""
    if on_date < enrolment.diagnosis_date:
        raise PathwayRuleError(
            _("The date, %(date)s, is before the diagnosis (%(diagnosis)s).")
            % {"date": _day(on_date), "diagnosis": _day(enrolment.diagnosis_date)},
            field="on_date",
        )
    recorded = enrolment.events.filter(kind=Event.EVENT_RECORDED, data__event=event_key).order_by("on_date").first()
    if recorded is not None:
        event = next(e for e in definition.events if e.key == event_key)
        title = event.title.get(translation.get_language() or "nb") or event.title.get("nb") or event_key
        raise PathwayRuleError(
            _(
                "“%(event)s” is already recorded on this pathway, dated %(recorded)s; it is recorded once. "
                "If that date is wrong, record a correction on the timeline."
            )
            % {"event": title, "recorded": _day(recorded.on_date)},
            field="event",
        )


def _check_diagnosis(
    organisation: Organisation, diagnosis_date: datetime.date, code: str, today: datetime.date
) -> tuple[str, str]:
    if diagnosis_date > today:
        raise PathwayRuleError(_("The date of diagnosis cannot be in the future."), field="diagnosis_date")
    name = icd10.name(code)
    if name is None:
        raise PathwayRuleError(
            _("Enter an ICD-10 code for cancer: C00–C97 or D00–D09, for example C50.9."), field="icd10_code"
        )
    return icd10.normalise(code), name


@transaction.atomic
def enrol(
    actor: "Actor",
    patient: "Patient",
    *,
    diagnosis_date: datetime.date,
    icd10_code: str,
    treatment_intent: str,
    offer: str = Offer.NOT_ASKED,
    diagnosis_specific_pathway: str = "",
    is_relapse: bool = False,
    definition_key: str = DEFAULT_DEFINITION_KEY,
    sp1_hospital: Organisation | None = None,
    sp1_not_held_reason: str = "",
    today: datetime.date | None = None,
    request: "HttpRequest | None" = None,
) -> Enrolment:
    """Enrol a patient at diagnosis (hospital) or on the patient's own request (municipality), on
    the current version of a pathway definition (the national one unless another is named).

    A municipality names the hospital that should hold the hospital's point (`sp1_hospital`, one
    of `first_point_hospitals`), whose window is then counted from today with that hospital's
    target, or records why it is not held (`sp1_not_held_reason`): the point is closed at once,
    and the municipal points are counted from the diagnosis as always."""
    today = today or _today()
    organisation = actor.organisation
    if actor.role not in ENROLLING_ROLES:
        raise PathwayRuleError(_("Your role cannot enrol patients in the pathway."))
    _lock(patient)  # serialises the enrolments of the patient: a first one has no row of its own to lock
    if patient.date_of_death:
        raise PathwayRuleError(_("The patient is registered as deceased and cannot be enrolled."))
    if organisation.kind not in ENROLLING_KINDS:
        raise PathwayRuleError(_("Hospitals, health trusts and municipalities enrol patients in the pathway."))
    definition = _enrolling_definition(organisation, definition_key)
    code, name = _check_diagnosis(organisation, diagnosis_date, icd10_code, today)
    _check_diagnosis_dates(organisation, patient, definition, diagnosis_date)
    holder = _first_point_holder(organisation, patient, sp1_hospital, sp1_not_held_reason)

    existing = Enrolment.objects.select_for_update(no_key=True).filter(patient=patient).open().first()
    if existing and is_relapse and _same_relapse(existing, diagnosis_date, code):
        raise PathwayConflict(
            _("This relapse has already started the pathway again. Open the enrolment it started."),
            field="is_relapse",
            existing=existing,
        )
    if existing and not is_relapse:
        raise PathwayConflict(
            _(
                "The patient is already in the pathway. Open the existing enrolment, or mark this as a relapse to "
                "start the pathway again."
            ),
            field="is_relapse",
            existing=existing,
        )
    if existing:
        _check_relapse_date(existing, diagnosis_date)
        _cancel_open_points(actor, existing, _("A relapse started the pathway again."))
        _end(actor, existing, Enrolment.EndReason.SUPERSEDED, Event.SUPERSEDED)

    enrolment = Enrolment.objects.create(
        patient=patient,
        definition=definition_record(definition_key),
        diagnosis_date=diagnosis_date,
        icd10_code=code,
        icd10_name=name,
        treatment_intent=treatment_intent,
        enrolling_organisation=organisation,
        diagnosis_specific_pathway=diagnosis_specific_pathway,
        offer=Offer.NOT_ASKED,
        is_relapse=is_relapse,
        previous=existing,
    )
    data = {"icd10": code, "relapse": is_relapse, "via": organisation.kind}
    if holder is not None:
        data["first_point_by"] = holder.name
    _event(actor, enrolment, Event.ENROLLED, on_date=diagnosis_date, data=data)
    _create_points(actor, enrolment, holder=holder, today=today)
    if organisation.kind not in HOSPITAL_KINDS and holder is None:
        _close_not_held(actor, enrolment, sp1_not_held_reason.strip(), today)
    if offer != Offer.NOT_ASKED:
        _set_offer(actor, enrolment, offer, today, request=request)
    _audit(actor, enrolment, Action.CREATE, "enrolment", request)
    return enrolment


def _same_relapse(enrolment: Enrolment, diagnosis_date: datetime.date, code: str) -> bool:
    """A relapse asked for twice (two requests at once, or a form sent again) starts one pathway."""
    return enrolment.is_relapse and enrolment.diagnosis_date == diagnosis_date and enrolment.icd10_code == code


def _scheduled(actor: object, point: CollaborationPoint, window: _Window) -> None:
    """The timeline entry for a point that has got its window."""
    opens, closes = window
    _event(
        actor,
        point.enrolment,
        Event.POINT_SCHEDULED,
        point=point,
        on_date=opens,
        data={"opens": opens.isoformat(), "closes": closes.isoformat()},
    )


def _create_points(
    actor: "Actor", enrolment: Enrolment, holder: Organisation | None = None, today: datetime.date | None = None
) -> None:
    definition = enrolment_definition(enrolment)
    planned = windows(enrolment)
    if holder is not None:
        # The municipality asks the hospital now: its point's window counts from today, with the
        # hospital's own target, so that it is not overdue the day the hospital hears of it.
        asked = schedule(
            definition, today or _today(), overrides={"sp1_window_closes": f"P{holder.first_point_weeks}W"}
        )
        for point_def in definition.points:
            if point_def.care_level == "hospital" and point_def.anchor.kind == "diagnosis":
                planned[point_def.key] = asked[point_def.key]
    for sequence, point_def in enumerate(definition.points):
        window = planned[point_def.key]
        point = CollaborationPoint.objects.create(
            enrolment=enrolment,
            key=point_def.key,
            sequence=sequence,
            title=point_def.title,
            care_level=point_def.care_level,
            responsible_organisation=_responsible(point_def, enrolment, holder),
            window_opens=window[0] if window else None,
            window_closes=window[1] if window else None,
        )
        if window:
            _scheduled(actor, point, window)


def _close_not_held(actor: "Actor", enrolment: Enrolment, reason: str, today: datetime.date) -> None:
    """A pathway a municipality started without the hospital's point: that point is closed at
    once as not held, with the municipality's reason; the points counted from it are released."""
    for point in enrolment.points.filter(care_level=CollaborationPoint.CareLevel.HOSPITAL, outcome=""):
        point.outcome, point.outcome_on, point.outcome_by = CollaborationPoint.Outcome.CANCELLED, today, actor.user
        point.reason = reason[:300]
        point.save(update_fields=["outcome", "outcome_on", "outcome_by", "reason"])
        _event(
            actor,
            enrolment,
            Event.POINT_CANCELLED,
            point=point,
            on_date=today,
            note=point.reason,
            data={"not_held": True},
        )
    _schedule_waiting(actor, enrolment)


def ask_again_on(offer: str, answered_on: datetime.date | None) -> datetime.date | None:
    """The day to ask a patient who declined the offer again (None unless declined)."""
    if offer == Offer.DECLINED and answered_on is not None:
        return answered_on + datetime.timedelta(days=settings.PATHWAY_ASK_AGAIN_DAYS)
    return None


def _set_offer(
    actor: "Actor",
    enrolment: Enrolment,
    offer: str,
    today: datetime.date,
    note: str = "",
    request: "HttpRequest | None" = None,
) -> None:
    """Record the answer. A change to declined tells the patient's GP (`signals.offer_declined`,
    once per decline: answering "declined" again is not a new decline)."""
    previous = enrolment.offer
    enrolment.offer = offer
    enrolment.ask_again_on = ask_again_on(offer, today)
    enrolment.save(update_fields=["offer", "ask_again_on"])
    kind = Event.OFFER_ACCEPTED if offer == Offer.ACCEPTED else Event.OFFER_DECLINED
    event = _event(actor, enrolment, kind, on_date=today, note=note)
    if offer == Offer.DECLINED and previous != Offer.DECLINED:
        # The hospital's point leaves the reminders until the day to ask again, and is then
        # reminded of afresh (pathway.reminders) however it stood before.
        enrolment.points.filter(care_level=CollaborationPoint.CareLevel.HOSPITAL, outcome="").update(notified_status="")
        signals.offer_declined.send(Enrolment, actor=actor, enrolment=enrolment, event=event, request=request)


OFFER_ROLES = {Role.HOSPITAL_CLINICIAN, Role.PATHWAY_COORDINATOR, Role.MUNICIPAL_COORDINATOR}


def offer_holder(enrolment: Enrolment) -> Organisation | None:
    """The organisation that records the patient's answer to the offer: the one responsible for
    the next open collaboration point (None when no point is open)."""
    point = enrolment.points.filter(outcome="").select_related("responsible_organisation").order_by("sequence").first()
    return point.responsible_organisation if point else None


_UNREAD = object()


def may_record_offer(actor: "Actor", enrolment: Enrolment, holder: Organisation | None | object = _UNREAD) -> bool:
    """`holder` as `offer_holder` read it (None too: no point is open), or left out to read it."""
    if not enrolment.is_open or actor.role not in OFFER_ROLES:
        return False
    if holder is _UNREAD:
        holder = offer_holder(enrolment)
    return holder is not None and actor.organisation.covers(holder)


def offer_change_needs_reason(enrolment: Enrolment) -> bool:
    """A change of the answer after a collaboration point was held needs a reason (and the page a
    confirmation)."""
    return (
        enrolment.offer != Offer.NOT_ASKED
        and enrolment.points.filter(outcome=CollaborationPoint.Outcome.COMPLETED).exists()
    )


@transaction.atomic
def record_offer(
    actor: "Actor",
    enrolment: Enrolment,
    offer: str,
    *,
    reason: str = "",
    today: datetime.date | None = None,
    request: "HttpRequest | None" = None,
) -> None:
    """Accepted or declined. A declined offer can be accepted later; the windows stay counted
    from the diagnosis. A decline puts the patient back on the worklist after an interval. The
    organisation responsible for the next open point records it (hospital clinician, pathway
    coordinator, municipal coordinator); a change after a point was held needs a reason."""
    from pathway import confirmation

    seen = enrolment.offer
    require_open(lock_enrolment(enrolment))
    _require_unchanged(
        seen,
        enrolment.offer,
        _("The patient's answer was recorded just now by someone else. Check it before you change it."),
    )
    holder = offer_holder(enrolment)
    if not may_record_offer(actor, enrolment, holder):
        raise PathwayRuleError(
            _(
                "%(org)s, responsible for the next collaboration point, records the patient's answer "
                "(a hospital clinician, pathway coordinator or municipal coordinator there)."
            )
            % {"org": holder.name if holder else "–"}
        )
    if offer not in (Offer.ACCEPTED, Offer.DECLINED):
        raise PathwayRuleError(_("Choose whether the patient accepted or declined."))
    if offer == enrolment.offer:
        raise PathwayRuleError(
            _("The answer is already recorded as “%(offer)s”; nothing is changed.")
            % {"offer": enrolment.get_offer_display()}
        )
    if offer_change_needs_reason(enrolment) and not reason.strip():
        why = _("A collaboration point has already been held, so a change of the answer needs a reason.")
        if not confirmation.defer_reason(why):
            raise PathwayRuleError(why, field="reason")
    with confirmation.watched(enrolments=[enrolment]):
        _set_offer(actor, enrolment, offer, today or _today(), note=reason.strip(), request=request)
    _audit(actor, enrolment, Action.UPDATE, f"offer {offer}", request)


def is_responsible(actor: "Actor", point: CollaborationPoint) -> bool:
    return actor.organisation.covers(point.responsible_organisation)


def require_responsible(actor: "Actor", point: CollaborationPoint) -> None:
    if not is_responsible(actor, point):
        raise PathwayRuleError(
            _("%(org)s is responsible for this collaboration point; only they can change it.")
            % {"org": point.responsible_organisation.name}
        )


def _require_unchanged(seen: object, current: object, message: str) -> None:
    """What the caller saw is still so; otherwise someone else changed it just now (a conflict)."""
    if seen != current:
        raise PathwayConflict(message)


def require_point_open(point: CollaborationPoint) -> None:
    require_open(point.enrolment)
    if point.outcome:
        raise PathwayConflict(
            _("This collaboration point is already closed: %(outcome)s.")
            % {"outcome": point.get_outcome_display().lower()}
        )


@transaction.atomic
def book_point(
    actor: "Actor",
    point: CollaborationPoint,
    when: datetime.datetime,
    *,
    reason: str = "",
    request: "HttpRequest | None" = None,
) -> None:
    """Book a time; booking again is a reschedule and needs a reason. A booking made by someone
    else since the caller read the point is not moved without them seeing it: a conflict."""
    seen = point.booked_for
    require_point_open(lock_point(point))
    _require_unchanged(
        seen,
        point.booked_for,
        _(
            "The conversation was booked just now by someone else. "
            "Check the time; to move it, book again with a reason."
        ),
    )
    require_responsible(actor, point)
    rescheduling = point.booked_for is not None
    if rescheduling and not reason.strip():
        raise PathwayRuleError(_("Give a reason for moving the appointment."), field="reason")
    point.booked_for = when
    point.save(update_fields=["booked_for"])
    _event(
        actor,
        point.enrolment,
        Event.POINT_RESCHEDULED if rescheduling else Event.POINT_BOOKED,
        point=point,
        on_date=timezone.localtime(when).date(),
        note=reason.strip(),
    )
    _audit(actor, point.enrolment, Action.UPDATE, f"{point.key} booked", request)


@transaction.atomic
def assign_point(
    actor: "Actor", point: CollaborationPoint, user: "User | None", *, request: "HttpRequest | None" = None
) -> None:
    seen = point.assigned_to_id
    require_point_open(lock_point(point))
    _require_unchanged(
        seen,
        point.assigned_to_id,
        _("The collaboration point was assigned just now by someone else. Check who has it before you change it."),
    )
    require_responsible(actor, point)
    if user is not None and not user.memberships.filter(organisation=actor.organisation, is_active=True).exists():
        raise PathwayRuleError(_("Choose a colleague in your own organisation."), field="assigned_to")
    point.assigned_to = user
    point.save(update_fields=["assigned_to"])
    _event(
        actor,
        point.enrolment,
        Event.POINT_ASSIGNED,
        point=point,
        data={"assigned_to": user.get_username() if user else ""},
    )
    _audit(actor, point.enrolment, Action.UPDATE, f"{point.key} assigned", request)


def can_choose_contact_person(actor: "Actor", enrolment: Enrolment) -> bool:
    """The patient's municipality chooses the fixed contact person, once the offer is accepted."""
    return (
        enrolment.is_open
        and actor.role == Role.MUNICIPAL_COORDINATOR
        and actor.organisation.covers(enrolment.patient.municipality)
    )


@transaction.atomic
def set_contact_person(
    actor: "Actor", enrolment: Enrolment, user: "User | None", *, request: "HttpRequest | None" = None
) -> None:
    """The patient's fixed contact person in the municipality (or none yet)."""
    seen = enrolment.contact_person_id
    require_open(lock_enrolment(enrolment))
    _require_unchanged(
        seen,
        enrolment.contact_person_id,
        _("The contact person was chosen just now by someone else. Check who it is before you change it."),
    )
    if not can_choose_contact_person(actor, enrolment):
        raise PathwayRuleError(
            _("Only the patient's municipality (%(org)s) chooses the contact person.")
            % {"org": enrolment.patient.municipality.name}
        )
    if enrolment.offer != Offer.ACCEPTED:
        raise PathwayRuleError(_("Record that the patient accepted the offer before choosing a contact person."))
    if user is not None and not user.memberships.filter(organisation=actor.organisation, is_active=True).exists():
        raise PathwayRuleError(_("Choose a colleague in your own organisation."), field="contact_person")
    enrolment.contact_person = user
    enrolment.save(update_fields=["contact_person"])
    _event(actor, enrolment, Event.CONTACT_PERSON, data={"contact_person": user.get_full_name() if user else ""})
    _audit(actor, enrolment, Action.UPDATE, "contact person", request)


def completion_reason_needed(point: CollaborationPoint, on_date: datetime.date) -> str:
    """Why completing `point` on `on_date` needs a stated reason: before the patient's answer to
    the offer is recorded, or outside the point's window. '' when it needs none."""
    return completion_reason(point.enrolment.offer, point.window_opens, point.window_closes, on_date)


def completion_reason(
    offer: str,
    window_opens: datetime.date | None,
    window_closes: datetime.date | None,
    on_date: datetime.date,
) -> str:
    """`completion_reason_needed` from plain values (the synthetic data asks it too)."""
    if offer == Offer.NOT_ASKED:
        return _("The patient's answer to the offer of the pathway is not recorded yet.")
    if window_opens is None or window_closes is None:
        return _("The point has no window yet: what it is counted from has not happened.")
    if on_date < window_opens:
        return _("%(date)s is before the point's window opens (%(opens)s).") % {
            "date": _day(on_date),
            "opens": _day(window_opens),
        }
    if window_closes is not None and on_date > window_closes:
        return _("%(date)s is after the point's window closed (%(closes)s).") % {
            "date": _day(on_date),
            "closes": _day(window_closes),
        }
    return ""


@transaction.atomic
def close_point(
    actor: "Actor",
    point: CollaborationPoint,
    outcome: str,
    *,
    on_date: datetime.date | None = None,
    place: str = "",
    reason: str = "",
    handover: HandoverChoice | None = None,
    today: datetime.date | None = None,
    request: "HttpRequest | None" = None,
) -> None:
    """Completed (date, who, where), not wanted by the patient, or cancelled (with a reason).
    A completion is handed over (`signals.point_completed`) in the same transaction. Completing
    outside the window or before the patient's answer to the offer needs a reason."""
    from pathway import confirmation

    today = today or _today()
    on_date = on_date or today
    require_point_open(lock_point(point))
    require_responsible(actor, point)
    Outcome = CollaborationPoint.Outcome
    if outcome not in Outcome.values:
        raise PathwayRuleError(_("Choose the outcome."), field="outcome")
    if on_date > today:
        raise PathwayRuleError(_("The date cannot be in the future."), field="on_date")
    if on_date < point.enrolment.diagnosis_date:
        raise PathwayRuleError(_("The date cannot be before the diagnosis."), field="on_date")
    if outcome == Outcome.CANCELLED and not reason.strip():
        raise PathwayRuleError(_("Give a reason for cancelling."), field="reason")
    why = completion_reason_needed(point, on_date) if outcome == Outcome.COMPLETED else ""
    if why and not reason.strip() and not confirmation.defer_reason(why):
        raise PathwayRuleError(_("%(why)s State the reason for completing it now.") % {"why": why}, field="reason")
    with confirmation.watched(enrolments=[point.enrolment]):
        _close(actor, point, outcome, on_date, place, reason, handover, request)


def _close(
    actor: "Actor",
    point: CollaborationPoint,
    outcome: str,
    on_date: datetime.date,
    place: str,
    reason: str,
    handover: HandoverChoice | None,
    request: "HttpRequest | None",
) -> None:
    Outcome = CollaborationPoint.Outcome
    point.outcome, point.outcome_on, point.outcome_by = outcome, on_date, actor.user
    point.place, point.reason = place.strip(), reason.strip()
    point.save(update_fields=["outcome", "outcome_on", "outcome_by", "place", "reason"])
    kinds: dict[str, str] = {
        Outcome.COMPLETED: Event.POINT_COMPLETED,
        Outcome.NOT_WANTED: Event.POINT_NOT_WANTED,
        Outcome.CANCELLED: Event.POINT_CANCELLED,
    }
    kind = kinds[outcome]
    _event(
        actor,
        point.enrolment,
        kind,
        point=point,
        on_date=on_date,
        note=reason.strip(),
        data={"place": point.place} if point.place else {},
    )
    _audit(actor, point.enrolment, Action.UPDATE, f"{point.key} {outcome}", request)
    _schedule_waiting(actor, point.enrolment)  # every outcome releases the points counted from this one
    if outcome == Outcome.COMPLETED:
        signals.point_completed.send(
            CollaborationPoint, actor=actor, point=point, handover=handover or HandoverChoice(), request=request
        )
    _complete_if_done(actor, point.enrolment)


@transaction.atomic
def record_event(
    actor: "Actor",
    enrolment: Enrolment,
    event_key: str,
    on_date: datetime.date,
    *,
    today: datetime.date | None = None,
    request: "HttpRequest | None" = None,
) -> None:
    """A clinical event that points can be anchored on (the hearing draft's treatment start)."""
    require_open(lock_enrolment(enrolment))
    definition = enrolment_definition(enrolment)
    if event_key not in {e.key for e in definition.events}:
        raise PathwayRuleError(_("This pathway has no such event."))
    if on_date > (today or _today()):
        raise PathwayRuleError(_("The date cannot be in the future."), field="on_date")
    _check_event(enrolment, definition, event_key, on_date)
    _event(actor, enrolment, Event.EVENT_RECORDED, on_date=on_date, data={"event": event_key})
    _schedule_waiting(actor, enrolment)
    _audit(actor, enrolment, Action.UPDATE, f"event {event_key}", request)


def _schedule_waiting(actor: object, enrolment: Enrolment) -> None:
    """Give windows to points whose anchor (an event, another point) has now happened. A point
    anchored on another is counted from that point's outcome date, whatever the outcome
    (schedule.anchor_dates): a point not wanted or cancelled never leaves its dependants waiting."""
    events = {e.data["event"]: e.on_date for e in enrolment.events.filter(kind=Event.EVENT_RECORDED)}
    closed = enrolment.points.exclude(outcome="").values_list("key", "outcome", "outcome_on")
    completions = anchor_dates({key: (outcome, on_date) for key, outcome, on_date in closed})
    planned = windows(enrolment, events, completions)
    for point in enrolment.points.filter(window_opens__isnull=True, outcome=""):
        window = planned.get(point.key)
        if window:
            point.window_opens, point.window_closes = window
            point.save(update_fields=["window_opens", "window_closes"])
            _scheduled(actor, point, window)


def _complete_if_done(actor: object, enrolment: Enrolment) -> None:
    if not enrolment.points.filter(outcome="").exists():
        _end(actor, enrolment, Enrolment.EndReason.COMPLETED, Event.COMPLETED)


def _end(actor: object, enrolment: Enrolment, reason: str, event_kind: str | None = None, note: str = "") -> None:
    enrolment.ended_at = timezone.now()
    enrolment.end_reason = reason
    enrolment.save(update_fields=["ended_at", "end_reason"])
    if event_kind:
        _event(actor, enrolment, event_kind, note=note)


def _cancel_open_points(actor: object, enrolment: Enrolment, reason: str) -> None:
    for point in enrolment.points.filter(outcome=""):
        point.outcome, point.outcome_on, point.reason = CollaborationPoint.Outcome.CANCELLED, _today(), reason
        point.save(update_fields=["outcome", "outcome_on", "reason"])
        _event(actor, enrolment, Event.POINT_CANCELLED, point=point, note=reason)


@transaction.atomic
def withdraw(actor: "Actor", enrolment: Enrolment, *, reason: str = "", request: "HttpRequest | None" = None) -> None:
    """The patient withdraws: the open points are cancelled and the pathway ends. The reason is
    what the patient said."""
    from pathway import confirmation

    require_open(lock_enrolment(enrolment))
    if not reason.strip():
        raise PathwayRuleError(_("Write what the patient said about withdrawing."), field="reason")
    with confirmation.watched(enrolments=[enrolment]):
        _cancel_open_points(actor, enrolment, _("The patient withdrew from the pathway."))
        _end(actor, enrolment, Enrolment.EndReason.WITHDRAWN, Event.WITHDRAWN, note=reason.strip())
    _audit(actor, enrolment, Action.UPDATE, "withdrawn", request)


def on_patient_died(sender: object, *, actor: "Actor", patient: "Patient", **kwargs: object) -> None:
    """Open points are cancelled, the pathway ends, and the municipality gets a follow-up offer
    for the bereaved relatives. Runs inside the transaction that recorded the death."""
    for enrolment in patient.enrolments.open().select_for_update(no_key=True):
        _cancel_open_points(actor, enrolment, _("The patient died."))
        _event(actor, enrolment, Event.DIED, on_date=patient.date_of_death)
        BereavementFollowUp.objects.get_or_create(enrolment=enrolment, defaults={"municipality": patient.municipality})
        _event(actor, enrolment, Event.BEREAVEMENT_FOLLOW_UP, data={"municipality": patient.municipality.name})
        _end(actor, enrolment, Enrolment.EndReason.DECEASED)


def on_patient_moved(
    sender: object, *, actor: "Actor", patient: "Patient", old_municipality: Organisation, **kwargs: object
) -> None:
    """Open municipal points move to the new municipality, which then sees them on its worklist;
    the old municipality loses the care relation those points gave it. The fixed contact person
    worked for the old municipality: kept on record as the previous one (shown on the pathway
    page and handed on in the move message), while the new municipality is prompted on its
    worklist to name its own."""
    for enrolment in patient.enrolments.open().select_for_update(no_key=True):
        count = 0
        for care_level in MUNICIPAL_CARE_LEVELS:
            held_there = Q(responsible_organisation=old_municipality) | Q(
                responsible_organisation__municipality=old_municipality
            )
            moved = enrolment.points.filter(held_there, outcome="", care_level=care_level)
            count += moved.update(
                responsible_organisation=municipal_service(patient.municipality, care_level),
                assigned_to=None,
                notified_status="",
            )
        data = {
            "from": old_municipality.name,
            "to": patient.municipality.name,
            "to_id": patient.municipality.pk,
            "points_moved": count,
        }
        if enrolment.contact_person_id:
            data["previous_contact_person"] = people.person_name(enrolment.contact_person)
            enrolment.previous_contact_person = enrolment.contact_person
            enrolment.previous_contact_municipality = old_municipality
            enrolment.contact_person = None
            enrolment.save(update_fields=["contact_person", "previous_contact_person", "previous_contact_municipality"])
        _event(actor, enrolment, Event.MOVED, on_date=_today(), data=data)


@transaction.atomic
def record_correction(actor: "Actor", enrolment: Enrolment, note: str, *, request: "HttpRequest | None" = None) -> None:
    """The only change allowed on an ended pathway: a note on the timeline."""
    if not note.strip():
        raise PathwayRuleError(_("Write what the correction is."), field="note")
    _event(actor, enrolment, Event.CORRECTION, note=note.strip())
    _audit(actor, enrolment, Action.UPDATE, "correction", request)
