"""Two audit writes at once, each on its own database connection, each inside a transaction that
holds on after its write (as a service's would): the second waits for the chain head's lock, and
both land as consecutive, correctly chained links."""

import time
import uuid

import pytest
from django.db import transaction

from audit import verify
from audit.models import AuditChainHead, AuditEntry
from audit.services import record
from testsupport.races import race

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def write(detail):
    def call():
        with transaction.atomic():
            entry = record(None, AuditEntry.Action.VIEW, patient_public_id=uuid.uuid4(), detail=detail)
            time.sleep(0.3)  # the head stays locked until this transaction commits
        return entry

    return call


def test_two_audit_writes_at_once_both_land_in_the_chain():
    record(None, AuditEntry.Action.VIEW, detail="before")
    first, second = race(write("a"), write("b"))
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert sorted([first.seq, second.seq]) == [2, 3]
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.detail for e in entries][0] == "before" and {e.detail for e in entries[1:]} == {"a", "b"}
    assert entries[2].prev_hash == entries[1].hash and entries[1].prev_hash == entries[0].hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (3, entries[2].hash)
    assert verify.verify().problems == []


def test_the_first_two_writes_of_an_empty_database_create_one_head():
    """A flushed database has no head row: both writers create it (ON CONFLICT DO NOTHING) and
    then queue on it."""
    AuditChainHead.objects.all().delete()
    results = race(write("a"), write("b"))
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.seq for r in results) == [1, 2]
    assert verify.verify().problems == []
