import pytest

from accounts.actor import Actor
from accounts.models import Membership


@pytest.fixture
def actor_of():
    def make(user):
        return Actor(user=user, membership=Membership.objects.select_related("organisation").get(user=user))

    return make
