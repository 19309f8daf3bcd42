"""The patient list tells patients of the same name apart by their birth date, and names their
municipality with its county."""

import datetime

from conftest import synthetic_id
from patients.models import Patient


def test_the_patient_list_shows_birth_dates_and_the_municipality_with_its_county(client_for, personas, orgs):
    for birth, start in ((datetime.date(1948, 2, 3), 300), (datetime.date(1971, 11, 30), 400)):
        Patient.objects.create(
            national_id=synthetic_id(birth, start=start),
            national_id_kind="fnr",
            date_of_birth=birth,
            given_name="Marit",
            family_name="Rasmussen",
            municipality=orgs["askoy"],
            registered_by=orgs["askoy"],
        )
    page = client_for(personas["coordinator"]).get("/patients/").content.decode()
    assert page.count("Rasmussen, Marit</a>") == 2
    assert "<td>03.02.1948</td>" in page and "<td>30.11.1971</td>" in page
    assert "<td>Askøy (Vestland)</td>" in page
