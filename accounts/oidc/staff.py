"""The "staff" purpose: who a verified provider sign-in is, for HelseID and an organisation's own
provider.

A person is bound to a Heimveg user through an invitation (accounts.invitations): the first
provider sign-in made in the session that opened the invitation link redeems it and binds the
provider's (issuer, subject) to the user, under a row lock on the invitation and a unique
constraint on the binding. From a provider that gives them (HelseID), the national id and the HPR
number the invitation recorded must be the ones signed in with. Later sign-ins match the binding
only, never an e-mail address. Anyone else gets a page and an audit entry, not an account.
"""

import hmac
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from accounts import invitations, sign_ins, trail
from accounts.models import Invitation, Membership, User
from accounts.oidc import refusals, sessions
from accounts.oidc.models import ProviderIdentity
from accounts.oidc.providers import Provider
from directory.models import Organisation


class BindingRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _claim_values(claims: dict[str, Any], name: str) -> list[str]:
    """A claim's values as text: HelseID sends the HPR number as a string or as a list of them."""
    value = claims.get(name) if name else None
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip()]


def identity_matches(invitation: Invitation, provider: Provider, claims: dict[str, Any]) -> bool:
    """What the invitation recorded (national id as its keyed hash, HPR number; for a reset link,
    what the user has) against what the provider says, for each that the provider gives
    (HelseID: both)."""
    recorded = invitation.user if invitation.kind == Invitation.Kind.SECOND_FACTOR_RESET else invitation
    national_id_hash = getattr(recorded, "national_id_hash", "")
    hpr_number = getattr(recorded, "hpr_number", "")
    if national_id_hash and provider.national_id_claim:
        numbers = _claim_values(claims, provider.national_id_claim)
        if len(numbers) != 1 or not hmac.compare_digest(invitations.national_id_hash(numbers[0]), national_id_hash):
            return False
    if hpr_number and provider.hpr_claim:
        if hpr_number not in _claim_values(claims, provider.hpr_claim):
            return False
    return True


def _provider_covers(provider: Provider, invitation: Invitation) -> bool:
    """An organisation's own provider redeems invitations of that organisation (or of the
    hospitals its health trust covers) only."""
    if provider.organisation_id is None:
        return True
    owner = Organisation.objects.filter(pk=provider.organisation_id).first()
    return owner is not None and owner.covers(invitation.organisation)


@transaction.atomic
def bind(
    invitation_public_id: Any, provider: Provider, claims: dict[str, Any], request: HttpRequest | None = None
) -> User:
    """Redeem the invitation with a provider sign-in: the user (new for a membership invitation,
    the invited one for a reset) is bound to the provider's subject. Raises BindingRefused."""
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(public_id=invitation_public_id)
        .first()
    )
    if invitation is None or invitation.state(now) != "valid":
        raise BindingRefused(refusals.INVITATION_USED)
    if not _provider_covers(provider, invitation):
        raise BindingRefused(refusals.OTHER_ORGANISATION)
    if not identity_matches(invitation, provider, claims):
        raise BindingRefused(refusals.IDENTITY_MISMATCH)
    if invitation.kind == Invitation.Kind.MEMBERSHIP:
        user = invitations.new_member_user(invitation, invitation.email.lower())
        user.hpr_number = invitation.hpr_number
        user.national_id_hash = invitation.national_id_hash
        user.set_unusable_password()  # signs in through the provider; a password can be set later
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise BindingRefused(refusals.INVITATION_USED) from error
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    else:
        user = User.objects.select_for_update().get(pk=invitation.user_id or 0)
    try:
        with transaction.atomic():
            identity = ProviderIdentity.objects.create(
                user=user,
                issuer=provider.issuer,
                subject=claims["sub"],
                provider_key=provider.key,
                created_at=now,
                last_sign_in_at=now,
            )
    except IntegrityError as error:
        raise BindingRefused(refusals.ALREADY_BOUND) from error
    invitation.used_at = now
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    who = SimpleNamespace(user=user, organisation=invitation.organisation, role=invitation.role)
    trail.record(
        who,
        trail.UPDATE,
        object_type="account",
        detail=f"invitation {invitation.public_id} redeemed by provider sign-in ({provider.key}) user "
        f"{user.public_id} identity {identity.public_id}",
        request=request,
    )
    return user


def on_verified(request: HttpRequest, provider: Provider, claims: dict[str, Any]) -> HttpResponse:
    identity = (
        ProviderIdentity.objects.select_related("user").filter(issuer=provider.issuer, subject=claims["sub"]).first()
    )
    if identity is not None:
        user = identity.user
        if not user.is_active:
            return refusals.refused(request, provider, refusals.INACTIVE)
        ProviderIdentity.objects.filter(pk=identity.pk).update(last_sign_in_at=timezone.now())
    else:
        invitation, _key = invitations.from_session(request)
        if invitation is None:
            return refusals.refused(request, provider, refusals.UNKNOWN_PERSON)
        try:
            user = bind(invitation.public_id, provider, claims, request=request)
        except BindingRefused as refusal:
            return refusals.refused(request, provider, refusal.reason)
        request.session.pop(invitations.SESSION_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # HelseID's levels 3 and 4 are two-factor; an organisation's own provider answers for its MFA.
    sign_ins.second_factor_passed(request)
    return redirect(sessions.next_url(request, "home"))
