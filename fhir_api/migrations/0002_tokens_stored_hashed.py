"""Access tokens are stored only as a checksum from now on (settings: OAUTH2_PROVIDER
COMPLIANT_BCP_RFC9700_TOKEN_STORAGE). Tokens issued before were stored in clear: they are revoked
(deleted), so no usable token is left in the database; systems get a new one from /oauth/token/
as they do when theirs expires. Client secrets are hashed already (Application.hash_client_secret);
any secret still in clear is hashed here."""

from django.contrib.auth.hashers import identify_hasher, make_password
from django.db import migrations


def revoke_tokens_and_hash_secrets(apps, schema_editor):
    from oauth2_provider.settings import oauth2_settings

    for model in ("RefreshToken", "AccessToken", "IDToken", "Grant"):
        apps.get_model("oauth2_provider", model).objects.all().delete()
    Application = apps.get_model("oauth2_provider", "Application")
    for application in Application.objects.all():
        try:
            identify_hasher(application.client_secret)
            hashed = True
        except ValueError:
            hashed = False
        if not hashed or not application.hash_client_secret:
            secret = application.client_secret
            if not hashed:
                secret = make_password(secret, hasher=oauth2_settings.CLIENT_SECRET_HASHER)
            Application.objects.filter(pk=application.pk).update(client_secret=secret, hash_client_secret=True)


class Migration(migrations.Migration):
    dependencies = [
        ("fhir_api", "0001_initial"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    operations = [migrations.RunPython(revoke_tokens_and_hash_secrets, migrations.RunPython.noop)]
