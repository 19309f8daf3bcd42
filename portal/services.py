"""Invitations: send, open, prove who you are with the code, and come back later.

The clinician sends an invitation for a point; the link (single-use, expiring, stored as a hash)
goes to one channel and the one-time code to the other, or, when only a mobile number is known,
both by SMS as two separate messages (the code only when the link is opened and a code asked for,
within the same limits on codes sent). Accepting the code spends the link and
opens a portal session bound to that invitation. A patient whose session has ended can ask for a
fresh link, which goes to the same registered phone or e-mail, never to an address typed in.
"""

import dataclasses
import datetime
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment import questionnaires
from assessment import services as assessment
from assessment.models import QuestionnaireResponse
from audit.models import AuditEntry
from lib import throttle
from lib.links import absolute_reverse, absolute_url
from pathway import services as pathway
from pathway.models import Enrolment, PathwayEvent
from pathway.services import PathwayRuleError
from patients.access import record
from portal import senders, tokens
from portal.models import Invitation

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.actor import Actor
    from accounts.models import User
    from pathway.models import CollaborationPoint
    from patients.models import Patient, Relative

Action = AuditEntry.Action
MAX_REISSUES = 3


@dataclasses.dataclass(frozen=True)
class Respondent:
    """Who answers in the portal: the audit log names them without a user account."""

    invitation: Invitation
    user = None
    organisation = None

    @property
    def role(self) -> str:
        return "relative" if self.invitation.relative_id else "patient"

    @property
    def username(self) -> str:
        return f"{self.role} (portal)"


def _now() -> datetime.datetime:
    return timezone.now()


def _contact(point: "CollaborationPoint", relative: "Relative | None") -> tuple[str, str]:
    if relative:
        return relative.phone, relative.email
    patient = point.enrolment.patient
    return patient.mobile_phone, patient.email


def _link_message(invitation: Invitation, token: str, language: str) -> tuple[str, str]:
    organisation = invitation.point.responsible_organisation.name
    url = absolute_url(f"/p/{token}/")
    with translation.override(language):
        subject = _("Prepare your conversation with %(org)s") % {"org": organisation}
        if invitation.sms_only:
            text = _(
                "%(org)s invites you to answer a few questions before your conversation about what matters to "
                "you. Open this link (it works once, until %(date)s): %(url)s\n"
                "When you open it, we send you a code in a separate text message to check that it is you."
            )
        else:
            text = _(
                "%(org)s invites you to answer a few questions before your conversation about what matters to you. "
                "Open this link (it works once, until %(date)s): %(url)s\n"
                "We will send a code to your other contact channel to check that it is you."
            )
        text %= {
            "org": organisation,
            "url": url,
            "date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
        }
        municipality = invitation.point.enrolment.patient.municipality
        about = absolute_reverse("public_info:page", args=[municipality.public_id])
        text += "\n" + _("About the pathway home in %(municipality)s: %(url)s") % {
            "municipality": municipality.name,
            "url": about,
        }
    return subject, text


def _deliver(channel: str, invitation: Invitation, subject: str, text: str) -> None:
    if channel == Invitation.Channel.SMS:
        senders.send_sms(invitation.phone, text)
    else:
        senders.send_email(invitation.email, subject, text)


def _language(invitation: Invitation) -> str:
    return invitation.point.enrolment.patient.preferred_language or "nb"


def _create(
    point: "CollaborationPoint",
    relative: "Relative | None",
    link_channel: str,
    phone: str,
    email: str,
    response: QuestionnaireResponse,
    sent_by: "User | None",
    now: datetime.datetime,
    expires_at: datetime.datetime | None = None,
) -> tuple[Invitation, str]:
    token = tokens.new_token()
    invitation = Invitation.objects.create(
        point=point,
        relative=relative,
        questionnaire_id=response.questionnaire_id,
        response=response,
        link_channel=link_channel,
        phone=phone,
        email=email,
        token_hash=tokens.hash_token(token),
        expires_at=expires_at or now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        sent_by=sent_by,
    )
    subject, text = _link_message(invitation, token, _language(invitation))
    _deliver(link_channel, invitation, subject, text)
    return invitation, token


