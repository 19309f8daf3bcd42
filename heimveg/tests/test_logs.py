"""No personal data in logs: the filter on every handler (lib/logfilter.py), and the main flows
run with logging configured from settings, checked line by line as the handlers write them."""

import datetime
import io
import logging
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.log import configure_logging

from assessment import services as assessment
from assessment.tests import factories
from conftest import synthetic_id
from fhir_api.mapping.common import FNR
from fhir_api.tests.conftest import fhir_as, systems  # noqa: F401 (the FHIR API's fixtures)
from fhir_api.tests.test_enrolment import contained_patient, episode
from handover.outbox import deliver_due
from lib.logfilter import PersonalDataFilter
from pathway.models import Enrolment
from pathway.services import HandoverChoice
from pathway.tests.test_pages import enrol_via_page
from patients.forms import PatientForm
from patients.models import Patient

NUMBER = "17056112345"


def record(msg, *args, exc_info=None, name="test"):
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)


def filtered(rec):
    assert PersonalDataFilter().filter(rec) is True
    return logging.Formatter("%(message)s").format(rec)


# The filter, alone.


@pytest.mark.parametrize(
    "written",
    [NUMBER, "170561 12345", "170561-12345", "170561.12345", "17.05.61 12345", "170561\u00a012345", "١٧٠٥٦١١٢٣٤٥"],
)
def test_it_scrubs_a_national_id_however_it_is_written(written):
    out = filtered(record(f"patient {written} not found"))
    assert out == "patient [national-id] not found"


def test_it_scrubs_the_arguments_of_the_message():
    rec = record("lookup of %s by %s (%d)", NUMBER, "nurse", 17056112345)
    assert filtered(rec) == "lookup of [national-id] by nurse ([national-id])"
    assert rec.args is None


def test_it_scrubs_an_argument_whose_text_holds_a_number():
    class Holder:
        def __str__(self):
            return f"<Patient {NUMBER[:6]} {NUMBER[6:]}>"

    assert filtered(record("saved %s", Holder())) == "saved <Patient [national-id]>"


@pytest.mark.parametrize(
    "kept",
    ["1234567890", "123456789012", "2026-12-06 11:00:00", "123456 123456", "12345 123456", "v1.2.3", "10.0.0.1"],
)
def test_it_keeps_numbers_that_are_not_national_ids(kept):
    rec = record("value %s", kept)
    assert filtered(rec) == f"value {kept}"
    assert rec.args == (kept,)  # nothing to scrub: the record is left as it was


def test_it_drops_the_database_detail_line_and_scrubs_the_exception_text():
    try:
        raise IntegrityError(
            'duplicate key value violates unique constraint "patients_patient_national_id_key"\n'
            f"DETAIL:  Key (national_id)=({NUMBER}) already exists."
        )
    except IntegrityError:
        rec = record("FHIR request failed: %s", "POST /fhir/EpisodeOfCare", exc_info=sys.exc_info())
    out = filtered(rec)
    assert "DETAIL" not in out and NUMBER not in out
    assert "duplicate key value violates unique constraint" in out
    assert "raise IntegrityError(" in out  # the traceback itself is kept
    assert rec.exc_info is None and "DETAIL" not in rec.exc_text


def test_it_scrubs_an_exception_text_already_formatted_and_the_stack():
    rec = record("failed")
    rec.exc_text = f"Traceback …\nValueError: bad number {NUMBER}\nDETAIL:  Key (national_id)=({NUMBER})"
    rec.stack_info = f"Stack (most recent call last):\n  lookup({NUMBER})"
    out = filtered(rec)
    assert NUMBER not in out and "DETAIL" not in out
    assert "bad number [national-id]" in out and "lookup([national-id])" in out


def test_it_drops_a_detail_line_in_the_message_itself():
    assert filtered(record("error: %s", f"boom\nDETAIL:  Key (national_id)=({NUMBER}) already exists.\nmore")) == (
        "error: boom\nmore"
    )


def test_it_masks_an_invitation_token_in_a_request_line():
    line = filtered(record('"%s" %s %s', "GET /p/Zm9vYmFyLXRva2VuLTEyMw/code/?x=1 HTTP/1.1", "200", "512"))
    assert line == '"GET /p/[token]/code/?x=1 HTTP/1.1" 200 512'
    assert filtered(record('"GET /p/page/2/ HTTP/1.1" 200 5')) == '"GET /p/page/2/ HTTP/1.1" 200 5'


