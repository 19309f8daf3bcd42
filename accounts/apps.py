from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from accounts import sign_ins  # noqa: F401 - connects the sign-in signal receivers
        from accounts.decorators import actor_required
        from accounts.models import Role
        from accounts.oidc import checks, purposes, staff  # noqa: F401 - checks registers itself
        from directory import guards

        # The directory's admin pages (contact points, the public page): acting organisation admins.
        guards.register_organisation_admin(actor_required(Role.ORG_ADMIN))
        # Provider sign-in of staff (HelseID, an organisation's own provider); the portal registers
        # the "citizen" purpose (ID-porten).
        purposes.register(purposes.STAFF, staff.on_verified)
