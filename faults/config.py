"""What the fault runs use: the database, loopback ports, the production-like environment, and the
two things that name the worker and the health check, each in one place."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")  # the same environment as the harness
LOGS = ROOT / "var" / "faults"

HOST = "127.0.0.1"  # loopback only: every server binds here and every client connects here
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "heimveg_faults"
# The harness's own connection (counts, terminating connections) and the migrations: the superuser.
DATABASE_URL = f"{SERVER}/{DATABASE}"
# As in production (docs/operations.md): the tables belong to the NOLOGIN owner role, `migrate`
# connects as the superuser and does SET ROLE to it; gunicorn, the worker and every other command
# connect as the application role, which may only INSERT and SELECT on the audit log.
OWNER_ROLE = "heimveg_owner"
APP_ROLE = "heimveg_app"
APP_DATABASE_URL = f"postgres://{APP_ROLE}@127.0.0.1:5432/{DATABASE}"

# The background worker (`manage.py <WORKER_COMMAND>`) and the path a load balancer asks.
WORKER_COMMAND = ("worker", "--interval", "1")
HEALTH_PATH = "/readyz"

PROXY_PORT = 8790
NODE_PORTS = (8791, 8792)
WEB_WORKERS = 2  # gunicorn worker processes per node (2 cores, shared)

# After a fault, 5xx answers are tolerated for this long; after it, none.
GRACE_SECONDS = 5.0
# How long the outbox may take to be empty once the load has stopped.
DRAIN_SECONDS = 30.0


# Both roles, created if missing (as .ci/run does); trust authentication on 127.0.0.1 is assumed.
CREATE_ROLES = f"""DO $$ BEGIN
IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN CREATE ROLE {OWNER_ROLE} NOLOGIN; END IF;
IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN CREATE ROLE {APP_ROLE} LOGIN; END IF;
END $$"""


def environment():
    """Production settings (heimveg.settings, DEBUG off, persistent connections), the in-Heimveg
    channel only, and a short outbox sweep so that a left-behind delivery is found in seconds."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "heimveg.settings",
        "DATABASE_URL": APP_DATABASE_URL,
        "HEIMVEG_MIGRATE_DATABASE_URL": DATABASE_URL,
        "HEIMVEG_DB_OWNER_ROLE": OWNER_ROLE,
        "HEIMVEG_DB_APP_ROLE": APP_ROLE,
        "HEIMVEG_SECRET_KEY": "faults-only-not-secret",
        "HEIMVEG_DEMO": "0",
        # Required outside the demo (heimveg.E003); the links in messages are never opened here.
        "HEIMVEG_BASE_URL": "https://heimveg.faults.invalid",
        "HEIMVEG_DEBUG": "0",
        "HEIMVEG_DB_CONN_MAX_AGE": "60",
        "HEIMVEG_ALLOW_SYNTHETIC_IDS": "1",
        "HEIMVEG_HANDOVER_CHANNELS": "handover.channels.HeimvegChannel",
        # Production refuses the console SMS backend (heimveg/checks.py); no text is sent here.
        "HEIMVEG_SMS_BACKEND": "portal.senders.MemorySMSBackend",
        # The load threads fetch tokens far more often than a real system: no token rate limit here.
        "HEIMVEG_OAUTH_TOKEN_LIMIT_PER_CLIENT": "1000000",
        "HEIMVEG_OAUTH_TOKEN_LIMIT_PER_ADDRESS": "1000000",
        "HEIMVEG_OUTBOX_SWEEP_SECONDS": "1",
        "HEIMVEG_HANDOVER_RETRY_BASE_SECONDS": "1",
        "HEIMVEG_HANDOVER_RETRY_MAX_SECONDS": "2",
        "HEIMVEG_LOG_LEVEL": "WARNING",
        "HEIMVEG_ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("HEIMVEG_TESTING", "HEIMVEG_TASK_BACKEND", "DJANGO_SETTINGS_MODULE_TEST"):
        env.pop(name, None)
    return env
