"""The hash chain and verify_audit: an intact chain verifies and its head is published (log,
admins, a signed checkpoint); a deleted, changed, reordered, back-dated or unchained entry is
found, and so are the newest entries deleted together with the head moved back."""

import datetime
import logging
import uuid

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.actor import Actor
from accounts.models import Membership
from audit import chain, verify
from audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from audit.services import record, record_many
from audit.tests.tampering import tamper

Action = AuditEntry.Action


@pytest.fixture
def entries(personas, settings):
    settings.ADMINS = [("Security officer", "security@example.org")]
    patients = [uuid.uuid4() for _ in range(3)]
    user = personas["coordinator"]
    made = [
        record(None, Action.VIEW, patient_public_id=patients[0], detail="first"),
        record_many(
            Actor(user=user, membership=Membership.objects.get(user=user)), Action.LIST, patients, detail="worklist"
        ),
        record(None, Action.UPDATE, patient_public_id=patients[1], detail="second"),
        record(None, Action.VIEW, patient_public_id=patients[2], detail="third"),
        record(None, Action.VIEW, detail="fourth"),
    ]
    return [AuditEntry.objects.get(pk=e.pk) for e in made]


def problems():
    result = verify.verify()
    return result.problems


def test_each_entry_is_a_link_of_the_chain(entries):
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == chain.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.occurred_at >= before.occurred_at
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, entries[-1].hash)
    assert problems() == []


def test_the_time_is_the_database_clock_not_the_pinned_one(entries):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT clock_timestamp()"
            if connection.vendor == "postgresql"
            else "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"
        )
        database_now = chain._as_datetime(cursor.fetchone()[0])
    assert abs(database_now - entries[-1].occurred_at) < datetime.timedelta(minutes=1)


def test_an_intact_chain_is_verified_and_its_head_published(entries, caplog):
    with caplog.at_level(logging.INFO, logger="audit.verify"):
        result = verify.verify_and_publish()
    assert result.ok and result.checked == 5
    assert (result.head_seq, result.head_id, result.head_hash) == (5, entries[-1].pk, entries[-1].hash)
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.entry_id, checkpoint.hash) == (5, entries[-1].pk, entries[-1].hash)
    assert checkpoint.signature == verify.sign(5, entries[-1].pk, entries[-1].hash)
    published = verify.published(entries[-1].hash)
    assert f"id {entries[-1].pk}" in caplog.text and published in caplog.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["security@example.org"]
    assert published in mail.outbox[0].body
    # A second run continues from the first checkpoint.
    record(None, Action.VIEW, detail="later")
    assert verify.verify_and_publish().ok
    assert AuditCheckpoint.objects.count() == 2


def test_a_changed_entry_is_found(entries):
    tamper("UPDATE audit_auditentry SET detail = 'nothing to see' WHERE id = %s", [entries[2].pk])
    assert problems() == [f"seq 3 (id {entries[2].pk}): its hash does not match its content (changed)"]


def test_a_patient_taken_off_a_list_entry_is_found(entries):
    tamper("DELETE FROM audit_auditentrypatient WHERE entry_id = %s AND position = 2", [entries[1].pk])
    assert problems() == [f"seq 2 (id {entries[1].pk}): its hash does not match its content (changed)"]


def test_a_deleted_entry_is_found(entries):
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    found = problems()
    assert "entries missing at seq 3–3 (deleted)" in found
    assert any(p.startswith(f"seq 4 (id {entries[3].pk}): does not follow") for p in found)


def test_reordered_entries_are_found(entries):
    a, b = entries[2], entries[3]
    tamper("UPDATE audit_auditentry SET seq = 1000 WHERE id = %s", [a.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    found = problems()
    assert f"seq 4 (id {a.pk}): its id is lower than the entry before it (reordered)" in found
    assert any("does not follow" in p for p in found)


def test_a_back_dated_entry_is_found(entries):
    """Appended with a correct hash and the head moved on, as anyone who can INSERT and knows the
    format could: only its time gives it away."""
    head = AuditChainHead.objects.get(pk=1)
    forged = AuditEntry(
        username="intruder",
        action=Action.VIEW,
        object_type="patient",
        patient_public_id=uuid.uuid4(),
        seq=head.seq + 1,
        prev_hash=head.hash,
        occurred_at=entries[0].occurred_at - datetime.timedelta(days=30),
    )
    forged.hash = chain.link_hash({n: getattr(forged, n) for n in chain.FIELDS}, [], forged.prev_hash)
    forged.save()
    AuditChainHead.objects.filter(pk=1).update(seq=forged.seq, hash=forged.hash)
    assert problems() == [f"seq 6 (id {forged.pk}): its time is earlier than the entry before it (back-dated)"]


def test_an_entry_written_outside_the_chain_is_found(entries):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (occurred_at, username, role, client, action, object_type, detail, "
            "emergency, reason, prev_hash, hash) VALUES (%s, 'x', '', '', 'view', '', '', %s, '', '', '')",
            [connection.ops.adapt_datetimefield_value(entries[-1].occurred_at), False],
        )
        cursor.execute("SELECT MAX(id) FROM audit_auditentry")
        forged = cursor.fetchone()[0]
    assert problems() == [f"entry id {forged} is not in the chain"]


def test_the_newest_entries_deleted_with_the_head_moved_back_are_found_by_the_checkpoint(entries):
    assert verify.verify_and_publish().ok  # published: seq 5
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    AuditChainHead.objects.filter(pk=1).update(seq=3, hash=entries[2].hash)
    found = problems()
    number = AuditCheckpoint.objects.get().pk
    assert found == [
        f"checkpoint {number} published seq 5, but the chain now ends at seq 3 (the newest entries were deleted)"
    ]


def test_a_chain_rewritten_from_a_point_is_found_by_the_checkpoint(entries):
    """Everything after seq 2 rewritten consistently (the whole chain recomputed) still differs
    from the published head."""
    assert verify.verify_and_publish().ok
    tamper("UPDATE audit_auditentry SET detail = 'rewritten' WHERE seq = 5")
    row = AuditEntry.objects.filter(seq=5).values("id", *chain.FIELDS, "prev_hash").get()
    new_hash = chain.link_hash(row, [], row["prev_hash"])
    tamper('UPDATE audit_auditentry SET "hash" = %s WHERE seq = 5', [new_hash])
    AuditChainHead.objects.filter(pk=1).update(hash=new_hash)
    found = problems()
    assert len(found) == 1 and "the entry at that place is gone or different" in found[0]


def test_a_forged_checkpoint_is_found(entries):
    AuditCheckpoint.objects.create(seq=5, entry_id=entries[-1].pk, hash=entries[-1].hash, signature="0" * 64)
    assert problems() == [
        f"checkpoint {AuditCheckpoint.objects.get().pk} (seq 5) is not signed with the checkpoint key (forged)"
    ]


def test_the_command_fails_on_a_broken_chain_and_alerts(entries, capsys):
    call_command("verify_audit")
    assert "audit chain whole: 5 entries" in capsys.readouterr().out
    mail.outbox.clear()
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[3].pk])
    with pytest.raises(CommandError, match="hash chain is broken"):
        call_command("verify_audit")
    assert mail.outbox[0].subject.endswith("ALERT: the audit log has been tampered with")
    assert AuditCheckpoint.objects.count() == 1  # none stored for a broken chain
