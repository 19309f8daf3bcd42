"""The patient's pages are never stored by a browser or a proxy: a shared or borrowed device must
not show them again from its cache once the patient has signed out."""

import pytest
from django.test import Client

from portal.tests.test_portal_pages import sign_in

pytestmark = pytest.mark.norwegian


def test_the_patients_pages_are_never_stored(point, invite):
    _invitation, token = invite(point)
    client = Client()
    # The link and the code page already: they belong to a session that is about to hold patient data.
    assert client.get(f"/p/{token}/")["Cache-Control"] == "no-store"
    sign_in(client, token)
    start = client.get("/p/start/")
    assert start.status_code == 200
    assert start["Cache-Control"] == "no-store"
    page = client.get("/p/page/1/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in page
