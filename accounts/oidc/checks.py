"""Start-up checks of the provider settings (manage.py check, and every start)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def provider_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    for name in ("HELSEID", "IDPORTEN"):
        issuer = getattr(settings, f"HEIMVEG_{name}_ISSUER")
        client_id = getattr(settings, f"HEIMVEG_{name}_CLIENT_ID")
        if bool(issuer) != bool(client_id):
            problems.append(
                Warning(
                    f"HEIMVEG_{name}_ISSUER and HEIMVEG_{name}_CLIENT_ID are set together or not at all; "
                    "with only one, the provider is off.",
                    id="accounts.W101",
                )
            )
        if issuer and not issuer.startswith("https://") and not settings.HEIMVEG_OIDC_ALLOW_HTTP:
            problems.append(Error(f"HEIMVEG_{name}_ISSUER must be an https address.", id="accounts.E101"))
    testing = getattr(settings, "TESTING", False) or getattr(settings, "DEMO_MODE", False)
    if settings.HEIMVEG_OIDC_ALLOW_HTTP and not testing:
        problems.append(
            Warning(
                "HEIMVEG_OIDC_ALLOW_HTTP is on: providers on plain http are accepted. Tests only.", id="accounts.W102"
            )
        )
    return problems
