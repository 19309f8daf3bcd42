import datetime
import threading

import pytest
from django.utils import timezone

from audit.tests.test_verify import entries  # noqa: F401 - fixture
from handover.tests.conftest import (  # noqa: F401 - fixtures
    complete,
    enrolment,
    receivers_with_addresses,
    sp1_assessment,
)
from jobs import registry
from jobs.models import RecurringJob
from testsupport.browser import _directory_back_after_flush, national_directory  # noqa: F401 - fixtures

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))


class Probe:
    """A recurring job for tests: counts its runs, can be made to fail or to wait."""

    def __init__(self):
        self.runs = []
        self.lock = threading.Lock()
        self.fail = False
        self.delay = 0.0

    def __call__(self, now):
        import time

        with self.lock:
            self.runs.append(now)
        time.sleep(self.delay)
        if self.fail:
            raise ValueError("a failing job (this text must not be stored)")
        return {"ok": True}


@pytest.fixture
def probe(settings):
    settings.PROBE_SECONDS = 60
    job = registry.register(registry.Job("probe", Probe(), every_setting="PROBE_SECONDS"))
    yield job.run
    registry.JOBS.pop("probe", None)


@pytest.fixture
def due_probe(probe, db):
    RecurringJob.objects.create(name="probe", next_run_at=NOW)
    return probe


@pytest.fixture(autouse=True)
def _directory_around_transactional_tests(request):
    """A transactional test ends by flushing every table, the national directory included: have
    it before such a test and back after the module (testsupport.browser.national_directory)."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("national_directory")
