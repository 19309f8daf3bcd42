"""Counting attempts per caller in fixed time windows, in the database, so that every web process
and worker shares the same count and a restart forgets nothing.

    if not throttle.hit("registration:user", str(user.pk), limit=20, window=timedelta(hours=1)):
        ...refuse (429 or a message), and audit the refusal

`hit` counts one attempt and answers whether the caller is still within `limit` for the current
window; `count` reads without counting. The increment is one UPDATE ... SET count = count + 1 on a
row unique per (scope, key, window), so two requests at once both count (the first insert of a
window that loses the race to the unique constraint falls back to the update). Keys are stored
as an HMAC (the project's SECRET_KEY) of scope and key: the table holds no usernames, addresses
or ids. Call it outside long transactions where possible: the row lock on the window's row is
held until the caller's transaction ends. Old windows are pruned by the nightly job
`throttle_prune`.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from lib.models import ThrottleWindow


def _digest(scope: str, key: str) -> str:
    message = f"{scope}\x00{key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = max(1, int(window.total_seconds()))
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _row(scope: str, key: str, window: timedelta, now: datetime | None) -> tuple[QuerySet[ThrottleWindow], datetime]:
    start = _window_start(now or timezone.now(), window)
    return ThrottleWindow.objects.filter(scope=scope, digest=_digest(scope, key), window_start=start), start


def hit(scope: str, key: str, *, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one attempt of `key` at `scope`; True while the window's count is at most `limit`."""
    rows, start = _row(scope, key, window, now)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleWindow.objects.create(
                        scope=scope, digest=_digest(scope, key), window_start=start, expires_at=start + window, count=1
                    )
            except IntegrityError:  # another request created this window's row a moment ago
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).get()
    return count <= limit


def count(scope: str, key: str, *, window: timedelta, now: datetime | None = None) -> int:
    """Attempts of `key` at `scope` in the current window, without counting one."""
    rows, _start = _row(scope, key, window, now)
    return rows.values_list("count", flat=True).first() or 0


def retry_after(window: timedelta, now: datetime | None = None) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    now = now or timezone.now()
    end = _window_start(now, window) + window
    return max(1, int((end - now).total_seconds()))


def prune(now: datetime | None = None) -> int:
    """Delete windows that have ended; returns how many."""
    deleted, _ = ThrottleWindow.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
