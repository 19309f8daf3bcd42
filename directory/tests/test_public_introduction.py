"""Organisation admins write their own introduction; bokmål is needed when another language is given."""

from django.conf import settings

from directory.models import PublicInformation


def test_the_admin_writes_and_changes_the_introduction(client_for, personas, orgs, client):
    admin = client_for(personas["admin"])
    response = admin.post("/directory/public-page/introduction/", {"intro_nb": "Hei fra Askøy.", "intro_en": ""})
    assert response.status_code == 302
    admin.post("/directory/public-page/introduction/", {"intro_nb": "Velkommen.", "intro_en": "Welcome."})
    information = PublicInformation.objects.get()
    assert information.organisation == orgs["askoy"]
    assert (information.intro_nb, information.intro_en) == ("Velkommen.", "Welcome.")
    client.logout()  # which also clears the language cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Welcome." in client.get(f"/info/{orgs['askoy'].public_id}/").content.decode()


def test_an_introduction_in_nynorsk_or_english_needs_bokmal_too(client_for, personas):
    response = client_for(personas["admin"]).post(
        "/directory/public-page/introduction/", {"intro_nb": "", "intro_nn": "Hei.", "intro_en": ""}
    )
    assert response.status_code == 200
    assert "Write the introduction in bokmål too" in response.content.decode()
    assert not PublicInformation.objects.exists()


def test_only_the_organisations_admin_writes_it(client_for, personas):
    assert (
        client_for(personas["nurse"]).post("/directory/public-page/introduction/", {"intro_nb": "x"}).status_code == 403
    )
    assert not PublicInformation.objects.exists()
