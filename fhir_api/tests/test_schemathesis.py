"""Schemathesis against the OpenAPI document of the FHIR endpoints, in-process (WSGI): generated
requests for every operation, authenticated as a hospital system with a patient in the pathway;
no answer may be a server error. Bounded (a few examples per operation) to keep the suite fast;
HEIMVEG_SCHEMATHESIS_EXAMPLES=50 digs deeper."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from fhir_api import openapi
from fhir_api.tests.conftest import token_for

schema = schemathesis.openapi.from_dict(openapi.document("http://localhost/fhir"))
schema.app = get_wsgi_application()


@pytest.fixture
def hospital_token(systems, enrolment):
    """A token, with Django's end-of-request connection closing switched off as the test client does:
    the WSGI handler would otherwise close the test's database connection after each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield token_for(systems["hospital"])
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("HEIMVEG_SCHEMATHESIS_EXAMPLES", "4")),
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gives_a_server_error(case, hospital_token):
    response = case.call(headers={"Authorization": f"Bearer {hospital_token}"})
    case.validate_response(response, checks=[not_a_server_error])
