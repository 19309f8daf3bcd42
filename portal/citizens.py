"""After ID-porten has verified a citizen (accounts.oidc, purpose "citizen"): find who they are to
Heimveg and open a portal session bound to their national id.

`on_verified` is called by the OpenID Connect callback only after every protocol check passed
(state, nonce, iss, signature, audience, expiry, and `acr` at least idporten-loa-substantial). It
reads the `pid` claim (the national id, 11 digits), and:

- a relative who signed in with an invitation's link and code in this browser, and then with
  ID-porten, is bound to that number (a keyed hash on the relative), so that ID-porten finds
  their invitations from then on (relatives carry no national id otherwise);
- the session is opened for the number (portal.session.begin_person); who the person is (a
  patient, a relative, neither) is looked up on each page (portal.persons).

The sign-in is audited (on the patient's trail when the number is a patient's); the number itself
is never logged.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.oidc import logout, providers, sessions
from audit import services as audit
from audit.models import AuditEntry
from lib import nin
from patients.access import record
from patients.models import Relative
from portal import persons, session

Action = AuditEntry.Action
PURPOSE = "citizen"
PROVIDER = "idporten"
LANGUAGES = {"nb", "nn", "en"}
# The security levels a citizen's sign-in must have: accounts.oidc refuses lower ones before the
# handler is called; the handler checks again, so that no other caller can open a session below.
LEVELS = {"idporten-loa-substantial", "idporten-loa-high"}


def idporten_start_url(next_url: str) -> str | None:
    """Where the button "Log in with ID-porten" goes, or None when ID-porten is not set up
    (HEIMVEG_IDPORTEN_ISSUER and HEIMVEG_IDPORTEN_CLIENT_ID; the button is then not shown)."""
    if providers.from_settings(PROVIDER) is None:
        return None
    start = reverse("accounts:oidc_start", kwargs={"provider": PROVIDER})
    return f"{start}?{urlencode({'next': next_url})}"


def sign_out(request: HttpRequest) -> HttpResponse | None:
    """When this browser signed in with ID-porten: end the whole session (the portal's and the ID
    token) and answer the page that moves on to ID-porten's sign-out, so that the next "Log in
    with ID-porten" on a shared phone asks again. ID-porten sends the browser back to
    accounts:oidc_signed_out, which goes on to portal:signed_out (portal.apps). None otherwise."""
    signed_in = sessions.signed_in_with(request)
    if signed_in is None or signed_in.get("provider") != PROVIDER:
        return None
    url, _purpose = logout.end(request)
    if url is None:
        return redirect("portal:signed_out")
    return logout.leaving_page(request, url, "portal/leaving_for_id_porten.html")


def _national_id(claims: dict[str, Any]) -> str | None:
    value = claims.get("pid")
    if not isinstance(value, str):
        return None
    try:
        number = nin.normalise(value)
    except nin.InvalidNationalId:
        return None
    return number if len(number) == 11 else None


@transaction.atomic
def _bind_relative(request: HttpRequest, national_id: str) -> None:
    """The browser holds a relative's invitation session (link and code): bind that relative to
    the number, unless the number is the patient's own or the relative is bound to another one."""
    invitation = session.current(request)
    if invitation is None or not invitation.relative_id or session.person_national_id(request):
        return
    relative = Relative.objects.select_for_update().select_related("patient").get(pk=invitation.relative_id)
    if relative.patient.national_id == national_id:
        return
    digest = persons.hashed(national_id)
    if relative.national_id_hash == digest:
        return
    respondent = persons.PersonRespondent("relative")
    if relative.national_id_hash:
        record(respondent, relative.patient, Action.DENIED, object_type="id-porten", detail="relative bound to another")
        return
    relative.national_id_hash = digest
    relative.save(update_fields=["national_id_hash"])
    record(
        respondent, relative.patient, Action.UPDATE, object_type="id-porten", detail="relative bound", request=request
    )


def on_verified(request: HttpRequest, provider: Any, claims: dict[str, Any]) -> HttpResponse:
    """The handler registered for the purpose "citizen" (portal.apps)."""
    national_id = _national_id(claims)
    if national_id is None or claims.get("acr") not in LEVELS or getattr(provider, "kind", PROVIDER) != PROVIDER:
        detail = "no pid" if national_id is None else "too low a level or not ID-porten"
        audit.record(persons.PersonRespondent("citizen"), Action.DENIED, object_type="id-porten", detail=detail)
        return render(request, "portal/idporten_refused.html", status=403)
    _bind_relative(request, national_id)
    person = persons.lookup(national_id)
    session.begin_person(request, national_id)
    if person.patient is not None:
        record(
            person.respondent, person.patient, Action.VIEW, object_type="id-porten", detail="signed in", request=request
        )
    else:
        audit.record(person.respondent, Action.VIEW, object_type="id-porten", detail="signed in", request=request)
    response = redirect("portal:me")
    language = person.patient.preferred_language if person.patient else claims.get("locale")
    if language in LANGUAGES:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
