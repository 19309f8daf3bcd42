"""Requests for the pathway home from people signed in with ID-porten who are not in it ("kan
også sjølv etterspørre tilbod i kommunen"): made in the portal, answered on the municipality's
worklist (the worklist's alert slot, portal.panels.requests_to_answer).

One open request per person and municipality: a partial unique constraint, so two requests sent
at once cannot both be stored; the loser gets the same clear message as a later duplicate. An
answer takes the request's row lock and re-checks that it is still open. Every step is audited
(on the patient's trail when the person is a patient); the national id is never logged."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditEntry
from directory.models import Organisation
from pathway.services import PathwayRuleError
from portal.models import PathwayRequest

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.actor import Actor
    from portal.persons import Person

Action = AuditEntry.Action
Status = PathwayRequest.Status
ANSWERS = (Status.ANSWERED, Status.ENROLLED, Status.DECLINED)
NOTE_CHARS = 1000


class RequestRefused(PathwayRuleError):
    """The request cannot be made or answered; the message says why, in the user's words."""


def _duplicate(municipality: Organisation) -> RequestRefused:
    return RequestRefused(
        _(
            "You have already asked %(municipality)s for the pathway, and they have not answered yet. "
            "You find the request and its status on your page."
        )
        % {"municipality": municipality.name}
    )


def _audit(actor: object, row: PathwayRequest, action: str, detail: str, request: "HttpRequest | None") -> None:
    audit.record(
        actor,
        action,
        patient_public_id=row.patient.public_id if row.patient_id and row.patient else None,
        object_type="pathway request",
        detail=f"{detail} {row.public_id}",
        request=request,
    )


def create(
    person: "Person",
    *,
    municipality: Organisation,
    name: str,
    message: str,
    phone: str,
    email: str,
    language: str,
    request: "HttpRequest | None" = None,
) -> PathwayRequest:
    """The person asks `municipality` for the pathway. Refused when they are in the pathway
    already, or have an open request to the same municipality."""
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise RequestRefused(_("Choose your municipality."), field="municipality")
    if not (phone or email):
        raise RequestRefused(_("Give a phone number or an e-mail address, so that the municipality can reach you."))
    if person.open_enrolment is not None:
        raise RequestRefused(_("You are in the pathway home already. Your pathway is on your page."))
    try:
        with transaction.atomic():
            row = PathwayRequest.objects.create(
                municipality=municipality,
                national_id=person.national_id,
                patient=person.patient,
                name=name,
                message=message,
                phone=phone,
                email=email,
                language=language,
            )
            _audit(person.respondent, row, Action.CREATE, "asked for the pathway", request)
    except IntegrityError:
        raise _duplicate(municipality) from None
    return row


def audit_read(actor: object, row: PathwayRequest, *, request: "HttpRequest | None" = None) -> None:
    _audit(actor, row, Action.VIEW, "read", request)


def audit_list(actor: object, rows: list[PathwayRequest], *, request: "HttpRequest | None" = None) -> None:
    """A list of requests shown: one entry naming them (the patients among them are audited by
    the worklist with its own list)."""
    if rows:
        audit.record(
            actor,
            Action.LIST,
            object_type="pathway request",
            detail="worklist " + " ".join(str(row.public_id)[:8] for row in rows),
            request=request,
        )


def for_person(national_id: str) -> QuerySet[PathwayRequest]:
    return PathwayRequest.objects.filter(national_id=national_id).select_related("municipality")


def open_for(organisation: Organisation) -> QuerySet[PathwayRequest]:
    """The open requests to this municipality (and those it covers), oldest first."""
    return (
        PathwayRequest.objects.filter(municipality__in=organisation.covered_ids(), status=Status.OPEN)
        .select_related("municipality", "patient")
        .order_by("created_at", "id")
    )


def visible_to(actor: "Actor", public_id: str) -> PathwayRequest:
    """One request of the actor's municipality; PermissionDenied for any other organisation's."""
    row = PathwayRequest.objects.select_related("municipality", "patient", "answered_by").filter(public_id=public_id)
    found = row.first()
    if found is None or found.municipality_id not in actor.covered_ids:
        raise PermissionDenied("not this organisation's request")
    return found


@transaction.atomic
def answer(
    actor: "Actor",
    public_id: str,
    *,
    status: str,
    note: str,
    request: "HttpRequest | None" = None,
    now: datetime.datetime | None = None,
) -> PathwayRequest:
    """Mark an open request answered, enrolled or declined, with a note the person sees."""
    if status not in ANSWERS:
        raise RequestRefused(_("Choose what the answer is."), field="status")
    note = (note or "").strip()
    if len(note) > NOTE_CHARS:
        raise RequestRefused(_("Keep the note within %(n)s characters.") % {"n": NOTE_CHARS}, field="note")
    visible_to(actor, public_id)
    row = PathwayRequest.objects.select_for_update().get(public_id=public_id)
    if row.status != Status.OPEN:
        raise RequestRefused(
            _("Someone has answered this request already: it is %(status)s.")
            % {"status": row.get_status_display().lower()}
        )
    row.status, row.answer_note = status, note
    row.answered_at, row.answered_by = now or timezone.now(), actor.user
    row.save(update_fields=["status", "answer_note", "answered_at", "answered_by"])
    _audit(actor, row, Action.UPDATE, f"answered {status}", request)
    return row
