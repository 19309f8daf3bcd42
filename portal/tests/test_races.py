"""Two requests for a new link at once, from two used links to the same answers (a patient's
old phone and a new one, or someone holding an old link): the count of links sent is checked under
one lock for the answers, so no more than `MAX_REISSUES` fresh links are ever sent."""

import pytest
from django.core import mail

from portal import services
from portal.models import Invitation
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from
from testsupport.races import race

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def use(invitation):
    services.send_code(invitation)
    assert services.verify_code(invitation, code_from(mail.outbox[-1].body)).ok
    invitation.refresh_from_db()
    return invitation


def test_two_new_links_asked_for_at_once_from_two_used_links_send_one(point, invite):
    first = use(invite(point)[0])
    second = use(services.reissue(first))
    assert services.reissue(second) is not None  # the second fresh link: one more is allowed
    sent_before = len(MemorySMSBackend.outbox)

    results = race(lambda: services.reissue(first), lambda: services.reissue(second))

    assert not any(isinstance(result, Exception) for result in results), results
    assert sum(result is not None for result in results) == 1
    assert Invitation.objects.filter(sent_by__isnull=True).count() == services.MAX_REISSUES
    assert len(MemorySMSBackend.outbox) == sent_before + 1
    fresh = Invitation.objects.get(token_hash=services.tokens.hash_token(token_from(MemorySMSBackend.outbox[-1][1])))
    assert services.state(fresh) == "valid"
    # Both used links' sessions would still be open: neither was revoked.
    first.refresh_from_db(), second.refresh_from_db()
    assert services.state(first) == services.state(second) == "used"
