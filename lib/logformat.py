"""Structured logs: one JSON object a line (HEIMVEG_LOG_FORMAT=json), with the request or job a line
belongs to.

Fields: `time` (ISO 8601, UTC, milliseconds), `level`, `logger`, `message`, and where known
`request_id` (the web process: the request's X-Request-ID, or one made up for it) and `job` (the
worker: the recurring job or the task it runs); `exception` (its type and scrubbed traceback) and
`stack` when the line carries one. The formatter adds no data of its own beyond these: the
personal-data filter (lib.logfilter) has already scrubbed the message and the exception text
before any formatter sees the record, as it sits on every handler.

The request id and job name live in context variables (one value per thread and per asyncio task),
set by RequestIdMiddleware and by `job_context` around a job run.
"""

import contextlib
import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from lib.logfilter import scrub

request_id = contextvars.ContextVar("heimveg_request_id", default="")
job = contextvars.ContextVar("heimveg_job", default="")

# A request id taken from the proxy's header only if it is short and plain, and holds nothing the
# personal-data filter would scrub (it goes into every log line, added after the filter has run).
REQUEST_ID_HEADER = "X-Request-ID"
PLAIN_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if current_request := request_id.get():
            line["request_id"] = current_request
        if current_job := job.get():
            line["job"] = current_job
        if record.exc_info and not record.exc_text:  # a handler without the personal-data filter
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


@contextlib.contextmanager
def job_context(name: str) -> Iterator[None]:
    """Log lines inside carry `job`: name."""
    token = job.set(name)
    try:
        yield
    finally:
        job.reset(token)


class RequestIdMiddleware:
    """Gives each request an id: the reverse proxy's X-Request-ID if it is plain, else a new one. It
    is in every log line of the request (JSON format) and in the response's X-Request-ID header, so
    a user's report, the proxy's access log and Heimveg's log can be matched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        current = given if PLAIN_ID.fullmatch(given) and scrub(given) == given else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = current
        return response
