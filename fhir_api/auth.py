"""Who is calling: an OAuth 2.0 bearer token (client credentials) issued to a registered system
(`ApiClient`) of an organisation. The caller acts as an `Actor` of that organisation in the
client's role, so patients.access decides exactly as for a person in the web pages; `client_name`
puts the system's name on every audit entry."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from oauth2_provider.oauth2_backends import get_oauthlib_core

from accounts.actor import Actor
from accounts.models import Membership
from fhir_api.errors import FhirError
from fhir_api.models import ApiClient

CHALLENGE = 'Bearer realm="heimveg-fhir"'


@dataclass(frozen=True)
class ClientActor(Actor):
    client: ApiClient | None = None

    @property
    def client_name(self):
        return self.client.name


def actor_for_client(client: ApiClient) -> ClientActor:
    """The actor a registered system acts as: its organisation in its role (no membership row)."""
    membership = Membership(user=client.service_user, organisation=client.organisation, role=client.role)
    return ClientActor(user=client.service_user, membership=membership, client=client)


def unauthorized(message, error="invalid_token"):
    header = CHALLENGE if error is None else f'{CHALLENGE}, error="{error}"'
    return FhirError(401, message, code="login", headers={"WWW-Authenticate": header})


def authenticate(request) -> ClientActor:
    """The actor for a request with a valid bearer token, or FhirError 401."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        raise unauthorized(_("Authenticate with an OAuth 2.0 bearer token (client credentials)."), error=None)
    if not header.lower().startswith("bearer "):
        raise unauthorized(_("Use the Bearer authentication scheme with an access token."), error="invalid_request")
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None)
    if not valid or token is None:
        raise unauthorized(_("The access token is invalid or has expired. Get a new token."))
    client = (
        ApiClient.objects.select_related("organisation", "service_user")
        .filter(application_id=token.application_id, revoked_at__isnull=True)
        .first()
    )
    if client is None:
        raise unauthorized(_("This system's access has been revoked by its organisation."))
    return actor_for_client(client)
