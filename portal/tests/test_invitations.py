"""Invitations through the services: single-use, expiring, hashed, the code on the other channel,
wrong codes slowed and then locked."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from pathway.models import PathwayEvent
from pathway.services import PathwayRuleError
from portal import services, tokens
from portal.models import Invitation
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from


def test_the_link_goes_by_sms_and_only_its_hash_is_stored(point, invite):
    invitation, token = invite(point)
    assert MemorySMSBackend.outbox[-1][0] == "+4791234567"
    assert invitation.token_hash == tokens.hash_token(token)
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert token not in str(Invitation.objects.values().get())
    assert point.enrolment.events.filter(kind=PathwayEvent.Kind.INVITATION_SENT).exists()
    assert "Askøy" in MemorySMSBackend.outbox[-1][1]  # who invites; nothing about the illness


def test_the_code_goes_to_the_other_channel(point, invite):
    invitation, _token = invite(point, channel="sms")
    services.send_code(invitation)
    assert mail.outbox[-1].to == ["pasient@example.test"]
    code = code_from(mail.outbox[-1].body)
    assert code not in str(Invitation.objects.values().get())  # stored as a keyed hash only
    invitation2, _ = invite(point, channel="email")
    assert token_from(mail.outbox[-1].body)
    services.send_code(invitation2)
    assert code_from(MemorySMSBackend.outbox[-1][1])


def test_a_right_code_spends_the_link(point, invite):
    invitation, token = invite(point)
    services.send_code(invitation)
    assert services.verify_code(invitation, code_from(mail.outbox[-1].body)).ok
    invitation.refresh_from_db()
    assert services.state(invitation) == "used"
    assert not services.send_code(invitation)  # no second code for a spent link
    assert not services.verify_code(invitation, "000000").ok


def test_an_expired_link_shows_nothing(point, invite):
    invitation, _ = invite(point)
    later = timezone.now() + datetime.timedelta(days=15)
    assert services.state(invitation, later) == "expired"
    assert not services.send_code(invitation, later)


def test_an_expired_code_is_refused(point, invite):
    invitation, _ = invite(point)
    services.send_code(invitation)
    code = code_from(mail.outbox[-1].body)
    check = services.verify_code(invitation, code, timezone.now() + datetime.timedelta(minutes=11))
    assert not check.ok and check.expired


def test_wrong_codes_are_slowed_then_locked(point, invite):
    invitation, _ = invite(point)
    services.send_code(invitation)
    right = code_from(mail.outbox[-1].body)
    wrong = "000000" if right != "000000" else "111111"
    now = timezone.now()
    checks = [services.verify_code(invitation, wrong, now) for _ in range(3)]
    assert [c.attempts_left for c in checks] == [5, 4, 3]
    assert checks[-1].wait_seconds == 30
    # While waiting, even the right code is not tried.
    assert services.verify_code(invitation, right, now + datetime.timedelta(seconds=10)).wait_seconds > 0
    now += datetime.timedelta(seconds=31)
    services.verify_code(invitation, wrong, now)
    now += datetime.timedelta(seconds=61)
    services.verify_code(invitation, wrong, now)
    now += datetime.timedelta(seconds=121)
    last = services.verify_code(invitation, wrong, now)
    assert last.locked
    invitation.refresh_from_db()
    assert services.state(invitation) == "locked"
    assert not services.verify_code(invitation, right, now + datetime.timedelta(hours=1)).ok
    assert AuditEntry.objects.filter(action="denied", object_type="invitation").count() == 6


def test_a_new_invitation_replaces_the_old_and_keeps_the_answers(point, invite):
    first, _ = invite(point)
    first.response.answers = {"what-matters": "Å komme meg på jobb igjen"}
    first.response.save()
    second, _ = invite(point)
    first.refresh_from_db()
    assert services.state(first) == "revoked"
    assert second.response == first.response


def test_no_invitation_without_a_mobile_phone(point, actor_of, personas):
    patient = point.enrolment.patient
    patient.mobile_phone = ""
    patient.save()
    for channel in ("sms", "email"):
        with pytest.raises(PathwayRuleError, match="Register a mobile phone number first"):
            services.send_invitation(actor_of(personas["coordinator"]), point, link_channel=channel)


def test_only_the_responsible_organisation_invites(point, actor_of, personas):
    with pytest.raises(PathwayRuleError, match="responsible"):
        services.send_invitation(actor_of(personas["nurse"]), point, link_channel="sms")


def test_a_used_link_can_be_reissued_to_the_same_phone_a_few_times(point, invite):
    invitation, _ = invite(point)
    services.send_code(invitation)
    services.verify_code(invitation, code_from(mail.outbox[-1].body))
    invitation.refresh_from_db()
    fresh = services.reissue(invitation)
    assert fresh is not None and fresh.phone == invitation.phone and fresh.expires_at == invitation.expires_at
    assert MemorySMSBackend.outbox[-1][0] == "+4791234567"
    for _ in range(3):
        services.send_code(fresh)
        services.verify_code(fresh, code_from(mail.outbox[-1].body))
        fresh.refresh_from_db()
        fresh = services.reissue(fresh) or fresh
    assert Invitation.objects.filter(sent_by__isnull=True).count() == services.MAX_REISSUES
