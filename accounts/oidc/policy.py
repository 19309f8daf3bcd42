"""Whether a person must sign in through a provider: an organisation admin can require it for
their organisation (SignInPolicy); a person with memberships in several organisations is held to
the strictest, so one organisation that requires it is enough."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import trail
from accounts.models import Membership, User
from accounts.oidc.models import SignInPolicy


def provider_required(user: User) -> bool:
    organisations = Membership.objects.filter(user=user, is_active=True).values("organisation_id")
    return SignInPolicy.objects.filter(organisation_id__in=organisations, provider_required=True).exists()


def required_for(organisation_id: int) -> bool:
    return SignInPolicy.objects.filter(organisation_id=organisation_id, provider_required=True).exists()


@transaction.atomic
def set_required(actor: Any, required: bool, request: HttpRequest | None = None) -> SignInPolicy:
    """The organisation admin's choice for their acting organisation, audited."""
    SignInPolicy.objects.bulk_create([SignInPolicy(organisation=actor.organisation)], ignore_conflicts=True)
    policy = SignInPolicy.objects.select_for_update().get(organisation=actor.organisation)
    policy.provider_required = required
    policy.changed_by = actor.user
    policy.changed_at = timezone.now()
    policy.save()
    trail.record(
        actor,
        trail.UPDATE,
        object_type="account",
        detail=f"sign-in policy provider required {'on' if required else 'off'}",
        request=request,
    )
    return policy
