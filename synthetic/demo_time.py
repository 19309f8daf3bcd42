"""The demo's clock: everything in the demo is dated relative to the day it is built for."""

import datetime

from django.utils import timezone


def moment_on(today):
    """The demo's "now" on `today`: the clock's time when today is the clock's day, else midday
    (Europe/Oslo) of that day, so that a demo built for another day is consistent in itself."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
