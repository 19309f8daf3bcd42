"""System checks of the deployment that Django's own do not cover.

The console e-mail and SMS backends print every message, invitation links and one-time codes
included, into the process's output and so into the application log: they are for the demo,
debugging and the test suite only. Elsewhere they are an Error, which stops `manage.py migrate`,
`check`, `runserver` and `worker`.

HEIMVEG_BASE_URL starts every link in an SMS or e-mail: outside the demo and the tests it must be
set, to an https address (heimveg.E003); in the demo and tests http is accepted for this machine
(127.0.0.1, localhost) only."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

CONSOLE_EMAIL_BACKENDS = {"django.core.mail.backends.console.EmailBackend"}
CONSOLE_SMS_BACKENDS = {"portal.senders.ConsoleSMSBackend"}


def console_allowed():
    return bool(settings.DEMO_MODE or settings.DEBUG or getattr(settings, "TESTING", False))


@checks.register(checks.Tags.security)
def check_message_backends(app_configs=None, **kwargs):
    if console_allowed():
        return []
    errors = []
    if settings.EMAIL_BACKEND in CONSOLE_EMAIL_BACKENDS:
        errors.append(
            checks.Error(
                "The console e-mail backend prints invitation links and codes into the log.",
                hint="Set HEIMVEG_EMAIL_BACKEND to a real backend (SMTP is the default when it is unset), "
                "or run the demo with HEIMVEG_DEMO=1.",
                id="heimveg.E001",
            )
        )
    if settings.SMS_BACKEND in CONSOLE_SMS_BACKENDS or not settings.SMS_BACKEND:
        errors.append(
            checks.Error(
                "The console SMS backend prints one-time codes into the log.",
                hint="Set HEIMVEG_SMS_BACKEND to the dotted path of your SMS gateway's backend "
                "(a class with send(phone, text)), or run the demo with HEIMVEG_DEMO=1.",
                id="heimveg.E002",
            )
        )
    return errors


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _base_url_problem():
    """Why HEIMVEG_BASE_URL will not do, or None."""
    url = (getattr(settings, "BASE_URL", "") or "").strip()
    local_allowed = bool(settings.DEMO_MODE or getattr(settings, "TESTING", False))
    if not url:
        return "HEIMVEG_BASE_URL is not set: links in SMS and e-mail would lead nowhere."
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or not host or parts.query or parts.fragment or parts.scheme not in ("https", "http"):
        return f"HEIMVEG_BASE_URL ({url}) is not an address such as https://heimveg.example.no."
    if parts.scheme == "http" and not (local_allowed and host in LOCAL_HOSTS):
        return f"HEIMVEG_BASE_URL ({url}) is not https: links in SMS and e-mail must use https."
    return None


@checks.register(checks.Tags.security)
def check_base_url(app_configs=None, **kwargs):
    problem = _base_url_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint="Set HEIMVEG_BASE_URL to the https address people open Heimveg at, e.g. "
            "https://heimveg.example.no (http://127.0.0.1:8000 only in the demo, HEIMVEG_DEMO=1).",
            id="heimveg.E003",
        )
    ]


def refuse_misconfiguration():
    """For processes that run no system checks (gunicorn): the console backends and
    HEIMVEG_BASE_URL, raised at start."""
    errors = check_message_backends() + check_base_url()
    if errors:
        problem = " ".join(f"{e.msg} {e.hint}" for e in errors)
        # In the log as well as in the traceback: an operations team alerts on CRITICAL lines.
        logger.critical("start refused, the configuration is wrong: %s", problem)
        raise ImproperlyConfigured(problem)
