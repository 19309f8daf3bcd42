"""Sign-in, the second factor (TOTP), and choosing which organisation to act for."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actor import SESSION_KEY, active_memberships
from accounts.forms import OneTimeCodeForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def two_factor(request):
    """Verify a one-time code; on first use, set up the authenticator app with a QR code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Heimveg", confirmed=False)

    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        elif device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error("code", _("The code is not right, or it has expired. Enter the code your app shows now."))

    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request, "")}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("QR code for your authenticator app")
        )
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def switch_organisation(request):
    chosen = request.POST.get("membership")
    membership = active_memberships(request.user).filter(public_id=chosen).first() if chosen else None
    if membership is None:
        messages.error(request, _("You do not hold that role any more. Choose another."))
    else:
        request.session[SESSION_KEY] = str(membership.public_id)
        messages.success(
            request,
            _("You now act for %(organisation)s in the role %(role)s.")
            % {"organisation": membership.organisation.name, "role": membership.get_role_display()},
        )
    return redirect("home")
