"""The account life cycle: an organisation admin invites a person to a membership, resets a
member's second factor or revokes an invitation (memberships: accounts.memberships); the person redeems the
one-time link.

The link's token is 256 random bits; only its SHA-256 is stored. Opening the link changes nothing
(mail scanners open links): it binds the invitation to a fresh session and redirects to a URL
without the token. The authenticator key is made for that session alone and kept in it; it
becomes a device only when the form is sent with a right code, under a row lock on the invitation,
so of two sessions redeeming the same link exactly one wins and the other's key is never valid.

A reset removes the member's devices at once (a lost phone must stop working now, not when the
member gets round to the link); until the link is redeemed the member cannot pass the second
factor. Redeeming a reset link needs the member's password as well as the e-mail.
"""

import datetime
import hashlib
import hmac
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import trail
from accounts.models import ROLE_ORGANISATION_KINDS, Invitation, Membership, User
from lib.links import absolute_reverse

Kind = Invitation.Kind


class InvitationError(Exception):
    """A rule of the life cycle refused the action; the message is for the user."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotYourMember(InvitationError):
    """The membership or invitation is outside the organisations the admin manages (a refusal the
    view audits and answers with 403)."""


def new_token():
    return secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def national_id_hash(number):
    """A keyed hash of a national id: enough to match a provider sign-in later, useless to read
    back (11 digits have little entropy, so a plain hash would not do)."""
    key = hashlib.sha256(f"heimveg-national-id:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def link_for(token):
    return absolute_reverse("accounts:invitation_open", args=[token])


def _now():
    return timezone.now()


def _send(invitation, token):
    with translation.override(invitation.language):
        until = timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M")
        if invitation.kind == Kind.MEMBERSHIP:
            subject = _("Your invitation to Heimveg")
            text = _(
                "%(admin)s has invited you to Heimveg as %(role)s for %(organisation)s.\n\n"
                "Open this link to choose your password and set up two-factor sign-in with an authenticator "
                "app on your phone. The link works once, until %(until)s:\n%(url)s\n\n"
                "If you did not expect this e-mail, ignore it."
            )
        else:
            subject = _("Set up two-factor sign-in for Heimveg again")
            text = _(
                "%(admin)s has reset your two-factor sign-in to Heimveg for %(organisation)s.\n\n"
                "Open this link, enter your password and set up your authenticator app again. The link works "
                "once, until %(until)s:\n%(url)s\n\n"
                "If you did not ask for this, tell your organisation's administrator."
            )
        role = dict(Invitation._meta.get_field("role").choices).get(invitation.role, "")
        text = text % {
            "admin": invitation.invited_by.get_full_name() if invitation.invited_by else "Heimveg",
            "role": str(role),
            "organisation": invitation.organisation.name,
            "until": until,
            "url": link_for(token),
        }
    send_mail(subject, text, None, [invitation.email])


def _expiry(now):
    return now + datetime.timedelta(hours=settings.HEIMVEG_INVITATION_HOURS)


def _issue(actor, now, organisation=None, **fields):
    """A new link for the actor's organisation (or one it covers): the invitation row (only the
    token's hash stored), sent by e-mail. Returns (invitation, token)."""
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation or actor.organisation,
        invited_by=actor.user,
        token_hash=hash_token(token),
        expires_at=_expiry(now),
        **fields,
    )
    _send(invitation, token)
    return invitation, token


def open_invitations(organisation, now=None, *, covered_ids=None):
    """The open invitations of `organisation`, or of the organisations `covered_ids`."""
    now = now or _now()
    where = {"organisation_id__in": covered_ids} if covered_ids is not None else {"organisation": organisation}
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now, **where
    ).select_related("user", "invited_by", "organisation")


def _require_admin(actor):
    if actor is None or not actor.is_org_admin:
        raise InvitationError(_("Only the organisation's administrator can do this."))


@transaction.atomic
def invite(
    actor,
    *,
    email,
    name,
    role,
    hpr_number="",
    national_id="",
    language="nb",
    organisation=None,
    request=None,
    now=None,
):
    """Invite a person (a new user) to a role in the actor's organisation, or in `organisation`
    when the actor's organisation covers it (a health trust's hospital)."""
    _require_admin(actor)
    now = now or _now()
    organisation = organisation or actor.organisation
    if organisation.pk not in actor.covered_ids:
        raise NotYourMember(_("This organisation is not yours to manage."))
    if organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, set()):
        raise InvitationError(_("This role does not fit this kind of organisation."), field="role")
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise InvitationError(
            _(
                "This e-mail address already belongs to a Heimveg user. A national administrator adds a role to "
                "an existing user."
            ),
            field="email",
        )
    # A new invitation to the same address and organisation replaces the open one.
    open_invitations(organisation, now).filter(kind=Kind.MEMBERSHIP, email__iexact=email).update(revoked_at=now)
    invitation, token = _issue(
        actor,
        now,
        organisation,
        kind=Kind.MEMBERSHIP,
        email=email,
        name=name.strip(),
        role=role,
        hpr_number=hpr_number,
        national_id_hash=national_id_hash(national_id) if national_id else "",
        language=language,
    )
    trail.record(
        actor,
        trail.CREATE,
        object_type="account",
        detail=f"invitation {invitation.public_id} role {role}",
        request=request,
    )
    return invitation, token


