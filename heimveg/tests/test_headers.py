"""HTTP hardening headers (issue #16): the Content-Security-Policy and Permissions-Policy on every
page, `Cache-Control: no-store` on every answer that may hold patient data while static files and
anonymous public pages stay cacheable, and HSTS, secure cookies and https:// behind a proxy."""

import pytest
from django.test import Client

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "display-capture")


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_every_page_carries_the_strict_content_security_policy_and_permissions_policy(client_for, personas, patient):
    anonymous = Client()
    staff = client_for(personas["coordinator"])
    for client, path in [
        (anonymous, "/accounts/sign-in/"),
        (anonymous, "/info/"),
        (anonymous, "/no-such-page/"),
        (staff, f"/patients/{patient.public_id}/"),
        (staff, "/reports/"),
    ]:
        response = client.get(path)
        assert _directives(response["Content-Security-Policy"]) == _directives(CSP), path
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
        for feature in FEATURES_OFF:
            assert features[feature] == "()", (path, feature)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_patient_page_is_never_stored(client_for, personas, patient):
    response = client_for(personas["coordinator"]).get(f"/patients/{patient.public_id}/")
    assert response.status_code == 200
    assert patient.family_name in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_every_answer_to_a_signed_in_user_is_never_stored_error_pages_included(client_for, personas, patient):
    client = client_for(personas["coordinator"])
    for path in ["/", "/patients/", "/pathway/worklist/", "/directory/", "/no-such-page/", "/reports/"]:
        response = client.get(path)
        assert response["Cache-Control"] == "no-store", (path, response.status_code)
    outsider = Client()
    outsider.force_login(personas["outsider"])
    refused = outsider.get(f"/patients/{patient.public_id}/")
    assert refused.status_code in (403, 404)
    assert refused["Cache-Control"] == "no-store"


def test_the_sign_in_steps_are_never_stored_even_before_anyone_signed_in(client, db):
    # (db: the sign-in page lists the organisations' own identity providers, accounts.oidc.)
    # The second-factor step shows the authenticator key: the session exists before sign-in ends.
    assert client.get("/accounts/sign-in/")["Cache-Control"] == "no-store"


def test_an_anonymous_public_page_stays_cacheable(db):
    response = Client().get("/info/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_stay_cacheable(settings, client, personas, signed_in):
    settings.WHITENOISE_USE_FINDERS = True  # whitenoise serves from the apps' static folders
    settings.WHITENOISE_MAX_AGE = 3600
    if signed_in:
        client.force_login(personas["coordinator"])
    response = client.get("/static/heimveg/heimveg.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert "Pragma" not in response
