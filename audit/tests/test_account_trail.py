"""The audit app fills accounts' hook (accounts/trail.py) with its own `record`, and the actions
accounts names are the audit log's."""

from accounts import trail
from audit.models import AuditEntry
from audit.services import record


def test_the_registered_recorder_is_the_audit_services_record():
    assert trail._recorder is record


def test_the_actions_accounts_records_are_audit_actions():
    assert {trail.CREATE, trail.UPDATE, trail.DENIED} <= set(AuditEntry.Action.values)
