"""Nothing lost, nothing doubled: a worker process killed in the middle of delivering, and another
started after it.

The test writes a few hundred messages to the outbox, starts `manage.py deliver_handovers` as a
separate process on the same database, kills it (SIGKILL: no clean-up of any kind) once it is
part-way through, then starts a second worker and lets it finish. Every message must then be in
its receiver's inbox exactly once, every e-mail notice must have gone out, and a notice that went
out twice (the one in flight at the kill: e-mail cannot be taken back) must carry the same
Message-ID both times, so the mail system drops the repeat.
"""

import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from handover.models import Delivery, HandoverMessage
from pathway.models import Enrolment

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
# The worker is another process, on the real clock: this test must share it.
pytestmark = pytest.mark.running_clock
MESSAGES = 300


def _database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _worker(mail_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "heimveg.settings_test",
        "DATABASE_URL": _database_url(),
        "HEIMVEG_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "HEIMVEG_EMAIL_FILE_PATH": str(mail_dir),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_handovers"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def outbox_full(national_directory, actor_of, patient, personas, orgs, sp1_assessment, complete):
    """One real completion's messages, then copies of them up to MESSAGES, each with its deliveries."""
    orgs["askoy"].contact_points.create(name="Kreftkoordinator", email="kreft@askoy.example.test")
    orgs["gp_office"].contact_points.create(name="Legekontoret", email="post@testvik.example.test")
    template = complete(sp1_assessment).first()
    enrolment = Enrolment.objects.get(pk=template.enrolment_id)
    copies = HandoverMessage.objects.bulk_create(
        HandoverMessage(
            kind=template.kind,
            enrolment=enrolment,
            point=template.point,
            sender=template.sender,
            recipient=orgs["askoy"] if n % 2 else orgs["gp_office"],
            reason=template.reason,
            content=template.content,
        )
        for n in range(MESSAGES - 2)
    )
    Delivery.objects.bulk_create(
        Delivery(message=m, channel=c, idempotency_key=f"{m.public_id}:{c}", next_attempt_at=template.created_at)
        for m in HandoverMessage.objects.filter(pk__in=[c.pk for c in copies])
        for c in ("heimveg", "email")
    )
    assert Delivery.objects.count() == 2 * MESSAGES


def _message_ids(mail_dir):
    ids = []
    for path in Path(mail_dir).iterdir():
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                ids.append(email.message_from_string(chunk.strip())["Message-ID"])
    return ids


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_loses_no_message_and_gives_no_receiver_a_copy_twice(outbox_full, tmp_path):
    mail_dir = tmp_path / "mail"
    first = _worker(mail_dir)
    deadline = time.monotonic() + 60
    while Delivery.objects.filter(status="delivered").count() < 40:
        assert first.poll() is None, f"the worker ended before it could be killed: {first.communicate()}"
        assert time.monotonic() < deadline, "the worker delivered nothing within a minute"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    delivered_at_kill = Delivery.objects.filter(status="delivered").count()
    assert delivered_at_kill < 2 * MESSAGES, "the worker had finished: the kill proved nothing"

    second = _worker(mail_dir)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err

    deliveries = Delivery.objects.all()
    assert Counter(d.status for d in deliveries) == {"delivered": 2 * MESSAGES}
    # The killed worker's unfinished transaction was rolled back: no attempt was counted twice.
    assert {d.attempts for d in deliveries} == {1}
    # Each message is in its receiver's inbox once (one row, delivered once).
    assert HandoverMessage.objects.count() == MESSAGES
    assert not HandoverMessage.objects.filter(delivered_at__isnull=True).exists()
    # Every e-mail notice went out; a repeat carries the same Message-ID, and at most one did.
    ids = Counter(_message_ids(mail_dir))
    expected = {f"<{d.idempotency_key}@heimveg>" for d in deliveries.filter(channel="email")}
    assert set(ids) == expected
    assert sum(ids.values()) - len(ids) <= 1
