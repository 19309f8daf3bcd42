"""System checks of the deployment that Django's own do not cover.

The console e-mail and SMS backends print every message, invitation links and one-time codes
included, into the process's output and so into the application log: they are for the demo,
debugging and the test suite only. Elsewhere they are an Error, which stops `manage.py migrate`,
`check`, `runserver` and `worker`."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

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


def refuse_console_backends():
    """For processes that run no system checks (gunicorn): the same rule, raised at start."""
    errors = check_message_backends()
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.msg} {e.hint}" for e in errors))
