"""The demo loaded once for a whole test module: loading it takes seconds, and most tests only
read it. The load runs in a transaction that is rolled back when the module is done; each test
runs inside it in its own (rolled back) savepoint, as pytest-django's `db` does."""

import io
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from testsupport import clock


@contextmanager
def demo_loaded(django_db_blocker, day):
    """Load the demo for `day` with the clock pinned to it; yield the command's output."""
    with django_db_blocker.unblock(), transaction.atomic():
        # The function-scoped autouse fixtures (fast password hashing) have not run yet.
        fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
        with clock.pinned(day), fast:
            out = io.StringIO()
            call_command("load_demo", today=day, stdout=out)
        try:
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
