"""A patient signs in to the portal through a real OpenID provider configured like ID-porten
(node-oidc-provider, testsupport/oidc.py): accounts.oidc's protocol, then the portal's handler."""

import pytest

from accounts.tests.invitation_helpers import Client
from testsupport.oidc import signed_in_at_provider

pytest_plugins = ["testsupport.oidc"]
pytestmark = [pytest.mark.running_clock, pytest.mark.django_db]

CITIZEN_PID = "24045000160"  # the test provider's account "citizen"


def test_a_patient_signs_in_with_idporten_and_sees_their_pages(idporten, patient):
    patient.national_id = CITIZEN_PID
    patient.save(update_fields=["national_id"])
    client = Client()
    response = client.get(signed_in_at_provider(client, "idporten", "citizen"))
    assert response.status_code == 302 and response["Location"] == "/p/me/"
    assert client.get("/p/me/").status_code == 200


def test_a_level_below_substantial_never_reaches_the_portal(idporten, patient):
    client = Client()
    response = client.get(signed_in_at_provider(client, "idporten", "citizen-low"))
    assert response.status_code == 403 and 'data-reason="level"' in response.content.decode()
    assert client.get("/p/me/").status_code != 200
