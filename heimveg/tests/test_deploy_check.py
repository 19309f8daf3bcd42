"""`manage.py check --deploy` with the production settings, and HTTPS behind a proxy as production
configures it. Each runs in a subprocess with a clean environment (only what production sets), so
neither the test settings nor the developer's shell can hide a warning.

The allow-lists below are exact: a new warning fails the test, and so does one that went away (then
take it off the list). Every entry says why it is accepted."""

import json
import re
import secrets
import subprocess
import sys

from django.conf import settings

# Warnings `check --deploy` may show with the production settings, and why each is accepted.
ALLOWED_WARNINGS: dict[str, str] = {}
# SILENCED_SYSTEM_CHECKS, exactly, and why each is silenced.
ALLOWED_SILENCED = {
    "security.W021": "HSTS preload is the domain owner's decision and hard to undo; HEIMVEG_HSTS_PRELOAD=1 turns it on",
}


def production_env(**extra):
    """What a production server sets: no DEBUG, no demo, a real secret key, HTTPS behind a proxy."""
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "heimveg.settings",
        "HEIMVEG_SECRET_KEY": secrets.token_urlsafe(50),
        "HEIMVEG_ALLOWED_HOSTS": "heimveg.example.no",
        "HEIMVEG_HTTPS": "1",
        "HEIMVEG_BASE_URL": "https://heimveg.example.no",
        "HEIMVEG_PROXY_SSL_HEADER": "1",
        "HEIMVEG_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # Stands for the SMS gateway's backend (the console one is refused outside the demo).
        "HEIMVEG_SMS_BACKEND": "portal.senders.MemorySMSBackend",
        # Never opened by these checks; kept out of the working copy's var/ all the same.
        "DATABASE_URL": "sqlite:////nonexistent/heimveg.sqlite3",
        **extra,
    }


def run(args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_with_production_settings_shows_exactly_the_allowed_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "ERROR"], production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    shown = set(re.findall(r"^\?: \(([\w.]+\.[EWCI]\d+)\)", output, flags=re.MULTILINE))
    assert shown == set(ALLOWED_WARNINGS), output
    silenced = len(ALLOWED_SILENCED)
    assert re.search(rf"System check identified (\d+ issues?|no issues) \({silenced} silenced\)\.", output), output

    code = "import json; from django.conf import settings; print(json.dumps(settings.SILENCED_SYSTEM_CHECKS))"
    printed = run(["manage.py", "shell", "-c", code], production_env())
    assert printed.returncode == 0, printed.stderr
    assert sorted(json.loads(printed.stdout.strip().splitlines()[-1])) == sorted(ALLOWED_SILENCED)


HTTPS_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
# Static file names without collectstatic's manifest (which this probe does not build).
override_settings(
    STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
client = Client(HTTP_HOST="heimveg.example.no")
plain = client.get("/accounts/sign-in/")
health = client.get("/livez")
proxied = client.get("/accounts/sign-in/", HTTP_X_FORWARDED_PROTO="https")
csrf = proxied.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "proxied": proxied.status_code,
    "hsts": proxied.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
}))
"""


def test_behind_an_https_proxy_production_sends_hsts_redirects_plain_http_and_secures_cookies():
    result = run(["-c", HTTPS_PROBE], production_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://heimveg.example.no/accounts/sign-in/"]
    assert seen["health"] == 200  # the load balancer's probes come in plain HTTP
    assert seen["proxied"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["csrf_cookie_secure"] and seen["session_cookie_secure"] and seen["language_cookie_secure"]

    preload = json.loads(run(["-c", HTTPS_PROBE], production_env(HEIMVEG_HSTS_PRELOAD="1")).stdout.splitlines()[-1])
    assert preload["hsts"] == "max-age=31536000; includeSubDomains; preload"

    # Without HEIMVEG_PROXY_SSL_HEADER the forwarded header is not believed: still redirected.
    env = production_env()
    del env["HEIMVEG_PROXY_SSL_HEADER"]
    untrusted = json.loads(run(["-c", HTTPS_PROBE], env).stdout.splitlines()[-1])
    assert untrusted["proxied"] == 301 and untrusted["hsts"] is None
