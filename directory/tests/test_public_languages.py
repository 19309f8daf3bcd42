"""The public page follows the chosen language; an organisation's nynorsk or English text falls
back to bokmål (marked lang="nb" for screen readers) when it has not been written."""

import pytest
from django.conf import settings

from directory.models import LocalOffer, PublicInformation


@pytest.fixture
def askoy_texts(orgs):
    askoy = orgs["askoy"]
    PublicInformation.objects.create(
        organisation=askoy, intro_nb="Innledning på bokmål.", intro_nn="Innleiing på nynorsk."
    )
    LocalOffer.objects.create(
        organisation=askoy,
        kind=LocalOffer.Kind.PHYSIOTHERAPY,
        name_nb="Fysioterapi etter kreft",
        name_nn="Fysioterapi etter kreft (nn)",
        name_en="Physiotherapy after cancer",
        description_nb="Trening i grupper.",
    )
    return askoy


def page(client, organisation, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/info/{organisation.public_id}/").content.decode()


@pytest.mark.norwegian
def test_it_is_in_bokmal_by_default(client, askoy_texts):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    html = client.get(f"/info/{askoy_texts.public_id}/").content.decode()
    assert '<html lang="nb"' in html
    assert "Innledning på bokmål." in html and "Fysioterapi etter kreft<" in html
    assert 'action="/i18n/setlang/"' in html


def test_it_shows_nynorsk_texts_when_nynorsk_is_chosen(client, askoy_texts):
    html = page(client, askoy_texts, "nn")
    assert '<html lang="nn"' in html
    assert "Innleiing på nynorsk." in html and "Innledning på bokmål." not in html
    assert "Fysioterapi etter kreft (nn)" in html


def test_it_shows_english_texts_and_falls_back_to_bokmal_where_they_are_missing(client, askoy_texts):
    html = page(client, askoy_texts, "en")
    assert '<html lang="en"' in html
    assert "Physiotherapy after cancer" in html
    # No English introduction or description: the bokmål text, marked as bokmål.
    assert '<div class="hv-public-intro" lang="nb"><p>Innledning på bokmål.</p></div>' in html
    assert '<div lang="nb"><p>Trening i grupper.</p></div>' in html


def test_the_helper_returns_the_active_language_or_bokmal():
    offer = LocalOffer(name_nb="Bokmål", name_nn="", name_en="English")
    assert offer.in_language("name", "en").text == "English"
    assert not offer.in_language("name", "en").fallback
    fallback = offer.in_language("name", "nn")
    assert (fallback.text, fallback.lang, fallback.fallback) == ("Bokmål", "nb", True)
    assert offer.in_language("name", "de").text == "Bokmål"
