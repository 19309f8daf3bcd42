"""The patient's municipality is typed and chosen from all of them, each with its county; a name
two municipalities share is refused until the county is chosen."""

from directory.models import Organisation
from patients.models import Patient
from patients.tests.test_patient_views import form_data


def test_the_form_lists_every_municipality_with_its_county(client_for, personas):
    page = client_for(personas["nurse"]).get("/patients/new/").content.decode()
    assert '<option value="Herøy (Møre og Romsdal) – 1515">' in page
    assert '<option value="Herøy (Nordland) – 1818">' in page
    assert 'name="municipality"' in page and 'list="id_municipality-options"' in page
    assert '<select name="municipality"' not in page


def test_a_bare_shared_name_is_refused_and_kept(client_for, personas, orgs):
    response = client_for(personas["nurse"]).post("/patients/new/", form_data(orgs, municipality="Herøy"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 municipalities are called “Herøy”. Choose the one in the right county" in page
    assert 'id="id_municipality_error"' in page and 'value="Herøy"' in page
    assert not Patient.objects.filter(family_name="Nordmann").exists()


def test_the_label_chosen_registers_that_municipality(client_for, personas, orgs):
    response = client_for(personas["nurse"]).post(
        "/patients/new/", form_data(orgs, municipality="Herøy (Nordland) – 1818")
    )
    assert response.status_code == 302
    patient = Patient.objects.get(family_name="Nordmann")
    assert patient.municipality == Organisation.objects.get(municipality_number="1818")


def test_the_change_form_shows_the_current_municipality_by_its_label(client_for, personas, patient):
    page = client_for(personas["nurse"]).get(f"/patients/{patient.public_id}/edit/").content.decode()
    assert 'value="Askøy (Vestland) – 4627"' in page
