"""Sign-in events: written from Django's user_logged_in / user_login_failed signals (axes'
refusals of a locked-out user come through user_login_failed too), shown to the user on their
account page, counted per client address against password sprays, and pruned nightly."""

import datetime
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from accounts.client_ip import client_ip
from accounts.middleware import IDLE_SESSION_KEY
from accounts.models import SignInEvent, User

SESSION_EVENT = "heimveg_sign_in_event"
Outcome = SignInEvent.Outcome


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    event = SignInEvent.objects.create(
        user=user, occurred_at=timezone.now(), ip_address=_ip(request), outcome=Outcome.SUCCEEDED
    )
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_EVENT] = event.pk
        request.session[IDLE_SESSION_KEY] = time.time()  # signing in is activity (the idle timeout)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or ""
    # An unknown username is not stored: it may be a password typed in the wrong field.
    user = User.objects.filter(username=username).first() if username else None
    SignInEvent.objects.create(user=user, occurred_at=timezone.now(), ip_address=_ip(request), outcome=Outcome.FAILED)


def second_factor_passed(request):
    pk = request.session.get(SESSION_EVENT)
    if pk:
        SignInEvent.objects.filter(pk=pk, user=request.user).update(second_factor=True)


def second_factor_failed(request, user):
    SignInEvent.objects.create(
        user=user, occurred_at=timezone.now(), ip_address=_ip(request), outcome=Outcome.SECOND_FACTOR_FAILED
    )


def address_blocked(request, now=None):
    """Whether the client address has had more failed sign-ins within the window than allowed,
    whatever the usernames (a password spray): then every sign-in from it is refused."""
    now = now or timezone.now()
    address = _ip(request)
    if address is None:
        return False
    failures = SignInEvent.objects.filter(
        ip_address=address, outcome=Outcome.FAILED, occurred_at__gt=now - settings.HEIMVEG_SIGNIN_ADDRESS_WINDOW
    ).count()
    return failures >= settings.HEIMVEG_SIGNIN_ADDRESS_FAILURES


def prune(now=None):
    """Delete sign-in events older than HEIMVEG_SIGN_IN_EVENT_DAYS (the nightly job)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.HEIMVEG_SIGN_IN_EVENT_DAYS)
    deleted, _details = SignInEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted
