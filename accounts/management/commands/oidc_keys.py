"""Heimveg's key pairs for signing in with OpenID Connect providers (private_key_jwt).

manage.py oidc_keys generate      a first key (refused if one is in use: rotate instead)
manage.py oidc_keys rotate        a new signing key; the old one stays published
manage.py oidc_keys list          the keys, which one signs, which are published
manage.py oidc_keys retire KID    stop publishing an old key
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.oidc import keys
from accounts.oidc.models import ClientKey


class Command(BaseCommand):
    help = "Generate, rotate, list or retire Heimveg's OpenID Connect client keys."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "rotate", "list", "retire"])
        parser.add_argument("kid", nargs="?", help="the key to retire")

    def handle(self, *args, action, kid=None, **options):
        if action == "generate":
            if keys.active() is not None:
                raise CommandError("A client key is already in use. Use `oidc_keys rotate` for a new one.")
            row = keys.generate()
            self.stdout.write(f"Generated key {row.kid}; it is published at the JWKS URL and signs from now on.")
        elif action == "rotate":
            old = keys.active()
            row = keys.generate()
            self.stdout.write(f"New signing key {row.kid}.")
            if old is not None:
                self.stdout.write(
                    f"The old key {old.kid} stays published. Retire it when the providers have the new one: "
                    f"manage.py oidc_keys retire {old.kid}"
                )
        elif action == "retire":
            if not kid:
                raise CommandError("Name the key to retire (its kid, from `oidc_keys list`).")
            if not keys.retire(kid):
                raise CommandError(f"No published key {kid} that can be retired (the signing key cannot).")
            self.stdout.write(f"Retired key {kid}; it is no longer published.")
        else:
            current = keys.active()
            for row in ClientKey.objects.all():
                state = (
                    "retired" if row.retired_at else ("signing" if current and row.pk == current.pk else "published")
                )
                self.stdout.write(f"{row.kid}  {row.created_at:%Y-%m-%d %H:%M}  {state}")
