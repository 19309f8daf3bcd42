"""Language, health check, and the promise that personal data stays out of logs."""

import logging

import pytest

from conftest import synthetic_id


@pytest.mark.norwegian
def test_pages_are_in_bokmal_by_default_even_for_an_english_browser(client_for, personas):
    response = client_for(personas["coordinator"]).get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb"' in response.content.decode()
    assert ">Pasienter</a>" in response.content.decode()


@pytest.mark.norwegian
def test_the_user_switches_to_nynorsk_and_english(client_for, personas):
    client = client_for(personas["coordinator"])
    client.post("/i18n/setlang/", {"language": "nn", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="nn"' in page
    assert ">Pasientar</a>" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert ">Patients</a>" in page


def test_the_health_check_answers(client, db):
    assert client.get("/readyz").json()["status"] == "ok"  # /healthz also wants a worker: test_health.py


def test_no_personal_data_reaches_the_application_log(client_for, personas, orgs, patient, caplog):
    number = synthetic_id(start=300)
    caplog.set_level(logging.DEBUG)
    client = client_for(personas["coordinator"])
    client.post(
        "/patients/new/",
        {
            "national_id": number,
            "given_name": "Loggfri",
            "family_name": "Personsen",
            "municipality": orgs["askoy"].pk,
            "preferred_language": "nb",
        },
    )
    client.post("/patients/", {"q": patient.national_id})
    client_for(personas["outsider"]).get(f"/patients/{patient.public_id}/")  # a logged 403
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (number, "Loggfri", "Personsen", patient.national_id, patient.family_name):
        assert secret not in logged


def test_livez_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
