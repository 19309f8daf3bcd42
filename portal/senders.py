"""Sending text messages and e-mails to patients. E-mail goes through Django's e-mail backends;
SMS through the backend named by settings.SMS_BACKEND, so the gateway is a plug-in."""

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from lib.logfilter import scrub


def masked_phone(phone):
    """The last two digits only: enough to tell test numbers apart, too little to be personal data."""
    digits = "".join(c for c in str(phone) if c in "0123456789")
    return f"…{digits[-2:]}" if len(digits) > 2 else "…"


def masked_text(text):
    """The message as it may be printed: an invitation link's token becomes `[token]` (as in the
    access log), so a console or log never holds a link that opens the patient's invitation."""
    return scrub(text)


class ConsoleSMSBackend:
    """Development and demo: prints the message like Django's console e-mail backend, with the
    phone number and an invitation link's token masked as in a log. In the demo, send the link by
    e-mail (the console e-mail backend prints it) and read the code here."""

    def send(self, phone, text):
        if not (settings.DEMO_MODE or settings.DEBUG or getattr(settings, "TESTING", False)):
            # The text holds a one-time code: never into a production log (heimveg.checks).
            raise ImproperlyConfigured("The console SMS backend is for the demo only: set HEIMVEG_SMS_BACKEND.")
        sys.stdout.write(f"--- SMS to {masked_phone(phone)} ---\n{masked_text(text)}\n---\n")
        sys.stdout.flush()


class MemorySMSBackend:
    """Tests: keeps the messages in `outbox`, like Django's locmem e-mail backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone, text):
        MemorySMSBackend.outbox.append((phone, text))


def send_sms(phone, text):
    import_string(settings.SMS_BACKEND)().send(phone, text)


def send_email(address, subject, text):
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
