"""Registering and revoking an organisation's systems (API clients). Called from the org admin's
page; each change is written to the audit log."""

import secrets

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from accounts.models import CLINICAL_ROLES, ROLE_ORGANISATION_KINDS, Role, User
from audit import services as audit
from audit.models import AuditEntry
from fhir_api.models import ApiClient

Action = AuditEntry.Action


def roles_for(organisation):
    """The roles a system of this organisation can act in: the clinical roles that fit its kind,
    and the admin role (for reading the audit log)."""
    fitting = [r for r in Role if r in CLINICAL_ROLES and organisation.kind in ROLE_ORGANISATION_KINDS[r]]
    return [*fitting, Role.ORG_ADMIN]


def clients_of(organisation):
    return ApiClient.objects.filter(organisation=organisation).select_related("application", "created_by")


@transaction.atomic
def register_client(actor, name, role, *, request=None):
    """A new system: returns (client, client_secret). The secret is stored hashed; this is the only
    time it is known in clear."""
    organisation = actor.organisation
    if role not in roles_for(organisation):
        raise ValueError("role does not fit the organisation")
    service_user = User.objects.create(
        username=f"system-{secrets.token_hex(6)}",
        first_name=name[:150],
        last_name=f"({organisation.name})"[:150],
    )
    service_user.set_unusable_password()
    service_user.save(update_fields=["password"])
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{organisation.name}: {name}"[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        user=None,
    )
    client = ApiClient.objects.create(
        organisation=organisation,
        name=name,
        role=role,
        application=application,
        service_user=service_user,
        created_by=actor.user,
    )
    audit.record(actor, Action.CREATE, object_type="api_client", detail=f"system {client.public_id}", request=request)
    return client, secret


@transaction.atomic
def revoke_client(actor, client, *, request=None):
    """Tokens stop working at once; the client stays listed as revoked, for the record."""
    if client.application_id:
        AccessToken.objects.filter(application_id=client.application_id).delete()
        application = client.application
        client.application = None
        client.revoked_at = timezone.now()
        client.save(update_fields=["application", "revoked_at"])
        application.delete()
    audit.record(actor, Action.DELETE, object_type="api_client", detail=f"system {client.public_id}", request=request)