def test_a_second_handler_gets_the_same_scrubbed_record():
    rec = record("%s", NUMBER)
    filtered(rec)
    assert filtered(rec) == "[national-id]"


# Every handler carries it.


def _configured_handlers():
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    loggers = [logging.getLogger()] + [
        logging.getLogger(name)
        for name, item in logging.root.manager.loggerDict.items()
        if isinstance(item, logging.Logger)
    ]
    return {(logger.name, handler) for logger in loggers for handler in logger.handlers}


def test_every_handler_of_every_logger_has_the_filter():
    handlers = _configured_handlers()
    named = {name for name, _handler in handlers}
    assert {"root", "django.server"} <= named
    # django's defaults (console for DEBUG, mail_admins) are gone from the django logger.
    assert not logging.getLogger("django").handlers
    assert logging.getLogger("django.request").propagate and logging.getLogger("django").propagate
    # Every handler that writes anywhere (a NullHandler writes nothing; pytest's own are the test's).
    writing = {
        (name, handler)
        for name, handler in handlers
        if not isinstance(handler, logging.NullHandler) and not type(handler).__module__.startswith("_pytest")
    }
    assert writing
    for name, handler in writing:
        assert any(isinstance(f, PersonalDataFilter) for f in handler.filters), (name, handler)
        assert type(handler).__name__ != "AdminEmailHandler"


# The main flows, as the configured handlers write them.


class Capture(logging.Handler):
    """A handler on the root logger with the configured filter and formatter."""

    def __init__(self, filters, formatter):
        super().__init__(logging.DEBUG)
        for f in filters:
            self.addFilter(f)
        self.setFormatter(formatter)
        self.lines = []

    def emit(self, rec):
        self.lines.append(self.format(rec))


@pytest.fixture
def configured_logs():
    """Logging configured from settings, every configured handler writing to a buffer, and a
    capturing handler on the root with the configured filter; all at DEBUG. Restored after."""
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    root = logging.getLogger()
    console = next(h for h in root.handlers if h.name == "console")
    server = next(h for h in logging.getLogger("django.server").handlers if h.name == "django.server")
    buffer = io.StringIO()
    console.setStream(buffer)
    server.setStream(buffer)
    capture = Capture(console.filters, console.formatter)
    root.addHandler(capture)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: buffer.getvalue() + "\n" + "\n".join(capture.lines)
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def _no_duplicate_check(form):
    """PatientForm.clean_national_id without its look-up: the insert meets the unique constraint,
    as the loser of a registration race does."""
    parsed = form.cleaned_data["national_id"]
    form.national_id_info = parsed
    return parsed.number


