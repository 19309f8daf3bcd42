"""accounts/trail.py: with no audit recorder registered, an account change raises and is rolled
back, never saved unaudited (the audit app registers the recorder; audit/tests read the entries)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import memberships, trail
from accounts.models import Membership, Role


def test_without_a_recorder_a_change_is_refused_and_rolled_back(monkeypatch, actor_of, personas):
    monkeypatch.setattr(trail, "_recorder", None)
    membership = Membership.objects.get(user=personas["coordinator"])
    with pytest.raises(ImproperlyConfigured):
        memberships.give_role(actor_of(personas["admin"]), membership.public_id, Role.ANALYST)
    assert not Membership.objects.filter(user=personas["coordinator"], role=Role.ANALYST).exists()


def test_a_registered_recorder_gets_the_entry_in_the_same_transaction(monkeypatch, actor_of, personas):
    from django.db import connection

    calls = []
    monkeypatch.setattr(
        trail, "_recorder", lambda actor, action, **fields: calls.append((action, connection.in_atomic_block))
    )
    membership = Membership.objects.get(user=personas["coordinator"])
    memberships.give_role(actor_of(personas["admin"]), membership.public_id, Role.ANALYST)
    assert calls == [(trail.CREATE, True)]
