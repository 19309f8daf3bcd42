"""The audit log cannot be changed or deleted, through the ORM or in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditEntry
from audit.services import record


@pytest.fixture
def entry(db):
    return record(None, AuditEntry.Action.VIEW, detail="test")


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_deleting_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(detail="tampered")


def test_the_database_refuses_an_update_behind_the_orm(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET detail = 'tampered' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_the_database_refuses_a_delete_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
