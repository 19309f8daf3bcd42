"""The organisation admin's pages for its members (of its organisation and those it covers): the
list of members with their last sign-in and open invitations, invite, revoke an invitation, reset
a member's second factor, give a role, end a membership (take a role), unlock. Every action is
audited (accounts.invitations, accounts.memberships); so is a refusal for a member elsewhere."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations, trail
from accounts import memberships as membership_services
from accounts.decorators import actor_required
from accounts.forms import InvitationForm
from accounts.models import Role


@actor_required(Role.ORG_ADMIN)
def members(request):
    organisation = request.actor.organisation
    now = timezone.now()
    memberships = membership_services.annotate(
        list(
            membership_services.managed_memberships(request.actor).order_by(
                "-is_active", "user__last_name", "user__first_name", "organisation__name", "role"
            )
        ),
        now,
    )
    with_device = set(
        TOTPDevice.objects.filter(user__in=[m.user_id for m in memberships], confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    for membership in memberships:
        membership.has_device = membership.user_id in with_device
    return render(
        request,
        "accounts/members.html",
        {
            "memberships": memberships,
            "open_invitations": invitations.open_invitations(
                organisation, now, covered_ids=request.actor.covered_ids
            ).order_by("-created_at"),
            "now": now,
            "several_organisations": len(request.actor.covered_ids) > 1,
            "provider_required": _provider_required(organisation),
        },
    )


def _provider_required(organisation):
    from accounts.oidc import policy

    return policy.required_for(organisation.pk)


@actor_required(Role.ORG_ADMIN)
def invite(request):
    organisation = request.actor.organisation
    form = InvitationForm(
        request.POST or None,
        organisation=organisation,
        covered=organisation.covered().order_by("name") if len(request.actor.covered_ids) > 1 else (),
        initial={"language": get_language()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitations.invite(
                request.actor,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                hpr_number=data["hpr_number"],
                national_id=data["national_id"],
                language=data["language"],
                organisation=form.chosen_organisation(),
                request=request,
            )
        except invitations.InvitationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The invitation is sent to %(email)s.") % {"email": data["email"]})
            return redirect("accounts:members")
    return render(request, "accounts/invite.html", {"form": form})


def _act(request, action, success, what, public_id):
    """Run a member action; a refusal for a member or invitation outside the admin's organisations
    is audited and answered with 403 and the reason, any other refusal with its message."""
    try:
        result = action()
    except invitations.NotYourMember as error:
        trail.record(
            request.actor,
            trail.DENIED,
            object_type="account",
            detail=f"refused {what} {public_id}: not in the admin's organisations",
            request=request,
        )
        return render(request, "accounts/member_refused.html", {"message": error.message}, status=403)
    except invitations.InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("accounts:members")


@require_POST
@actor_required(Role.ORG_ADMIN)
def revoke(request, public_id):
    return _act(
        request,
        lambda: invitations.revoke(request.actor, public_id, request=request),
        _("The invitation is revoked: its link no longer works."),
        "revoke invitation",
        public_id,
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def reset_second_factor(request, public_id):
    return _act(
        request,
        lambda: invitations.reset_second_factor(request.actor, public_id, language=get_language(), request=request),
        _("The member's authenticator is removed, and a link to set up a new one is sent by e-mail."),
        "reset second factor",
        public_id,
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def deactivate(request, public_id):
    def success(result):
        _membership, closed = result
        if closed:
            return _("The membership has ended. It was the person's last one, so the account is closed.")
        return _("The membership has ended. The person keeps their other roles.")

    return _act(
        request,
        lambda: membership_services.end_membership(request.actor, public_id, request=request),
        success,
        "end membership",
        public_id,
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def give_role(request, public_id):
    return _act(
        request,
        lambda: membership_services.give_role(request.actor, public_id, request.POST.get("role", ""), request=request),
        lambda given: _("The role “%(role)s” is given.") % {"role": given.get_role_display()},
        "give role",
        public_id,
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def unlock(request, public_id):
    return _act(
        request,
        lambda: membership_services.unlock(request.actor, public_id, request=request),
        _("The member is unlocked and can sign in again now."),
        "unlock",
        public_id,
    )


@actor_required(Role.ORG_ADMIN)
@require_POST
def sign_in_policy(request):
    """The organisation's sign-in policy: require sign-in through an identity provider or not."""
    from accounts.oidc import policy

    required = request.POST.get("provider_required") == "on"
    policy.set_required(request.actor, required, request=request)
    if required:
        messages.success(request, _("Members of this organisation must now sign in through an identity provider."))
    else:
        messages.success(request, _("Members of this organisation may sign in with a password and a code again."))
    return redirect("accounts:members")
