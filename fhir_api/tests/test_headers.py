"""The FHIR API behind an HTTPS proxy and in caches: every answer is sent with
`Cache-Control: no-store`, and with HEIMVEG_PROXY_SSL_HEADER on (SECURE_PROXY_SSL_HEADER) the
proxy's `X-Forwarded-Proto: https` makes every absolute URL the API writes start with https://."""

import pytest

from patients.models import Relative

PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_patient_read_and_a_search_are_never_stored(fhir_as, patient):
    api = fhir_as("hospital")
    read = api.get(f"Patient/{patient.public_id}")
    assert read.status_code == 200
    assert read.headers["Cache-Control"] == "no-store"
    found = api.get("RelatedPerson", {"patient": f"Patient/{patient.public_id}"})
    assert found.status_code == 200
    assert found.headers["Cache-Control"] == "no-store"
    # Refusals and errors too: they can name what was asked for.
    assert fhir_as("outsider").get(f"Patient/{patient.public_id}").headers["Cache-Control"] == "no-store"
    assert api.get("NoSuchType").headers["Cache-Control"] == "no-store"


def test_the_token_endpoint_is_never_stored(client, systems):
    system = systems["hospital"]
    response = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": system.application.client_id, "client_secret": system.secret},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def _links(fhir_as, anonymous, patient, **headers):
    Relative.objects.get_or_create(patient=patient, name="Kari", relation="child", is_child=True)
    metadata = anonymous.get("metadata", **headers).json
    bundle = fhir_as("hospital").get("RelatedPerson", {"patient": f"Patient/{patient.public_id}"}, **headers).json
    token_url = metadata["rest"][0]["security"]["extension"][0]["extension"]
    return [
        metadata["implementation"]["url"],
        *[item["valueUri"] for item in token_url if "valueUri" in item],
        *[link["url"] for link in bundle["link"]],
        *[entry["fullUrl"] for entry in bundle["entry"]],
    ]


@pytest.mark.parametrize("trusted", [True, False])
def test_behind_a_tls_proxy_the_apis_urls_are_https_only_when_the_setting_trusts_it(
    settings, fhir_as, anonymous, patient, trusted
):
    if trusted:
        settings.SECURE_PROXY_SSL_HEADER = PROXY_SSL_HEADER
    else:
        # Without the setting a client could claim HTTPS with the header; it is ignored.
        assert not getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    # The proxy passes the client's Host header on and says the client came by HTTPS.
    urls = _links(fhir_as, anonymous, patient, HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https")
    assert len(urls) >= 4
    scheme = "https://" if trusted else "http://"
    assert all(url.startswith(f"{scheme}testserver/") for url in urls), urls
    # Straight to the application (no proxy, no header): http://, whatever the setting.
    assert all(url.startswith("http://testserver/") for url in _links(fhir_as, anonymous, patient))
