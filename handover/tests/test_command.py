"""`manage.py deliver_handovers`: one pass over what is due, and a lost database connection waited
out instead of ending the worker."""

from io import StringIO

from django.core.management import call_command
from django.db import OperationalError

from handover import outbox
from handover.models import Delivery


def test_it_delivers_everything_due_and_says_how_much(sp1_assessment, complete, receivers_with_addresses):
    complete(sp1_assessment)
    out = StringIO()
    call_command("deliver_handovers", stdout=out)
    assert out.getvalue().strip() == "delivered 4, retrying 0, failed 0, waiting for an address 0"
    assert not Delivery.objects.exclude(status="delivered").exists()


def test_it_waits_out_a_database_restart_and_carries_on(
    sp1_assessment, complete, receivers_with_addresses, monkeypatch
):
    complete(sp1_assessment)
    real, calls = outbox.deliver_due, []

    def flaky_database(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(outbox, "deliver_due", flaky_database)
    monkeypatch.setattr("handover.management.commands.deliver_handovers.time.sleep", lambda seconds: None)
    monkeypatch.setattr("handover.management.commands.deliver_handovers.connection.close", lambda: None)
    out = StringIO()
    call_command("deliver_handovers", stdout=out)
    assert "delivered 4" in out.getvalue()
    assert len(calls) >= 2
