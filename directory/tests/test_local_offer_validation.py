"""Invalid offers are explained next to the field and in the summary, and nothing is saved."""

from directory.models import LocalOffer

from .test_local_offers import DATA


def post(client, data):
    return client.post("/directory/public-page/offers/new/", data)


def test_a_bad_phone_number_is_explained_and_nothing_saved(client_for, personas):
    response = post(client_for(personas["admin"]), {**DATA, "phone": "abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a phone number" in page
    assert 'id="id_phone_error"' in page and 'aria-invalid="true"' in page
    assert 'href="#id_phone"' in page  # the error summary links to the field
    assert not LocalOffer.objects.exists()


def test_a_missing_bokmal_name_is_explained_and_nothing_saved(client_for, personas):
    response = post(client_for(personas["admin"]), {**DATA, "name_nb": ""})
    page = response.content.decode()
    assert "Give the offer a name in bokmål" in page and 'id="id_name_nb_error"' in page
    assert not LocalOffer.objects.exists()


def test_a_missing_kind_and_a_bad_web_address_are_explained(client_for, personas):
    response = post(client_for(personas["admin"]), {**DATA, "kind": "", "web_address": "not a web address"})
    page = response.content.decode()
    assert "Choose what kind of offer this is." in page and 'id="id_web_address_error"' in page
    assert not LocalOffer.objects.exists()
