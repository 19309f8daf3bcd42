"""Helpers for the invitation tests: send an invitation and pick its link out of the e-mail, and
the code an authenticator app would show for the key a redeeming session was given."""

import re

from django.conf import settings
from django.core import mail
from django.test import Client as DjangoClient
from django_otp.oath import totp

from accounts import invitations

STRONG = "Fjellrev-i-lyngen-2026"


def Client():  # noqa: N802 - reads like the test client it is
    """A fresh browser that reads English (the tests assert the msgids)."""
    client = DjangoClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code_for(key_hex):
    return f"{totp(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0):06d}"


def link_path(message):
    url = re.search(r"https?://\S+/accounts/invitation/[^/\s]+/", message.body).group(0)
    return url[url.index("/accounts/") :]


def invite(actor, email="ny.sykepleier@example.no", role="municipal_coordinator", **kwargs):
    mail.outbox.clear()
    kwargs.setdefault("name", "Nora Ny")
    invitation, token = invitations.invite(actor, email=email, role=role, **kwargs)
    return invitation, link_path(mail.outbox[-1])


def open_link(client, path):
    """Open the link in `client`; returns the session's key (the one the QR code shows)."""
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/accounts/invitation/", response
    return client.session[invitations.SESSION_KEY]["key"]
