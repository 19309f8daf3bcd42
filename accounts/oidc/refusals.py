"""A refused provider sign-in: a clear page in the user's language and an audit entry (the
reason code and the provider's key; no personal data, neither in the entry nor in the log)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts import trail
from accounts.oidc.providers import Provider

logger = logging.getLogger(__name__)

# Staff reasons, besides those of the protocol (accounts.oidc.flow.REASONS).
UNKNOWN_PERSON = "unknown_person"
IDENTITY_MISMATCH = "identity_mismatch"
INVITATION_USED = "invitation_used"
ALREADY_BOUND = "already_bound"
INACTIVE = "inactive"
NOT_AVAILABLE = "not_available"
OTHER_ORGANISATION = "other_organisation"

MESSAGES = {
    "state": _(
        "The answer from the sign-in service does not belong to a sign-in started in this browser, or it came "
        "too late. Start the sign-in again."
    ),
    "provider_error": _("The sign-in was cancelled or did not succeed at the sign-in service. Try again."),
    "iss_parameter": _(
        "The answer did not come from the sign-in service the sign-in was sent to. Nothing was changed. "
        "Start the sign-in again."
    ),
    "code": _("The sign-in service did not accept this sign-in (it may already have been used). Start again."),
    "signature": _("The sign-in service's answer was not signed with its own keys, so it was refused."),
    "issuer": _("The sign-in service's answer names another issuer, so it was refused."),
    "audience": _("The sign-in service's answer was meant for another service, so it was refused."),
    "expired": _("The sign-in service's answer has expired. Start the sign-in again."),
    "nonce": _("The sign-in service's answer does not belong to this sign-in. Start the sign-in again."),
    "level": _(
        "Heimveg needs a stronger sign-in than the one you used. Sign in again with a method of a higher "
        "security level (for example BankID)."
    ),
    "unavailable": _("The sign-in service cannot be reached just now, or it is not set up. Try again later."),
    UNKNOWN_PERSON: _(
        "You signed in, but Heimveg does not know you yet. To use Heimveg, ask your organisation's administrator "
        "for an invitation, open its link and then sign in with this service. No account was created."
    ),
    IDENTITY_MISMATCH: _(
        "The person who signed in is not the one this invitation was made for. Nothing was changed. Ask your "
        "administrator to check the invitation."
    ),
    INVITATION_USED: _("This invitation has already been used, or it is no longer valid."),
    ALREADY_BOUND: _(
        "This sign-in is already linked to another Heimveg user. Nothing was changed. Ask your administrator."
    ),
    INACTIVE: _("Your Heimveg account is deactivated. Ask your organisation's administrator."),
    NOT_AVAILABLE: _("Signing in this way is not available in Heimveg yet."),
    OTHER_ORGANISATION: _(
        "This invitation is for another organisation than the one whose sign-in you used. Nothing was changed. "
        "Sign in with the service your invitation's organisation uses."
    ),
}


def refused(
    request: HttpRequest, provider: Provider | None, reason: str, detail: str = "", status: int = 403
) -> HttpResponse:
    key = provider.key if provider else "unknown"
    trail.record(
        None,
        trail.DENIED,
        object_type="account",
        detail=f"provider sign-in refused: {reason} provider {key}" + (f" ({detail})" if detail else ""),
        request=request,
    )
    logger.warning("Provider sign-in refused: %s (provider %s)", reason, key)
    message = MESSAGES.get(reason, MESSAGES["unavailable"])
    return render(
        request,
        "accounts/oidc_refused.html",
        {"message": message, "reason": reason, "provider": provider},
        status=status,
    )
