"""A municipality's or hospital's public page: no sign-in, the national text, then what is local."""

import uuid

from directory.models import ContactPoint, LocalOffer, Organisation, PublicInformation


def url(organisation):
    return f"/info/{organisation.public_id}/"


def test_it_shows_a_municipality_page_without_signing_in(client, orgs):
    response = client.get(url(orgs["askoy"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The pathway home in Askøy" in page
    assert "Three conversations" in page
    assert "about 3–4 months after the diagnosis" in page
    assert "about 12–18 months after the diagnosis" in page
    assert "fill it in at home" in page
    assert "children under 18" in page and "lost someone to cancer" in page


def test_it_shows_a_hospital_page_without_signing_in(client, orgs):
    response = client.get(url(orgs["haukeland"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The pathway home at Haukeland universitetssjukehus" in page
    assert "Find your municipality" in page
    assert f'href="/info/{orgs["askoy"].public_id}/"' in page


def test_it_is_not_found_for_a_gp_office_a_health_trust_or_an_unknown_id(client, orgs):
    assert client.get(url(orgs["gp_office"])).status_code == 404
    assert client.get(url(orgs["helse_bergen"])).status_code == 404
    assert client.get(f"/info/{uuid.uuid4()}/").status_code == 404


def test_it_shows_the_introduction_contact_points_and_offers_in_the_admins_order(client, orgs):
    askoy = orgs["askoy"]
    PublicInformation.objects.create(organisation=askoy, intro_nb="Velkommen til Askøy.", intro_en="Welcome to Askøy.")
    ContactPoint.objects.create(
        organisation=askoy, name="Kreftkoordinator", phone="56 15 80 00", email="kreft@example.test"
    )
    LocalOffer.objects.create(
        organisation=askoy,
        kind=LocalOffer.Kind.HEALTHY_LIFE_CENTRE,
        name_nb="Frisklivssentralen",
        name_en="Healthy life centre Askøy",
        description_en="Exercise groups.",
        phone="56 15 81 00",
        web_address="https://example.test/friskliv",
        sort_order=20,
    )
    LocalOffer.objects.create(
        organisation=askoy, kind=LocalOffer.Kind.SUPPORT_GROUP, name_nb="Samtalegruppe", sort_order=10
    )
    page = client.get(url(askoy)).content.decode()
    assert "Welcome to Askøy." in page
    assert "Kreftkoordinator" in page and 'href="tel:56158000"' in page and "mailto:kreft@example.test" in page
    assert "Healthy life centre Askøy" in page and "Exercise groups." in page
    assert 'href="https://example.test/friskliv"' in page
    # In the admin's order, each with its kind: the support group (position 10) before the centre (20).
    assert page.index("Samtalegruppe") < page.index("Healthy life centre Askøy")
    assert "Support group" in page and "Healthy life centre (Frisklivssentral)" in page


def test_a_municipality_links_to_its_health_trusts_hospitals(client, orgs):
    page = client.get(url(orgs["voss"])).content.decode()
    voss_hospital = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Voss sjukehus")
    assert f'href="/info/{voss_hospital.public_id}/"' in page
    assert f'href="/info/{orgs["haukeland"].public_id}/"' in page


def test_it_shows_nothing_about_patients(client, orgs, patient):
    page = client.get(url(orgs["askoy"])).content.decode()
    assert patient.family_name not in page and patient.national_id not in page


def test_anonymous_visitors_get_a_short_public_cache_and_signed_in_users_none(client, client_for, personas, orgs):
    first = client.get(url(orgs["askoy"]))
    assert "csrftoken" in first.cookies and "private" in first["Cache-Control"]  # its own CSRF cookie
    response = client.get(url(orgs["askoy"]))
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    signed_in = client_for(personas["coordinator"]).get(url(orgs["askoy"]))
    # A signed-in user's pages are never stored at all (heimveg.headers.NoStoreMiddleware).
    assert signed_in["Cache-Control"] == "no-store" and "public" not in signed_in["Cache-Control"]
