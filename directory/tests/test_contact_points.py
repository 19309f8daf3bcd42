"""Organisation admins keep their own contact points; nobody else can change them."""

from directory.models import ContactPoint

DATA = {
    "name": "Kreftkoordinator",
    "phone": "55 00 00 00",
    "email": "kreft@example.no",
    "postal_address": "",
    "opening_hours": "Weekdays 08:00–15:30",
    "note_for_patients": "No referral needed.",
}


def test_the_admin_adds_a_contact_point_for_their_organisation(client_for, personas, orgs):
    response = client_for(personas["admin"]).post("/directory/contact-points/new/", DATA)
    assert response.status_code == 302
    point = ContactPoint.objects.get()
    assert point.organisation == orgs["askoy"]
    page = client_for(personas["coordinator"]).get(f"/directory/{orgs['askoy'].public_id}/").content.decode()
    assert "Kreftkoordinator" in page
    assert "No referral needed." in page


def test_the_admin_changes_and_removes_it(client_for, personas, orgs):
    point = ContactPoint.objects.create(organisation=orgs["askoy"], name="Old name", phone="55 00 00 00")
    client = client_for(personas["admin"])
    client.post(f"/directory/contact-points/{point.public_id}/", {**DATA, "name": "New name"})
    point.refresh_from_db()
    assert point.name == "New name"
    client.post(f"/directory/contact-points/{point.public_id}/remove/")
    assert not ContactPoint.objects.exists()


def test_an_admin_cannot_touch_another_organisations_contact_point(client_for, personas, orgs):
    point = ContactPoint.objects.create(organisation=orgs["voss"], name="Voss", phone="56 00 00 00")
    client = client_for(personas["admin"])
    assert client.post(f"/directory/contact-points/{point.public_id}/", DATA).status_code == 404
    assert client.post(f"/directory/contact-points/{point.public_id}/remove/").status_code == 404
    assert ContactPoint.objects.get().name == "Voss"


def test_a_clinician_cannot_edit_contact_points(client_for, personas):
    assert client_for(personas["coordinator"]).post("/directory/contact-points/new/", DATA).status_code == 403
    assert not ContactPoint.objects.exists()


def test_a_contact_point_needs_a_way_to_reach_it(client_for, personas):
    data = {**DATA, "phone": "", "email": ""}
    response = client_for(personas["admin"]).post("/directory/contact-points/new/", data)
    assert "Give at least one way to reach the contact point" in response.content.decode()


def test_a_bad_phone_number_is_explained(client_for, personas):
    response = client_for(personas["admin"]).post("/directory/contact-points/new/", {**DATA, "phone": "abc"})
    assert "Enter a phone number" in response.content.decode()


def test_the_directory_search_finds_by_name_and_number(client_for, personas):
    client = client_for(personas["coordinator"])
    assert "Askøy" in client.get("/directory/", {"q": "4627"}).content.decode()
    page = client.get("/directory/", {"q": "Voss", "kind": "hospital"}).content.decode()
    assert "Voss sjukehus" in page
    assert ">Voss</a>" not in page
