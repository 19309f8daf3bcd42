"""Heimveg's own key pairs for private_key_jwt client authentication (RFC 7523), kept in the
database (ClientKey), never in the repository. `manage.py oidc_keys generate|rotate|list|retire`.

The newest key not retired signs the client assertions; every key not retired is published at the
JWKS URL (accounts:oidc_jwks). A rotation makes a new key that signs from then on; the old key stays
published until it is retired (after the providers have fetched the new set)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from joserfc.jwk import RSAKey

from accounts.oidc.models import ClientKey

KEY_BITS = 3072
ALGORITHM = "RS256"


class NoClientKey(Exception):
    """No key to sign with: run `manage.py oidc_keys generate`."""


def generate() -> ClientKey:
    """A new key pair; it signs from now on (the older ones stay published)."""
    key = RSAKey.generate_key(KEY_BITS)
    kid = key.thumbprint()
    public = dict(key.as_dict(private=False))
    public.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    private_pem = key.as_pem(private=True)
    return ClientKey.objects.create(
        kid=kid,
        private_pem=private_pem.decode() if isinstance(private_pem, bytes) else private_pem,
        public_jwk=public,
        created_at=timezone.now(),
    )


@transaction.atomic
def retire(kid: str) -> bool:
    """Stop publishing a key. The signing key (the newest) cannot be retired: rotate first."""
    current = active()
    row = ClientKey.objects.select_for_update().filter(kid=kid, retired_at__isnull=True).first()
    if row is None or (current is not None and current.pk == row.pk):
        return False
    row.retired_at = timezone.now()
    row.save(update_fields=["retired_at"])
    return True


def active() -> ClientKey | None:
    return ClientKey.objects.filter(retired_at__isnull=True).order_by("-created_at", "-id").first()


def signing_key() -> RSAKey:
    row = active()
    if row is None:
        raise NoClientKey("No client key: run manage.py oidc_keys generate.")
    return RSAKey.import_key(row.private_pem, {"kid": row.kid, "alg": ALGORITHM, "use": "sig"})


def public_jwks() -> dict[str, Any]:
    return {"keys": [row.public_jwk for row in ClientKey.objects.filter(retired_at__isnull=True)]}
