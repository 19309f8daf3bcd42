"""Recording a patient's death, which outer apps act on, without the patients app importing them
(docs/architecture.md: inner layers never import outer ones).

The death itself goes through `patients.signals.patient_died`: the pathway ends the patient's
pathways, the handover app writes the bereavement message. That cannot be taken back, so the
patient form's save is confirmed first on a page that shows what will happen. The pathway app
offers that page (pathway.confirmation) and registers it in PathwayConfig.ready:

    deaths.register_confirmation(watch=confirmation.watch_death, confirm=confirmation.confirm_death)

`watch(patient)` is a context manager around the save inside its transaction (it records what the
save did while previewing, and refuses a stale confirmation); `confirm(request, patient, save=…,
refused=…, **page)` answers the POST: the summary first, the save on the second POST. With nothing
registered the save is not watched, and `confirm` refuses: a death is never saved unconfirmed.
"""

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Watch = Callable[[Any], AbstractContextManager[None]]
Confirm = Callable[..., Any]

_watch: Watch | None = None
_confirm: Confirm | None = None


def register_confirmation(*, watch: Watch, confirm: Confirm) -> None:
    global _watch, _confirm
    _watch, _confirm = watch, confirm


@contextlib.contextmanager
def watched(patient: Any) -> Iterator[None]:
    """Around the writes that record the death (the save and the `patient_died` signal)."""
    if _watch is None:
        yield
        return
    with _watch(patient):
        yield


def confirm(request: Any, patient: Any, **options: Any) -> Any:
    """The response to a POST that records `patient`'s death: `save` (called for the real change
    and for the preview; raises PatientRuleError), `refused(error)` (the form again, with a rule's
    error), and the page's `title`, `back_url`, `done_url`, `success` and `confirm_label`."""
    if _confirm is None:
        raise ImproperlyConfigured("No death confirmation is registered (the pathway app registers it in its ready()).")
    return _confirm(request, patient, **options)
