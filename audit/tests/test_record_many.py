"""A list page's audit entry (record_many): ONE entry that names every patient shown, in the
order shown, found per patient through AuditEntryPatient."""

import uuid

from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.actor import Actor
from accounts.models import Membership
from audit.models import AuditEntry, AuditEntryPatient
from audit.services import record, record_many, trail_for_patient


def coordinator(personas):
    user = personas["coordinator"]
    return Actor(user=user, membership=Membership.objects.get(user=user))


def test_one_entry_names_every_patient_shown(personas):
    actor = coordinator(personas)
    shown = [uuid.uuid4() for _ in range(3)]
    request = RequestFactory().get("/pathway/worklist/", REMOTE_ADDR="192.0.2.7")

    with CaptureQueriesContext(connection) as queries:
        returned = record_many(actor, AuditEntry.Action.LIST, [*shown, shown[0]], detail="worklist", request=request)
    entry = AuditEntry.objects.get()
    assert returned.pk == entry.pk
    assert (entry.user, entry.username, entry.organisation, entry.role) == (
        personas["coordinator"],
        "coordinator",
        actor.organisation,
        actor.role,
    )
    assert (entry.action, entry.object_type, entry.detail) == ("list", "patient", "worklist")
    assert (entry.ip_address, entry.emergency, entry.reason, entry.client) == ("192.0.2.7", False, "", "")
    assert entry.patient_public_id is None
    assert entry.patient_ids == shown  # each once, in the order shown
    assert AuditEntryPatient.objects.count() == 3
    entry_inserts = [q for q in queries if 'INTO "audit_auditentry" ' in q["sql"]]
    assert len(entry_inserts) == 1
    if connection.vendor == "postgresql":  # the head's lock, then entry, patients and head in one statement
        assert len([q for q in queries if "audit_" in q["sql"]]) == 2


def test_the_entry_is_found_per_patient_with_the_single_entries(personas):
    actor = coordinator(personas)
    shown, other = [uuid.uuid4(), uuid.uuid4()], uuid.uuid4()
    viewed = record(actor, AuditEntry.Action.VIEW, patient_public_id=shown[1])
    listed = record_many(actor, AuditEntry.Action.LIST, shown, detail="worklist")
    record(actor, AuditEntry.Action.VIEW, patient_public_id=other)
    record_many(actor, AuditEntry.Action.LIST, [other], detail="worklist")

    assert set(trail_for_patient(shown[1])) == {viewed, listed}
    assert list(trail_for_patient(shown[0])) == [listed]
    assert AuditEntry.objects.concerning(shown[0]).filter(action="view").count() == 0
    assert AuditEntry.objects.concerning(*shown).count() == 2


def test_an_empty_list_writes_nothing(personas):
    record_many(coordinator(personas), AuditEntry.Action.LIST, [], detail="worklist")
    assert not AuditEntry.objects.exists()


def test_an_entry_saved_through_the_orm_joins_the_chain_too(personas):
    first = record(None, AuditEntry.Action.VIEW, detail="first")
    second = AuditEntry.objects.create(username="system", action=AuditEntry.Action.VIEW, detail="second")
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
