"""The municipality type-ahead (directory.widgets): every municipality listed with its county and
number, a label typed or chosen maps back to its organisation, and a bare name that two
municipalities share is refused with a message asking for the county."""

import pytest
from django import forms

from directory.models import Organisation
from directory.widgets import MunicipalityField

pytestmark = pytest.mark.django_db


class Form(forms.Form):
    municipality = MunicipalityField()


def heroy(county_number):
    return Organisation.objects.get(kind="municipality", name="Herøy", county__number=county_number)


def test_the_two_heroy_are_listed_with_their_county_and_number():
    html = str(Form()["municipality"])
    assert '<option value="Herøy (Møre og Romsdal) – 1515">' in html
    assert '<option value="Herøy (Nordland) – 1818">' in html
    assert '<option value="Våler (Østfold) – 3114">' in html
    assert '<option value="Våler (Innlandet) – 3419">' in html
    assert html.count("<option ") == Organisation.objects.filter(kind="municipality").count() == 357
    assert 'list="id_municipality-options"' in html and '<datalist id="id_municipality-options">' in html
    assert "<select" not in html


@pytest.mark.parametrize(
    "typed",
    ["Herøy (Nordland) – 1818", "herøy (nordland) - 1818", "1818", "Herøy (Nordland)", "  Herøy  1818 "],
)
def test_a_label_maps_back_to_its_municipality(typed):
    form = Form({"municipality": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == heroy("18")


def test_a_unique_bare_name_is_enough():
    form = Form({"municipality": "askøy"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"].municipality_number == "4627"


def test_a_bare_name_two_municipalities_share_is_refused_with_their_counties():
    form = Form({"municipality": "Herøy"})
    assert not form.is_valid()
    message = form.errors["municipality"][0]
    assert "2 municipalities are called “Herøy”. Choose the one in the right county" in message
    assert "Herøy (Møre og Romsdal) – 1515 or Herøy (Nordland) – 1818" in message


def test_an_unknown_name_is_refused_with_what_to_do():
    form = Form({"municipality": "Atlantis"})
    assert not form.is_valid()
    assert "Nothing in the list is called “Atlantis”" in form.errors["municipality"][0]


def test_the_primary_key_still_works_and_a_bound_form_shows_the_label():
    municipality = heroy("15")
    form = Form({"municipality": str(municipality.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == municipality
    assert 'value="Herøy (Møre og Romsdal) – 1515"' in str(
        Form(initial={"municipality": municipality.pk})["municipality"]
    )
    assert 'value="Herøy"' in str(Form({"municipality": "Herøy"})["municipality"])  # what was typed is kept


def test_the_label_names_the_county_only_for_municipalities(orgs):
    assert heroy("18").label == "Herøy (Nordland)"
    assert orgs["haukeland"].label == "Haukeland universitetssjukehus"
