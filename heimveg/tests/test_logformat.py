"""Structured logs (lib/logformat.py): HEIMVEG_LOG_FORMAT=json writes one JSON object a line with
time, level, logger, message and the request id or job where known, scrubbed by the personal-data
filter like the text format."""

import io
import json
import logging
import os
import subprocess
import sys
from copy import deepcopy

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.test import RequestFactory
from django.utils.log import configure_logging

from lib.logformat import JsonFormatter, RequestIdMiddleware, job_context, request_id

NUMBER = "17056112345"


def json_lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class JsonConsole:
    """settings.LOGGING as HEIMVEG_LOG_FORMAT=json configures it, with the console into a buffer."""

    def __enter__(self):
        config = deepcopy(settings.LOGGING)
        config["handlers"]["console"]["formatter"] = "json"
        configure_logging(settings.LOGGING_CONFIG, config)
        self.stream = io.StringIO()
        console = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
        self.old_stream = console.setStream(self.stream)
        self.console = console
        return self

    def __exit__(self, *exc):
        self.console.setStream(self.old_stream)
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    @property
    def lines(self):
        return json_lines(self.stream)


def test_a_line_is_json_with_time_level_logger_and_message():
    record = logging.LogRecord("pathway.services", logging.WARNING, __file__, 1, "%s points moved", (3,), None)
    record.created = 1796811600.25  # 2026-12-09 10:20:00.250 UTC
    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": "2026-12-09T10:20:00.250+00:00",
        "level": "WARNING",
        "logger": "pathway.services",
        "message": "3 points moved",
    }


def test_a_line_names_the_request_and_the_job_it_belongs_to():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    token = request_id.set("req-1")
    try:
        with job_context("nightly_reminders"):
            line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert (line["request_id"], line["job"]) == ("req-1", "nightly_reminders")
    assert "request_id" not in json.loads(JsonFormatter().format(record))  # reset afterwards


def test_the_personal_data_filter_scrubs_the_json_output_too():
    with JsonConsole() as logs:
        logging.getLogger("fhir_api.views").warning("patient %s not found", NUMBER)
        try:
            raise ValueError(f"no patient {NUMBER}")
        except ValueError:
            logging.getLogger("jobs.scheduler").exception("job failed (ValueError)")
    first, second = logs.lines
    assert first["message"] == "patient [national-id] not found"
    assert second["message"] == "job failed (ValueError)"
    assert "ValueError: no patient [national-id]" in second["exception"]
    assert NUMBER not in logs.stream.getvalue()


def test_a_server_error_in_the_web_process_is_logged_with_its_request_id():
    def view(request):
        raise RuntimeError("a bug")

    handler = RequestIdMiddleware(convert_exception_to_response(view))
    with JsonConsole() as logs:
        response = handler(RequestFactory().get("/patients/", HTTP_X_REQUEST_ID="proxy-42"))
    assert response.status_code == 500
    assert response["X-Request-ID"] == "proxy-42"
    (error,) = [line for line in logs.lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "proxy-42"
    assert "RuntimeError: a bug" in error["exception"]


def test_every_response_carries_a_request_id_and_a_strange_one_is_replaced(client, db):
    made_up = client.get("/livez")["X-Request-ID"]
    assert len(made_up) == 32
    assert client.get("/livez", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    injected = client.get("/livez", HTTP_X_REQUEST_ID='x" level=ERROR 17056112345 ' + "y" * 80)["X-Request-ID"]
    assert injected != made_up and len(injected) == 32


def test_a_request_id_holding_a_national_id_is_replaced(client, db):
    """The request id goes into every log line after the personal-data filter has run: one that
    the filter would scrub is not taken."""
    for given in ("17056112345", "pasient-17.05.61-12345"):
        replaced = client.get("/livez", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
        assert replaced != given and len(replaced) == 32


def _settings_with(log_format):
    env = {**os.environ, "HEIMVEG_LOG_FORMAT": log_format, "HEIMVEG_TESTING": "1"}
    code = "import heimveg.settings as s; print(s.LOGGING['handlers']['console']['formatter'])"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_the_setting_chooses_the_format_and_refuses_anything_else():
    assert _settings_with("json").stdout.strip() == "json"
    assert _settings_with("text").stdout.strip() == "plain"
    refused = _settings_with("xml")
    assert refused.returncode != 0
    assert "HEIMVEG_LOG_FORMAT must be text or json" in refused.stderr
