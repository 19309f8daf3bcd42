"""The organisation admin's pages for its members: the list of members and open invitations,
invite, revoke an invitation, reset a member's second factor, deactivate a membership. Every action
is audited (accounts.invitations). Issue #17 builds richer pages on these."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations
from accounts.decorators import actor_required
from accounts.forms import InvitationForm
from accounts.models import Membership, Role


@actor_required(Role.ORG_ADMIN)
def members(request):
    organisation = request.actor.organisation
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "role")
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
            "open_invitations": invitations.open_invitations(organisation).order_by("-created_at"),
            "now": timezone.now(),
        },
    )


@actor_required(Role.ORG_ADMIN)
def invite(request):
    form = InvitationForm(
        request.POST or None, organisation=request.actor.organisation, initial={"language": get_language()}
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
                request=request,
            )
        except invitations.InvitationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The invitation is sent to %(email)s.") % {"email": data["email"]})
            return redirect("accounts:members")
    return render(request, "accounts/invite.html", {"form": form})


def _act(request, action, success):
    try:
        action()
    except invitations.InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("accounts:members")


@require_POST
@actor_required(Role.ORG_ADMIN)
def revoke(request, public_id):
    return _act(
        request,
        lambda: invitations.revoke(request.actor, public_id, request=request),
        _("The invitation is revoked: its link no longer works."),
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def reset_second_factor(request, public_id):
    return _act(
        request,
        lambda: invitations.reset_second_factor(request.actor, public_id, language=get_language(), request=request),
        _("The member's authenticator is removed, and a link to set up a new one is sent by e-mail."),
    )


@require_POST
@actor_required(Role.ORG_ADMIN)
def deactivate(request, public_id):
    return _act(
        request,
        lambda: invitations.deactivate(request.actor, public_id, request=request),
        _("The membership is deactivated."),
    )
