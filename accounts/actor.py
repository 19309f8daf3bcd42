"""Who is acting: the signed-in user and the membership (organisation + role) they act in."""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from accounts.models import CLINICAL_ROLES, Membership, Role, User

if TYPE_CHECKING:
    from directory.models import Organisation

SESSION_KEY = "heimveg_membership"


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership

    @property
    def organisation(self) -> "Organisation":
        return self.membership.organisation

    @cached_property
    def covered_ids(self):
        """Organisation.covered_ids() of the acting organisation, fetched at most once for the
        actor (that is, once a request), as a page may need them for each collaboration point."""
        return self.organisation.covered_ids()

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_clinical(self):
        return self.role in CLINICAL_ROLES

    @property
    def is_org_admin(self):
        return self.role == Role.ORG_ADMIN


def active_memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True, user__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def actor_for(request):
    """The actor for this request, from the membership chosen in the session (or the first)."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = list(active_memberships(user))
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in memberships if str(m.public_id) == chosen), memberships[0])
    request.memberships = memberships
    return Actor(user=user, membership=membership)
