"""Sign-in, the second factor (TOTP), choosing which organisation to act for, the staff
invitation link, the user's own account page (password, recent sign-ins) and the idle keep-alive."""

import base64
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations, sign_ins, trail
from accounts.actor import SESSION_KEY, active_memberships
from accounts.forms import OneTimeCodeForm, RedeemForm, ResetRedeemForm, SignInForm
from accounts.models import Invitation, SignInEvent


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if sign_ins.address_blocked(request):
            trail.record(
                None,
                trail.DENIED,
                object_type="account",
                detail="sign-in refused: address throttled",
                request=request,
            )
            return render(request, "accounts/address_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("__all__", "provider_required"):
            trail.record(
                None,
                trail.DENIED,
                object_type="account",
                detail=f"password sign-in refused: provider sign-in required user {form.get_user().public_id}",
                request=self.request,
            )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = _staff_providers()
        return context


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _qr_context(key_hex, label):
    """The QR code and the typed key for an authenticator app, for a key made for one session."""
    secret = base64.b32encode(bytes.fromhex(key_hex)).decode()
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    params = urlencode({"secret": secret, "algorithm": "SHA1", "digits": 6, "period": 30})
    url = f"otpauth://totp/{quote(f'{issuer}:{label}')}?{params}&issuer={quote(issuer)}"
    return {
        "qr_svg": segno.make(url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app")),
        "secret": secret,
    }


@login_required
def two_factor(request):
    """Verify a one-time code. A user without a confirmed device is never shown a key here (a
    password alone must not be enough to enrol): they need an invitation or reset link."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return render(request, "accounts/two_factor_missing.html")

    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.cycle_key()  # a new session id at each step of the sign-in
            sign_ins.second_factor_passed(request)
            return redirect(_safe_next(request))
        else:
            sign_ins.second_factor_failed(request, user)
            form.add_error("code", _("The code is not right, or it has expired. Enter the code your app shows now."))

    return render(request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request, "")})


@login_required
@require_POST
def switch_organisation(request):
    chosen = request.POST.get("membership")
    membership = active_memberships(request.user).filter(public_id=chosen).first() if chosen else None
    if membership is None:
        messages.error(request, _("You do not hold that role any more. Choose another."))
    else:
        request.session.cycle_key()  # a new session id at each step, the organisation choice too
        request.session[SESSION_KEY] = str(membership.public_id)
        messages.success(
            request,
            _("You now act for %(organisation)s in the role %(role)s.")
            % {"organisation": membership.organisation.name, "role": membership.get_role_display()},
        )
    return redirect("home")


# The staff invitation link -------------------------------------------------------------------------


def invitation_open(request, token):
    """The link from the e-mail: a valid one is bound to a fresh session and the browser goes on to
    a URL without the token; any other (used, revoked, expired, unknown) touches nothing."""
    invitation = invitations.find(token)
    if invitation is None or invitation.state(timezone.now()) != "valid":
        return render(request, "accounts/invitation_invalid.html", status=410)
    invitations.bind_to_session(request, invitation)
    return redirect("accounts:invitation_redeem")


def invitation_redeem(request):
    invitation, key_hex = invitations.from_session(request)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    is_reset = invitation.kind == Invitation.Kind.SECOND_FACTOR_RESET
    if is_reset:
        form = ResetRedeemForm(request.POST or None)
        label = invitation.user.get_username()
    else:
        label = invitation.email.lower()
        form = RedeemForm(request.POST or None, user=invitations.new_member_user(invitation, label))
    if request.method == "POST" and form.is_valid():
        step = invitations.code_step(key_hex, form.cleaned_data["code"])
        if step is None:
            form.add_error("code", _("The code is not right, or it has expired. Enter the code your app shows now."))
        elif is_reset and not _password_right(request, invitation.user, form.cleaned_data["password"]):
            form.add_error("password", _("The password is not right."))
        else:
            password = form.cleaned_data.get("password1") or form.cleaned_data.get("password")
            try:
                user, device = invitations.redeem(
                    invitation.public_id, key_hex=key_hex, step=step, password=password, request=request
                )
            except invitations.InvitationError as error:
                return render(request, "accounts/invitation_invalid.html", {"reason": error.message}, status=409)
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                request.session.pop(invitations.SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                request.session.cycle_key()
                sign_ins.second_factor_passed(request)
                messages.success(request, _("Your sign-in is set up. Welcome to Heimveg."))
                return redirect("home")
    context = {"form": form, "invitation": invitation, "is_reset": is_reset, "username": label}
    context["providers"] = _staff_providers()
    context.update(_qr_context(key_hex, label))
    return render(request, "accounts/invitation_redeem.html", context)


def _staff_providers():
    from accounts.oidc import providers, purposes

    return providers.for_purpose(purposes.STAFF)


def _password_right(request, user, password):
    """The member's password on a reset link, through authenticate (so axes counts failures)."""
    from django.contrib.auth import authenticate

    return authenticate(request, username=user.get_username(), password=password) == user


# The user's own account ----------------------------------------------------------------------------


@login_required
def account(request):
    events = SignInEvent.objects.filter(user=request.user)[:20]
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "accounts/account.html",
        {"events": events, "has_device": has_device, "linked": _linked_providers(request.user)},
    )


def _linked_providers(user):
    """The sign-in services the user is bound to (name and since when), for "My account"."""
    from accounts.oidc import providers

    names = {p.key: p.name for p in providers.all_providers()}
    return [
        (names.get(identity.provider_key, identity.provider_key), identity.created_at)
        for identity in user.provider_identities.order_by("created_at")
    ]


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the old password, the new one twice (validated, zxcvbn included), and the
    session kept (update_session_auth_hash); other sessions of the user end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        trail.record(
            _self_actor(self.request),
            trail.UPDATE,
            object_type="account",
            detail=f"password changed user {form.user.public_id}",
            request=self.request,
        )
        messages.success(self.request, _("Your password is changed."))
        return response


def _self_actor(request):
    return getattr(request, "actor", None) or type("A", (), {"user": request.user})()


@require_http_methods(["GET", "POST"])
def keep_alive(request):
    """The idle warning's endpoint (accounts/static/accounts/idle.js). POST, "Stay signed in", is a
    request like any other and so renews the idle timer (IdleTimeoutMiddleware): 204. GET with the
    X-Heimveg-Idle-Check header does not renew it and tells how many seconds are left (another tab
    may have been used). 401 when the session has ended."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if request.method == "POST":
        return HttpResponse(status=204)
    return JsonResponse({"remaining": request.heimveg_idle["remaining"]})