def test_the_main_flows_log_no_national_id_and_no_name(
    configured_logs,
    client_for,
    personas,
    orgs,
    patient,
    actor_of,
    fhir_as,  # noqa: F811
    client,
):
    registered = synthetic_id(datetime.date(1970, 3, 14), start=300)
    by_api = synthetic_id(datetime.date(1955, 8, 9), start=300)
    secrets = [patient.national_id, patient.full_name, patient.family_name, registered, "Loggfri", "Personsen"]
    secrets += [by_api, "Apioline", "Fhirsen", "Tvilling"]
    nurse = client_for(personas["nurse"])

    # Register a patient (web), search for them, and look up an unknown path that holds a number.
    nurse.post(
        "/patients/new/",
        {
            "national_id": f"{registered[:6]} {registered[6:]}",
            "given_name": "Loggfri",
            "family_name": "Personsen",
            "municipality": orgs["askoy"].pk,
            "preferred_language": "nb",
        },
    )
    new = Patient.objects.get(national_id=registered)
    nurse.post("/patients/", {"q": registered})
    assert nurse.get(f"/patients/{registered}/").status_code == 404  # django.request logs the path

    # Enrol (web), complete the hospital's point with its handover, deliver it.
    enrol_via_page(nurse, new)
    enrolment = Enrolment.objects.get(patient=new)
    nurse_actor = actor_of(personas["nurse"])
    sp1 = enrolment.points.get(key="sp1")
    factories.completed_patient_response(sp1)
    record_ = assessment.start_assessment(nurse_actor, sp1)
    assessment.save_assessment(nurse_actor, record_, record_.response.answers, "Loggfri Personsen is tired.")
    assessment.complete_assessment(nurse_actor, record_, reason="Before the answer", handover=HandoverChoice())
    assert sp1.handover_messages.exists()
    deliver_due()

    # FHIR create with a contained Patient and conditional create (201, then 200).
    api = fhir_as("hospital")
    body = episode({"reference": "#p"}, contained=[contained_patient(by_api, "Apioline", "Fhirsen")])
    diagnosed = body["contained"][0]["onsetDateTime"]
    criteria = f"patient.identifier={FNR}|{by_api}&diagnosis-code=C50.9&diagnosis-date={diagnosed}"
    assert api.post("EpisodeOfCare", body, HTTP_IF_NONE_EXIST=criteria).status_code == 201
    assert api.post("EpisodeOfCare", body, HTTP_IF_NONE_EXIST=criteria).status_code == 200
    api.get(f"Patient/{by_api}")  # a number where an id belongs

    # IntegrityError: the loser of a registration race, through the web, gets a registration of
    # the known person (pathway/tests/test_patient_races.py); an unexpected one still reaches django.request's
    # 500 log with the exception, as PostgreSQL words it. And through the FHIR API.
    duplicate = IntegrityError(
        'duplicate key value violates unique constraint "patients_patient_national_id_key"\n'
        f"DETAIL:  Key (national_id)=({patient.national_id}) already exists."
    )
    with (
        mock.patch.object(PatientForm, "clean_national_id", _no_duplicate_check),
        mock.patch.object(PatientForm, "validate_unique", lambda form: None),
    ):
        client.raise_request_exception = False
        form = {
            "national_id": patient.national_id,
            "given_name": "Tvilling",
            "family_name": patient.family_name,
            "municipality": orgs["askoy"].pk,
            "preferred_language": "nb",
        }
        response = nurse.post("/patients/new/", form)
        assert response.status_code == 302  # a known person's registration answers as a new one's
        with mock.patch("patients.services.register_patient", side_effect=duplicate):
            assert nurse.post("/patients/new/", form).status_code == 500
        twin = contained_patient(patient.national_id, "Tvilling", patient.family_name)
        with mock.patch("fhir_api.writes.enrolment.Patient.objects") as objects:
            objects.filter.return_value.first.return_value = None  # the look-up misses, as in the race
            objects.filter.return_value.exclude.return_value.first.return_value = None
            answer = api.post("EpisodeOfCare", episode({"reference": "#p"}, contained=[twin]))
        assert answer.status_code in (201, 409, 412, 422, 500)
    # And the same error logged by hand, as any future code might.
    try:
        with transaction.atomic():
            Patient.objects.create(
                national_id=patient.national_id,
                national_id_kind="fnr",
                given_name="Tvilling",
                family_name=patient.family_name,
                date_of_birth=patient.date_of_birth,
                municipality=orgs["askoy"],
                registered_by=orgs["askoy"],
            )
    except IntegrityError as error:
        logging.getLogger("heimveg.test").exception("registration failed: %s (%r)", error, error)

    client_for(personas["outsider"]).get(f"/patients/{new.public_id}/")  # a logged 403

    # A runserver request line with an invitation link.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /p/SECRET-TOKEN-abc123/ HTTP/1.1", "200", "512", extra={"status_code": 200}
    )

    logged = configured_logs()
    assert "registration failed" in logged and "Internal Server Error" in logged and "Not Found" in logged
    assert "[national-id]" in logged  # the filter had work to do
    for secret in secrets:
        assert secret not in logged, secret
    assert "DETAIL" not in logged
    assert "SECRET-TOKEN" not in logged and "/p/[token]/" in logged


def test_the_console_sms_backend_prints_no_phone_number(capsys):
    from portal.senders import ConsoleSMSBackend

    ConsoleSMSBackend().send("+47 912 34 567", "Koden din er 123456")
    out = capsys.readouterr().out
    assert "912" not in out and "34 567" not in out
    assert "SMS to …67" in out and "Koden din er 123456" in out  # the demo reads the code here
