"""Settings for the test suite: the production settings with test-only defaults switched on
(synthetic identity numbers allowed, a throwaway secret key). Environment variables still win."""

import datetime
import os

os.environ.setdefault("HEIMVEG_TESTING", "1")
os.environ.setdefault("HEIMVEG_ALLOW_SYNTHETIC_IDS", "1")

from heimveg.settings import *  # noqa: E402,F403

# Close connections after each request, so the live-server thread of the browser tests leaves no
# session behind that would keep PostgreSQL from dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
SMS_BACKEND = "portal.senders.MemorySMSBackend"

# On SQLite the test database is a file (not shared memory), so that a second process (the
# handover crash test's worker) can open it too; one file per test run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# The day every test runs on (conftest pins the clock to 11:00 Europe/Oslo on it), unless a test is
# marked `running_clock`. The faketime runs of CI set HEIMVEG_TEST_TODAY to the faked day.
TEST_TODAY = datetime.date.fromisoformat(os.environ.get("HEIMVEG_TEST_TODAY") or "2026-12-09")