def locked_member(actor, membership_public_id):
    """The membership and its user, both locked (the user first, as every action on a member does,
    so two admins acting on the same person wait for each other instead of deadlocking), re-read
    under the locks. A membership outside the admin's organisations: `NotYourMember`."""
    found = Membership.objects.filter(public_id=membership_public_id).values_list("user_id", flat=True).first()
    if found is None:
        raise NotYourMember(_("This member is not in your organisation."))
    user = User.objects.select_for_update().get(pk=found)
    membership = (
        Membership.objects.select_for_update()
        .select_related("organisation")
        .filter(public_id=membership_public_id, user=user)
        .first()
    )
    if membership is None or membership.organisation_id not in actor.covered_ids:
        raise NotYourMember(_("This member is not in your organisation."))
    if user.pk == actor.user.pk:
        raise InvitationError(_("You cannot do this to your own user. Ask another administrator."))
    return membership, user


@transaction.atomic
def reset_second_factor(actor, membership_public_id, *, language="nb", request=None, now=None):
    """Remove the member's authenticator devices at once and send a link to set up a new one."""
    _require_admin(actor)
    now = now or _now()
    membership, user = locked_member(actor, membership_public_id)
    if not user.email:
        raise InvitationError(_("This member has no e-mail address, so the link cannot be sent."))
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    Invitation.objects.filter(
        user=user, kind=Kind.SECOND_FACTOR_RESET, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation, token = _issue(
        actor,
        now,
        kind=Kind.SECOND_FACTOR_RESET,
        email=user.email,
        name=user.get_full_name(),
        role=membership.role,
        user=user,
        language=language,
    )
    trail.record(
        actor,
        trail.UPDATE,
        object_type="account",
        detail=f"second factor reset user {user.public_id} devices removed {removed} invitation {invitation.public_id}",
        request=request,
    )
    return invitation, token


@transaction.atomic
def revoke(actor, invitation_public_id, *, request=None, now=None):
    _require_admin(actor)
    now = now or _now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(public_id=invitation_public_id, organisation_id__in=actor.covered_ids)
        .first()
    )
    if invitation is None:
        raise NotYourMember(_("This invitation is not in your organisation."))
    if invitation.state(now) != "valid":
        raise InvitationError(_("This invitation was already used, revoked or has expired."))
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    trail.record(
        actor,
        trail.UPDATE,
        object_type="account",
        detail=f"invitation {invitation.public_id} revoked",
        request=request,
    )
    return invitation


# Redemption -------------------------------------------------------------------------------------

SESSION_KEY = "heimveg_invitation"


def find(token):
    return Invitation.objects.select_related("organisation", "user").filter(token_hash=hash_token(token)).first()


def bind_to_session(request, invitation):
    """Opening a valid link: a fresh session (anyone signed in on this browser is signed out)
    that holds the invitation and an authenticator key made for this session only."""
    from django.contrib.auth import logout

    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"invitation": str(invitation.public_id), "key": secrets.token_hex(20)}


def from_session(request, now=None):
    data = request.session.get(SESSION_KEY)
    if not data:
        return None, None
    invitation = Invitation.objects.select_related("organisation", "user").filter(public_id=data["invitation"]).first()
    if invitation is None or invitation.state(now or _now()) != "valid":
        request.session.pop(SESSION_KEY, None)
        return None, None
    return invitation, data["key"]


def code_step(key_hex, code, now=None):
    """The time step whose TOTP code `code` is for the session's key (one step of drift either
    way), or None if it matches none."""
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = (now or _now()).timestamp()
    for drift in (0, -1, 1):
        totp.drift = drift
        if totp.token() == int(code):
            return totp.t()
    return None


def new_member_user(invitation, username):
    """The unsaved user a membership invitation creates (for the password validators)."""
    first, _sep, last = invitation.name.partition(" ")
    return User(username=username, email=invitation.email, first_name=first, last_name=last)


@transaction.atomic
def redeem(invitation_public_id, *, key_hex, step, password, username=None, request=None, now=None):
    """Spend the link under a row lock: the first redemption wins, any other gets an
    InvitationError. Creates the user and membership (or replaces the device, for a reset) and
    returns (user, device)."""
    now = now or _now()
    invitation = Invitation.objects.select_for_update().filter(public_id=invitation_public_id).first()
    if invitation is None or invitation.state(now) != "valid":
        raise InvitationError(_("This link has already been used, or it is no longer valid."))
    if invitation.kind == Kind.MEMBERSHIP:
        user = new_member_user(invitation, username or invitation.email.lower())
        user.hpr_number = invitation.hpr_number
        user.national_id_hash = invitation.national_id_hash
        validate_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise InvitationError(_("This username is taken. Choose another."), field="username") from error
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
        detail = f"invitation {invitation.public_id} redeemed user {user.public_id}"
    else:
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        TOTPDevice.objects.filter(user=user).delete()
        detail = f"second factor reset {invitation.public_id} redeemed user {user.public_id}"
    # last_t: the code just used cannot be used again to sign in.
    device = TOTPDevice.objects.create(user=user, name="Heimveg", key=key_hex, confirmed=True, last_t=step)
    invitation.used_at = now
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    who = SimpleNamespace(user=user, organisation=invitation.organisation, role=invitation.role)
    trail.record(who, trail.UPDATE, object_type="account", detail=detail, request=request)
    return user, device
