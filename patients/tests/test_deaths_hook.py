"""patients/deaths.py: without a registered confirmation a death is refused, never saved
unconfirmed; without a watch the save runs as it is (the pathway app registers both)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from patients import deaths


def test_without_a_registered_confirmation_a_death_is_refused(monkeypatch, patient):
    monkeypatch.setattr(deaths, "_confirm", None)
    saved = []
    with pytest.raises(ImproperlyConfigured):
        deaths.confirm(None, patient, save=lambda: saved.append(True), refused=None)
    assert saved == []


def test_without_a_registered_watch_the_save_runs_unwatched(monkeypatch, patient):
    monkeypatch.setattr(deaths, "_watch", None)
    ran = []
    with deaths.watched(patient):
        ran.append(True)
    assert ran == [True]
