"""Organisation admins keep their own local offers on their public page; nobody else can."""

from django.conf import settings

from directory.models import LocalOffer

DATA = {
    "kind": "healthy_life_centre",
    "name_nb": "Frisklivssentralen",
    "description_nb": "Hjelp til å komme i gang med trening.",
    "name_nn": "",
    "description_nn": "",
    "name_en": "Healthy life centre",
    "description_en": "",
    "phone": "56 15 81 00",
    "email": "friskliv@example.test",
    "web_address": "example.test/friskliv",
}


def test_the_admin_adds_an_offer_and_it_shows_on_the_public_page(client_for, personas, orgs, client):
    response = client_for(personas["admin"]).post("/directory/public-page/offers/new/", DATA)
    assert response.status_code == 302
    offer = LocalOffer.objects.get()
    assert offer.organisation == orgs["askoy"]
    assert offer.web_address == "https://example.test/friskliv"
    client.logout()  # which also clears the language cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/info/{orgs['askoy'].public_id}/").content.decode()
    assert "Healthy life centre</h4>" in page and "56 15 81 00" in page


def test_the_admin_changes_and_removes_an_offer(client_for, personas, orgs):
    offer = LocalOffer.objects.create(organisation=orgs["askoy"], kind="other", name_nb="Gammelt navn")
    client = client_for(personas["admin"])
    assert "Gammelt navn" in client.get("/directory/public-page/").content.decode()
    client.post(f"/directory/public-page/offers/{offer.public_id}/", {**DATA, "name_nb": "Nytt navn"})
    offer.refresh_from_db()
    assert offer.name_nb == "Nytt navn" and offer.kind == "healthy_life_centre"
    client.post(f"/directory/public-page/offers/{offer.public_id}/remove/")
    assert not LocalOffer.objects.exists()


def test_the_admin_orders_the_offers(client_for, personas, orgs):
    client = client_for(personas["admin"])
    for name in ("First", "Second", "Third"):
        client.post("/directory/public-page/offers/new/", {**DATA, "name_nb": name})

    def names():
        return list(LocalOffer.objects.order_by("sort_order").values_list("name_nb", flat=True))

    assert names() == ["First", "Second", "Third"]
    third = LocalOffer.objects.get(name_nb="Third")
    client.post(f"/directory/public-page/offers/{third.public_id}/move/", {"direction": "up"})
    assert names() == ["First", "Third", "Second"]
    first = LocalOffer.objects.get(name_nb="First")
    client.post(f"/directory/public-page/offers/{first.public_id}/move/", {"direction": "down"})
    assert names() == ["Third", "First", "Second"]
    client.post(f"/directory/public-page/offers/{third.public_id}/move/", {"direction": "up"})
    assert names() == ["Third", "First", "Second"]


def test_an_admin_cannot_touch_another_organisations_offer(client_for, personas, orgs):
    offer = LocalOffer.objects.create(organisation=orgs["voss"], kind="other", name_nb="Voss")
    client = client_for(personas["admin"])
    assert client.get(f"/directory/public-page/offers/{offer.public_id}/").status_code == 404
    assert client.post(f"/directory/public-page/offers/{offer.public_id}/", DATA).status_code == 404
    assert client.post(f"/directory/public-page/offers/{offer.public_id}/remove/").status_code == 404
    assert client.post(f"/directory/public-page/offers/{offer.public_id}/move/", {"direction": "up"}).status_code == 404
    assert LocalOffer.objects.get().name_nb == "Voss"


def test_a_clinician_cannot_edit_offers(client_for, personas):
    client = client_for(personas["coordinator"])
    assert client.get("/directory/public-page/").status_code == 403
    assert client.post("/directory/public-page/offers/new/", DATA).status_code == 403
    assert not LocalOffer.objects.exists()


def test_signing_in_is_needed_to_edit(client):
    response = client.get("/directory/public-page/offers/new/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_organisation_page_links_the_admin_to_the_editing(client_for, personas, orgs):
    page = client_for(personas["admin"]).get(f"/directory/{orgs['askoy'].public_id}/").content.decode()
    assert 'href="/directory/public-page/"' in page and f'href="/info/{orgs["askoy"].public_id}/"' in page
    other = client_for(personas["admin"]).get(f"/directory/{orgs['voss'].public_id}/").content.decode()
    assert 'href="/directory/public-page/"' not in other
