"""The audit entries of account changes (invitations, memberships, roles, passwords) and refusals,
without accounts importing the audit app above it (docs/architecture.md: inner layers never
import outer ones).

The audit app registers its recorder (audit.services.record) in AuditConfig.ready:

    trail.register_recorder(services.record)

`record` calls it in the caller's transaction, so an entry commits or rolls back with the change
it records. Until a recorder is registered, recording raises: no account change goes unaudited.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The actions accounts records: values of audit.models.AuditEntry.Action.
CREATE = "create"
UPDATE = "update"
DENIED = "denied"

Recorder = Callable[..., Any]

_recorder: Recorder | None = None


def register_recorder(recorder: Recorder) -> None:
    """`recorder(actor, action, *, object_type, detail, request, ...)` appends one audit entry."""
    global _recorder
    _recorder = recorder


def record(actor: Any, action: str, **fields: Any) -> Any:
    """Append one audit entry (the audit app's `record`, with its keyword arguments)."""
    if _recorder is None:
        raise ImproperlyConfigured("No audit recorder is registered (the audit app registers it in its ready()).")
    return _recorder(actor, action, **fields)
