"""Roles belong in matching organisations; a user with several memberships switches between them."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership, Role


def test_a_gp_role_cannot_be_held_in_a_municipality(personas, orgs):
    membership = Membership(user=personas["coordinator"], organisation=orgs["askoy"], role=Role.GP)
    with pytest.raises(ValidationError, match="does not fit this kind of organisation"):
        membership.full_clean()


def test_the_page_shows_who_you_act_for_and_you_can_switch(client_for, personas, orgs, patient):
    user = personas["outsider"]  # Voss coordinator, also gets Askøy
    askoy = Membership.objects.create(user=user, organisation=orgs["askoy"], role=Role.MUNICIPAL_COORDINATOR)
    voss = Membership.objects.get(user=user, organisation=orgs["voss"])
    client = client_for(user)
    client.post("/accounts/act-for/", {"membership": str(voss.public_id)})
    assert client.get(f"/patients/{patient.public_id}/").status_code == 403

    response = client.post("/accounts/act-for/", {"membership": str(askoy.public_id)}, follow=True)
    page = response.content.decode()
    assert f'<option value="{askoy.public_id}" selected>' in page
    assert client.get(f"/patients/{patient.public_id}/").status_code == 200


def test_you_cannot_switch_to_someone_elses_membership(client_for, personas):
    other = Membership.objects.get(user=personas["coordinator"])
    client = client_for(personas["outsider"])
    page = client.post("/accounts/act-for/", {"membership": str(other.public_id)}, follow=True).content.decode()
    assert "You do not hold that role" in page
    assert client.get("/patients/").status_code == 200
    assert "Test Pasient" not in client.get("/patients/").content.decode()


def test_a_user_without_membership_is_told_what_to_do(client_for, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password="x-very-long-password")
    page = client_for(user).get("/patients/").content.decode()
    assert "no role in any organisation" in page
