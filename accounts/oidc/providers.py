"""The providers Heimveg signs in with: HelseID and ID-porten from the settings, and each
organisation's own provider from the Django admin (IdentityProvider), all as `Provider`."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from accounts.oidc.models import IdentityProvider, ProviderKind
from accounts.oidc.purposes import CITIZEN, STAFF

logger = logging.getLogger(__name__)

HELSEID_LEVEL_CLAIM = "helseid://claims/identity/security_level"
HELSEID_PID_CLAIM = "helseid://claims/identity/pid"
HELSEID_HPR_CLAIM = "helseid://claims/hpr/hpr_number"
IDPORTEN_PID_CLAIM = "pid"
ACR_CLAIM = "acr"

# ID-porten's levels of assurance, lowest first; HelseID's security levels likewise.
IDPORTEN_LEVELS = ("idporten-loa-substantial", "idporten-loa-high")
HELSEID_LEVELS = ("3", "4")

HELSEID_KEY = "helseid"
IDPORTEN_KEY = "idporten"


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    kind: str
    issuer: str
    client_id: str
    scopes: tuple[str, ...]
    required_level: str = ""
    national_id_claim: str = ""
    hpr_claim: str = ""
    organisation_id: int | None = None

    @property
    def purpose(self) -> str:
        return CITIZEN if self.kind == ProviderKind.IDPORTEN else STAFF

    @property
    def level_claim(self) -> str:
        return HELSEID_LEVEL_CLAIM if self.kind == ProviderKind.HELSEID else ACR_CLAIM

    @property
    def levels(self) -> tuple[str, ...]:
        """The provider's levels, lowest first (empty: the level is compared as given)."""
        if self.kind == ProviderKind.HELSEID:
            return HELSEID_LEVELS
        if self.kind == ProviderKind.IDPORTEN:
            return IDPORTEN_LEVELS
        return ()

    @property
    def requires_par(self) -> bool:
        """HelseID and ID-porten take authorization requests only by PAR; another provider gets
        PAR when its discovery document offers it."""
        return self.kind in (ProviderKind.HELSEID, ProviderKind.IDPORTEN)

    @property
    def acr_values(self) -> str:
        return self.required_level if self.kind == ProviderKind.IDPORTEN else ""

    def level_sufficient(self, level: object) -> bool:
        """Whether the session's level (the claim's value) is at least the required one."""
        if not self.required_level:
            return True
        if not isinstance(level, str | int) or isinstance(level, bool):
            return False
        level = str(level)
        if self.levels:
            if level not in self.levels or self.required_level not in self.levels:
                return False
            return self.levels.index(level) >= self.levels.index(self.required_level)
        return level == self.required_level


def _from_settings() -> list[Provider]:
    found = []
    if settings.HEIMVEG_HELSEID_ISSUER and settings.HEIMVEG_HELSEID_CLIENT_ID:
        found.append(
            Provider(
                key=HELSEID_KEY,
                name=str(_("HelseID")),
                kind=ProviderKind.HELSEID,
                issuer=settings.HEIMVEG_HELSEID_ISSUER,
                client_id=settings.HEIMVEG_HELSEID_CLIENT_ID,
                scopes=tuple(settings.HEIMVEG_HELSEID_SCOPES.split()),
                required_level=settings.HEIMVEG_HELSEID_SECURITY_LEVEL,
                national_id_claim=HELSEID_PID_CLAIM,
                hpr_claim=HELSEID_HPR_CLAIM,
            )
        )
    if settings.HEIMVEG_IDPORTEN_ISSUER and settings.HEIMVEG_IDPORTEN_CLIENT_ID:
        found.append(
            Provider(
                key=IDPORTEN_KEY,
                name=str(_("ID-porten")),
                kind=ProviderKind.IDPORTEN,
                issuer=settings.HEIMVEG_IDPORTEN_ISSUER,
                client_id=settings.HEIMVEG_IDPORTEN_CLIENT_ID,
                scopes=tuple(settings.HEIMVEG_IDPORTEN_SCOPES.split()),
                required_level=settings.HEIMVEG_IDPORTEN_ACR,
                national_id_claim=IDPORTEN_PID_CLAIM,
            )
        )
    return found


def _from_model(row: IdentityProvider) -> Provider:
    helseid = row.kind == ProviderKind.HELSEID
    idporten = row.kind == ProviderKind.IDPORTEN
    return Provider(
        key=row.key,
        name=row.name,
        kind=row.kind,
        issuer=row.issuer,
        client_id=row.client_id,
        scopes=tuple(row.scopes.split()),
        required_level=row.required_level,
        national_id_claim=row.national_id_claim
        or (HELSEID_PID_CLAIM if helseid else IDPORTEN_PID_CLAIM if idporten else ""),
        hpr_claim=row.hpr_claim or (HELSEID_HPR_CLAIM if helseid else ""),
        organisation_id=row.organisation_id,
    )


def _own() -> list[Provider]:
    """The organisations' own providers. The sign-in page must not fail with the provider table
    (the settings' providers still show): a database error is logged and none are listed."""
    try:
        return [_from_model(row) for row in IdentityProvider.objects.filter(is_active=True).order_by("name")]
    except DatabaseError:
        logger.warning("The organisations' identity providers could not be read.", exc_info=True)
        return []


def from_settings(key: str) -> Provider | None:
    """HelseID or ID-porten when the settings configure it (no database read): for an outer app
    that only asks whether to show its button (the portal's "Log in with ID-porten")."""
    return next((p for p in _from_settings() if p.key == key), None)


def all_providers() -> list[Provider]:
    """Every configured provider: the settings' first, then the organisations' own."""
    own = _own()
    configured = _from_settings()
    taken = {p.key for p in configured}
    return configured + [p for p in own if p.key not in taken]


def for_purpose(purpose: str) -> list[Provider]:
    return [p for p in all_providers() if p.purpose == purpose]


def get(key: str) -> Provider | None:
    return next((p for p in all_providers() if p.key == key), None)
