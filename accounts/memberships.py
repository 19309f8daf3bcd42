"""An organisation admin runs the memberships of their organisation and of the organisations it
covers (a health trust: its hospitals, `Organisation.covered()`): give a member another role, end
a membership (taking a role is ending that membership), unlock a member locked out by wrong
passwords, and see each member's last sign-in.

Each action is one transaction: the member's user row is locked first, then the membership, and
the rule is checked again under the locks, so of two admins acting at once one wins and the
other gets the current state. The audit entry is written last. An account (`User.is_active`) is
closed when its last active membership ends, and only then (or by the superuser in the Django
admin). A membership outside the admin's organisations is refused (`NotYourMember`); the view
audits the refusal."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import trail
from accounts.invitations import InvitationError, _require_admin, locked_member
from accounts.models import ROLE_ORGANISATION_KINDS, Membership, Role, SignInEvent


def managed_memberships(actor):
    """Every membership (active or ended) in the organisations the admin manages."""
    return Membership.objects.filter(organisation_id__in=actor.covered_ids).select_related("user", "organisation")


def roles_to_give(membership, held):
    """The roles that fit the membership's organisation and that its user does not hold there
    yet (`held`: the set of (user id, organisation id, role) of active memberships)."""
    kind = membership.organisation.kind
    return [
        (value, label)
        for value, label in Role.choices
        if kind in ROLE_ORGANISATION_KINDS[value]
        and (membership.user_id, membership.organisation_id, value) not in held
    ]


@transaction.atomic
def give_role(actor, membership_public_id, role, *, request=None):
    """Give the member of `membership_public_id` the role `role` in the same organisation: a new
    membership, or an ended one with that role made active again (one row per user, organisation
    and role)."""
    _require_admin(actor)
    membership, user = locked_member(actor, membership_public_id)
    organisation = membership.organisation
    if role not in Role.values or organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise InvitationError(_("This role does not fit this kind of organisation."), field="role")
    if not user.is_active:
        raise InvitationError(_("This person's account is closed. Only the national administrator can open it again."))
    given = Membership.objects.select_for_update().filter(user=user, organisation=organisation, role=role).first()
    if given is not None and given.is_active:
        raise InvitationError(_("The member already has this role."), field="role")
    if given is None:
        given = Membership.objects.create(user=user, organisation=organisation, role=role)
    else:
        given.is_active = True
        given.save(update_fields=["is_active"])
    trail.record(
        actor,
        trail.CREATE,
        object_type="account",
        detail=f"membership {given.public_id} role {role} given user {user.public_id}",
        request=request,
    )
    return given


@transaction.atomic
def end_membership(actor, membership_public_id, *, request=None):
    """End a membership (take the role away). When no active membership of the user remains, the
    account is closed as well. Returns (membership, account_closed)."""
    _require_admin(actor)
    membership, user = locked_member(actor, membership_public_id)
    if not membership.is_active:
        raise InvitationError(_("This membership has already ended."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    closed = False
    if user.is_active and not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        closed = True
    detail = f"membership {membership.public_id} ended user {user.public_id}"
    if closed:
        detail += " account deactivated"
    trail.record(actor, trail.UPDATE, object_type="account", detail=detail, request=request)
    return membership, closed


def _lockouts(usernames, now):
    """The usernames among `usernames` locked out now (django-axes: per username and address)."""
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gt=now - settings.AXES_COOLOFF_TIME,
        ).values_list("username", flat=True)
    )


@transaction.atomic
def unlock(actor, membership_public_id, *, request=None, now=None):
    """Remove the member's failed sign-ins counted by django-axes (from every address), so the
    member can sign in again at once."""
    _require_admin(actor)
    now = now or timezone.now()
    membership, user = locked_member(actor, membership_public_id)
    if not _lockouts([user.username], now):
        raise InvitationError(_("This member is not locked out."))
    removed, _details = AccessAttempt.objects.filter(username=user.username).delete()
    trail.record(
        actor,
        trail.UPDATE,
        object_type="account",
        detail=f"unlocked user {user.public_id} attempts removed {removed}",
        request=request,
    )
    return removed


def annotate(memberships, now=None):
    """Set `last_sign_in` (the last successful sign-in, or None), `locked_out` and `roles_to_give`
    on each membership, in a few queries however many there are."""
    now = now or timezone.now()
    user_ids = {m.user_id for m in memberships}
    last = dict(
        SignInEvent.objects.filter(user_id__in=user_ids, outcome=SignInEvent.Outcome.SUCCEEDED)
        .values("user_id")
        .annotate(last=Max("occurred_at"))
        .values_list("user_id", "last")
    )
    locked = _lockouts([m.user.username for m in memberships], now)
    held = set(
        Membership.objects.filter(user_id__in=user_ids, is_active=True).values_list(
            "user_id", "organisation_id", "role"
        )
    )
    for membership in memberships:
        membership.last_sign_in = last.get(membership.user_id)
        membership.locked_out = membership.user.username in locked
        membership.roles_to_give = roles_to_give(membership, held) if membership.is_active else []
    return memberships


def administrators_for(user):
    """The active organisation admins a user can ask: of the organisations the user has or had a
    membership in, and of the health trusts that cover them. Names and organisations only."""
    if user is None or not user.is_authenticated:
        return []
    organisations = set()
    for membership in Membership.objects.filter(user=user).select_related("organisation__parent"):
        organisation = membership.organisation
        organisations.add(organisation.pk)
        if organisation.parent_id and organisation.parent.kind == organisation.Kind.HEALTH_TRUST:
            organisations.add(organisation.parent_id)
    return list(
        Membership.objects.filter(
            organisation_id__in=organisations, role=Role.ORG_ADMIN, is_active=True, user__is_active=True
        )
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
