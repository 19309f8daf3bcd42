"""The invitation and the patient's pathway page link to the public page of the patient's municipality."""

import pytest
from django.conf import settings
from django.test import Client

from portal.senders import MemorySMSBackend
from portal.tests.test_portal_pages import sign_in

pytestmark = pytest.mark.norwegian


def test_the_invitation_links_to_the_municipalitys_page(point, invite, orgs):
    invite(point)
    text = MemorySMSBackend.outbox[-1][1]
    assert f"{settings.BASE_URL.rstrip('/')}/info/{orgs['askoy'].public_id}/" in text
    assert "Askøy" in text


def test_the_patients_pathway_page_links_to_the_municipalitys_page(point, invite, orgs):
    _invitation, token = invite(point)
    client = Client()
    sign_in(client, token)
    page = client.get("/p/pathway/").content.decode()
    assert f'href="/info/{orgs["askoy"].public_id}/"' in page
