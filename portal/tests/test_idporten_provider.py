"""A patient signs in to the portal through a real OpenID provider configured like ID-porten
(node-oidc-provider, testsupport/oidc.py): accounts.oidc's protocol, then the portal's handler."""

import pytest
from django.core import mail

from accounts.tests.invitation_helpers import Client
from patients.models import Relative
from portal import services
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from
from testsupport.oidc import signed_in_at_provider

pytest_plugins = ["testsupport.oidc"]
pytestmark = [pytest.mark.running_clock, pytest.mark.django_db]

CITIZEN_PID = "24845010028"  # the test provider's account "citizen"


def test_a_patient_signs_in_with_idporten_and_sees_their_pages(idporten, patient):
    patient.national_id = CITIZEN_PID
    patient.save(update_fields=["national_id"])
    client = Client()
    response = client.get(signed_in_at_provider(client, "idporten", "citizen"))
    assert response.status_code == 302 and response["Location"] == "/p/me/"
    assert client.get("/p/me/").status_code == 200


def test_the_high_level_is_let_in_and_a_required_high_level_refuses_substantial(idporten, patient, settings):
    patient.national_id = CITIZEN_PID
    patient.save(update_fields=["national_id"])
    client = Client()
    assert client.get(signed_in_at_provider(client, "idporten", "citizen-high"))["Location"] == "/p/me/"

    settings.HEIMVEG_IDPORTEN_ACR = "idporten-loa-high"
    client = Client()
    response = client.get(signed_in_at_provider(client, "idporten", "citizen"))
    assert response.status_code == 403 and 'data-reason="level"' in response.content.decode()
    assert client.get("/p/me/").status_code != 200


def test_a_level_below_substantial_never_reaches_the_portal(idporten, patient):
    client = Client()
    response = client.get(signed_in_at_provider(client, "idporten", "citizen-low"))
    assert response.status_code == 403 and 'data-reason="level"' in response.content.decode()
    assert client.get("/p/me/").status_code != 200


def test_a_relative_signs_in_with_idporten_and_sees_only_their_own_invitation(
    idporten, point, invite, patient, actor_of, personas
):
    """The relative (the provider's `citizen`; the patient has another number) binds their number
    once, from the session their link and code opened, and from then on ID-porten alone shows
    them their own invitation and nothing of the patient's."""
    relative = Relative.objects.create(
        patient=patient, name="Kari Pårørende", relation="spouse", phone="+4798765432", email="kari@example.test"
    )
    own = services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms", relative=relative)
    own_token = token_from(MemorySMSBackend.outbox[-1][1])
    patients_invitation, _token = invite(point)

    client = Client()
    client.get(f"/p/{own_token}/")
    client.post("/p/invitation/")
    assert client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})["Location"] == "/p/start/"
    response = client.get(signed_in_at_provider(client, "idporten", "citizen"))
    assert response["Location"] == "/p/me/"
    relative.refresh_from_db()
    assert relative.national_id_hash

    client = Client()  # later, another browser: ID-porten alone
    response = client.get(signed_in_at_provider(client, "idporten", "citizen"))
    assert response["Location"] == "/p/me/"
    page = client.get("/p/me/").content.decode()
    assert f"/p/me/answer/{own.public_id}/" in page
    assert str(patients_invitation.public_id) not in page
    assert client.post(f"/p/me/answer/{patients_invitation.public_id}/").status_code == 404
    assert client.get("/p/me/who-looked/").status_code == 403


def test_signing_out_of_the_portal_signs_out_of_idporten_too(idporten, patient):
    """The portal's sign-out after ID-porten ends the whole session (the ID token with it) and
    moves on to ID-porten's sign-out with the ID token as hint; ID-porten's return leads to the
    portal's signed-out page, with "Log in with ID-porten"."""
    import html
    import re
    from urllib.parse import parse_qs, urlsplit

    patient.national_id = CITIZEN_PID
    patient.save(update_fields=["national_id"])
    client = Client()
    client.get(signed_in_at_provider(client, "idporten", "citizen"))
    id_token = client.session["heimveg_oidc_sign_in"]["id_token"]

    response = client.post("/p/sign-out/")
    body = response.content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', body)
    assert response.status_code == 200 and refresh, body[:2000]
    assert f'href="{refresh.group(1)}"' in body  # the link, for a browser that does not refresh
    location = urlsplit(html.unescape(refresh.group(1)))
    query = parse_qs(location.query)
    assert location.path == "/session/end" and query["id_token_hint"] == [id_token]
    assert query["state"][0].startswith("citizen.")
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:8000/accounts/oidc/signed-out/"]
    assert not dict(client.session.items())
    assert client.get("/p/me/").status_code == 403

    back = client.get(f"/accounts/oidc/signed-out/?state={query['state'][0]}")
    assert back.status_code == 302 and back["Location"] == "/p/signed-out/"
    page = client.get("/p/signed-out/").content.decode()
    assert "/accounts/oidc/idporten/start/" in page


def test_signing_out_of_a_link_and_code_session_stays_in_the_portal(idporten, point, invite):
    _invitation, token = invite(point)
    client = Client()
    client.get(f"/p/{token}/")
    client.post("/p/invitation/")
    client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})
    response = client.post("/p/sign-out/")
    assert response.status_code == 200 and "refresh" not in response.content.decode()
    assert client.get("/p/start/").status_code != 200
