"""The directory's admin pages are guarded by the decorator the accounts app registers
(directory.guards): organisation admins only, and nobody at all if none is registered."""

from directory import guards
from directory.models import ContactPoint

DATA = {"name": "Kreftkoordinator", "phone": "55 00 00 00", "email": "", "postal_address": "", "opening_hours": ""}


def test_the_registered_guard_lets_the_admin_in_and_keeps_a_coordinator_out(client_for, personas):
    assert client_for(personas["admin"]).get("/directory/contact-points/new/").status_code == 200
    assert client_for(personas["coordinator"]).get("/directory/contact-points/new/").status_code == 403
    assert client_for(personas["coordinator"]).post("/directory/contact-points/new/", DATA).status_code == 403
    assert not ContactPoint.objects.exists()


def test_the_guard_anonymous_users_meet_is_the_sign_in_page(client):
    response = client.get("/directory/public-page/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_without_a_registered_guard_the_admin_pages_refuse_everyone(client_for, personas, monkeypatch):
    monkeypatch.setattr(guards, "_organisation_admin", None)
    client = client_for(personas["admin"])
    assert client.get("/directory/contact-points/new/").status_code == 403
    assert client.post("/directory/contact-points/new/", DATA).status_code == 403
    assert not ContactPoint.objects.exists()