@transaction.atomic
def send_invitation(
    actor: "Actor",
    point: "CollaborationPoint",
    *,
    link_channel: str,
    relative: "Relative | None" = None,
    request: "HttpRequest | None" = None,
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite the patient (or a relative) to answer before the conversation. Earlier invitations
    for the same person and point stop working; answers already given are kept."""
    now = now or _now()
    pathway.require_point_open(pathway.lock_point(point))
    pathway.require_responsible(actor, point)
    phone, email = _contact(point, relative)
    if not phone:
        raise PathwayRuleError(
            _(
                "Register a mobile phone number first: the link and the code go by text message, or one of them "
                "by e-mail when an e-mail address is registered too."
            )
        )
    if link_channel not in Invitation.Channel.values:
        raise PathwayRuleError(_("Choose how to send the link."), field="link_channel")
    if not email and link_channel != Invitation.Channel.SMS:
        raise PathwayRuleError(
            _(
                "No e-mail address is registered, so the link cannot go by e-mail. Choose text message: the link "
                "and the code then go as two separate text messages."
            ),
            field="link_channel",
        )
    patient = point.enrolment.patient
    questionnaire = questionnaires.get(questionnaires.RELATIVE) if relative else questionnaires.for_patient(patient)
    response = assessment.home_response(point, questionnaire, relative=relative)
    if response.status == QuestionnaireResponse.Status.COMPLETED:
        raise PathwayRuleError(_("The answers for this collaboration point have already been sent."))
    Invitation.objects.filter(point=point, relative=relative, revoked_at__isnull=True).update(revoked_at=now)
    invitation, _token = _create(point, relative, link_channel, phone, email, response, actor.user, now)
    pathway.note_on_timeline(
        actor, point, PathwayEvent.Kind.INVITATION_SENT, data={"channel": link_channel, "relative": bool(relative)}
    )
    record(
        actor, patient, Action.CREATE, object_type="invitation", detail=f"{point.key} {link_channel}", request=request
    )
    return invitation


def find(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("point__enrolment__patient", "point__responsible_organisation", "response")
        .filter(token_hash=tokens.hash_token(token))
        .first()
    )


def load_boxes(points: Collection["CollaborationPoint"], patient: "Patient") -> None:
    """What the invitation boxes of the patient's `points` show, in three queries however many
    points there are: each point's latest invitation to the patient (`latest_invitation`) and the
    patient's completed answers (`patient_answers`), and the patient's relatives (who may answer)."""
    for point in points:
        point.latest_invitation = point.patient_answers = None
    by_pk = {point.pk: point for point in points}
    for invitation in Invitation.objects.filter(point__in=points, relative__isnull=True).order_by("-created_at"):
        if by_pk[invitation.point_id].latest_invitation is None:
            by_pk[invitation.point_id].latest_invitation = invitation
    answered = QuestionnaireResponse.objects.filter(
        point__in=points, source=QuestionnaireResponse.Source.PATIENT, status=QuestionnaireResponse.Status.COMPLETED
    )
    for response in answered.order_by("pk"):
        if by_pk[response.point_id].patient_answers is None:
            by_pk[response.point_id].patient_answers = response
    prefetch_related_objects([patient], "relatives")


def state(invitation: Invitation | None, now: datetime.datetime | None = None) -> str | None:
    """'valid', 'used', 'expired', 'locked' or 'revoked' (an unknown link is None)."""
    now = now or _now()
    if invitation is None:
        return None
    if invitation.revoked_at:
        return "revoked"
    if invitation.locked_at:
        return "locked"
    if invitation.expires_at <= now:
        return "expired"
    if invitation.used_at:
        return "used"
    return "valid"


@dataclasses.dataclass(frozen=True)
class CodeSent:
    """What came of asking for a code: sent, or not (the link is not valid, or too many codes were
    asked for: `wait_seconds` until the next may be sent). True when sent."""

    sent: bool = False
    wait_seconds: int = 0

    def __bool__(self) -> bool:
        return self.sent


# Scopes of lib.throttle for codes sent: per invitation and per patient (all invitations about
# the patient, relatives' included), so that neither one link nor many links can flood a phone.
CODE_SCOPE_INVITATION = "portal:code:invitation"
CODE_SCOPE_PATIENT = "portal:code:patient"


def _code_limits(invitation: Invitation, now: datetime.datetime) -> int:
    """Count one code sent; the seconds to wait if a limit is passed, else 0."""
    patient = str(invitation.point.enrolment.patient.public_id)
    checks = [
        (
            CODE_SCOPE_INVITATION,
            str(invitation.public_id),
            settings.PORTAL_CODES_PER_INVITATION,
            settings.PORTAL_CODES_PER_INVITATION_WINDOW,
        ),
        (CODE_SCOPE_PATIENT, patient, settings.PORTAL_CODES_PER_PATIENT, settings.PORTAL_CODES_PER_PATIENT_WINDOW),
    ]
    for scope, key, limit, window in checks:
        if not throttle.hit(scope, key, limit=limit, window=window, now=now):
            return throttle.retry_after(window, now)
    return 0


@transaction.atomic
def send_code(
    invitation: Invitation, now: datetime.datetime | None = None, *, request: "HttpRequest | None" = None
) -> CodeSent:
    """A fresh one-time code to the other channel, within the limits on codes sent per invitation
    and per patient (a refusal is audited). Wrong tries are not reset by a new code."""
    now = now or _now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if state(invitation, now) != "valid":
        return CodeSent()
    wait = _code_limits(invitation, now)
    if wait:
        record(
            Respondent(invitation),
            invitation.point.enrolment.patient,
            Action.DENIED,
            object_type="invitation",
            detail="code not sent: too many codes",
            request=request,
        )
        return CodeSent(wait_seconds=wait)
    code = tokens.new_code()
    invitation.code_hash = tokens.hash_code(code, key=settings.SECRET_KEY, salt=str(invitation.public_id))
    invitation.code_expires_at = now + datetime.timedelta(minutes=settings.INVITATION_CODE_MINUTES)
    invitation.save(update_fields=["code_hash", "code_expires_at"])
    with translation.override(_language(invitation)):
        subject = _("Your code for Heimveg")
        text = _("Your code is %(code)s. It is valid for %(minutes)s minutes. Do not share it with anyone.") % {
            "code": code,
            "minutes": settings.INVITATION_CODE_MINUTES,
        }
    _deliver(invitation.code_channel, invitation, subject, text)
    return CodeSent(sent=True)


@dataclasses.dataclass(frozen=True)
class CodeCheck:
    ok: bool = False
    attempts_left: int = 0
    wait_seconds: int = 0
    locked: bool = False
    expired: bool = False


@transaction.atomic
def verify_code(
    invitation: Invitation, code: str, now: datetime.datetime | None = None, *, request: "HttpRequest | None" = None
) -> CodeCheck:
    now = now or _now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if state(invitation, now) != "valid":
        return CodeCheck(locked=invitation.locked_at is not None, expired=invitation.locked_at is None)
    limits = {
        "free_attempts": settings.INVITATION_CODE_FREE_ATTEMPTS,
        "max_attempts": settings.INVITATION_CODE_MAX_ATTEMPTS,
    }
    throttle = tokens.throttle(invitation.failed_attempts, invitation.last_failed_at, now, **limits)
    if throttle.locked:
        return CodeCheck(locked=True)
    if throttle.wait_seconds:
        return CodeCheck(wait_seconds=throttle.wait_seconds)
    if not invitation.code_hash or invitation.code_expires_at is None or invitation.code_expires_at <= now:
        return CodeCheck(expired=True, attempts_left=limits["max_attempts"] - invitation.failed_attempts)
    given = tokens.hash_code("".join(str(code).split()), key=settings.SECRET_KEY, salt=str(invitation.public_id))
    patient = invitation.point.enrolment.patient
    if tokens.same(given, invitation.code_hash):
        invitation.used_at, invitation.code_hash = now, ""
        invitation.save(update_fields=["used_at", "code_hash"])
        record(
            Respondent(invitation), patient, Action.VIEW, object_type="invitation", detail="signed in", request=request
        )
        return CodeCheck(ok=True)
    invitation.failed_attempts += 1
    invitation.last_failed_at = now
    fields = ["failed_attempts", "last_failed_at"]
    if invitation.failed_attempts >= limits["max_attempts"]:
        invitation.locked_at = now
        fields.append("locked_at")
    invitation.save(update_fields=fields)
    record(
        Respondent(invitation), patient, Action.DENIED, object_type="invitation", detail="wrong code", request=request
    )
    after = tokens.throttle(invitation.failed_attempts, now, now, **limits)
    return CodeCheck(
        attempts_left=limits["max_attempts"] - invitation.failed_attempts,
        locked=after.locked,
        wait_seconds=after.wait_seconds,
    )


def note_received(invitation: Invitation) -> None:
    """The answers are in: a line on the timeline for the professionals."""
    pathway.note_on_timeline(
        Respondent(invitation),
        invitation.point,
        PathwayEvent.Kind.ANSWERS_RECEIVED,
        data={"relative": bool(invitation.relative_id)},
    )


@transaction.atomic
def reissue(invitation: Invitation, now: datetime.datetime | None = None) -> Invitation | None:
    """A fresh link to the same phone or e-mail, for a patient who used the link and whose session
    has ended. Not for a locked, revoked or expired invitation, and only a few times.

    Anyone may hold a used link (it sits in the patient's messages, and once in an access log), so
    asking for a new one must not touch a session the patient has open: the used invitation stays
    as it is, and its session lives until it is signed out or runs out. Only fresh links sent
    earlier for the same answers and not yet used stop working."""
    now = now or _now()
    # One lock for all links to the same answers, so two requests at once cannot both pass the count.
    QuestionnaireResponse.objects.select_for_update().filter(pk=invitation.response_id).first()
    invitation = Invitation.objects.select_related("response").get(pk=invitation.pk)
    if state(invitation, now) != "used" or invitation.response.status == QuestionnaireResponse.Status.COMPLETED:
        return None
    if Invitation.objects.filter(response=invitation.response, sent_by__isnull=True).count() >= MAX_REISSUES:
        return None
    Invitation.objects.filter(
        response=invitation.response, used_at__isnull=True, revoked_at__isnull=True, sent_by__isnull=True
    ).update(revoked_at=now)
    fresh, _token = _create(
        invitation.point,
        invitation.relative,
        invitation.link_channel,
        invitation.phone,
        invitation.email,
        invitation.response,
        None,
        now,
        expires_at=invitation.expires_at,  # a fresh link does not extend the invitation
    )
    return fresh


def pathway_overview(enrolment: Enrolment, today: datetime.date) -> dict[str, object]:
    """What the patient's pathway page shows, whichever way the patient signed in: the points in
    order (with their status today and whether they lie behind) and the municipality's contact points."""
    points = list(enrolment.points.select_related("responsible_organisation").order_by("sequence"))
    for point in points:
        point.current_status = point.status(today)
        point.behind = bool(point.outcome)
    contact_points = enrolment.patient.municipality.contact_points.all()
    return {"enrolment": enrolment, "points": points, "contact_points": contact_points, "today": today}
