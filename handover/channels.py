"""Delivery channels. A channel takes a message and the delivery's idempotency key and either
delivers it (returning a short receipt, without personal data) or raises. Channels are listed
in `settings.HANDOVER_CHANNELS` as dotted paths; a later one (FHIR) plugs in the same way.

- `HeimvegChannel` puts the message in the receiving organisation's inbox in Heimveg (both
  parties use Heimveg). It is a conditional update, so a repeat is a no-op.
- `EmailNotificationChannel` tells the receiver's contact points by e-mail that a message has
  arrived, with a link to Heimveg and no personal data. The idempotency key is the e-mail's
  Message-ID, so a mail system can drop a repeat sent after a crash between sending and
  recording the delivery (e-mail is at-least-once; the message itself is exactly-once). With no
  address to go to it raises `NoAddress`: the delivery waits for an address (never marked as
  sent) and the receiver's admins get a missing-address alert (handover.outbox).
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from directory import alerts
from directory.models import MissingAddressAlert
from handover import rules
from handover.models import HandoverMessage
from lib.links import absolute_reverse

# The delivery's last_error while it waits for an address (handover.outbox, jobs.health).
NO_ADDRESS = "no e-mail address registered"


class NoAddress(Exception):
    """The receiver has no address for this channel: the delivery waits until it has one."""


def acknowledge_by(delivered_on: datetime.date) -> datetime.date:
    """The day by which a message that arrived in the inbox on `delivered_on` is to be
    acknowledged: HANDOVER_ACKNOWLEDGE_WORKING_DAYS working days later (handover.rules)."""
    return rules.add_working_days(delivered_on, settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS)


class Channel:
    key = ""

    def deliver(self, message: HandoverMessage, idempotency_key: str) -> str:
        raise NotImplementedError


class HeimvegChannel(Channel):
    key = "heimveg"

    def deliver(self, message, idempotency_key):
        now = timezone.now()
        due = acknowledge_by(timezone.localdate(now))
        updated = HandoverMessage.objects.filter(pk=message.pk, delivered_at__isnull=True).update(
            delivered_at=now, acknowledge_by=due
        )
        return "in the inbox" if updated else "already in the inbox"


class EmailNotificationChannel(Channel):
    key = "email"

    def deliver(self, message, idempotency_key):
        addresses = alerts.e_mail_addresses(message.recipient)
        if not addresses:
            # The message is in the receiver's inbox; the notice has nowhere to go yet. The outbox
            # keeps it waiting and tells the receiver's admins and the national admins.
            raise NoAddress(NO_ADDRESS)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Heimveg: a new handover message for %(org)s") % {"org": message.recipient.name}
            body = "\n\n".join(
                [
                    _("A handover message for %(org)s has arrived in Heimveg.") % {"org": message.recipient.name},
                    _("The message itself is only in Heimveg. Sign in to read and acknowledge it: %(url)s")
                    % {"url": absolute_reverse("handover:inbox")},
                ]
            )
        email = EmailMessage(
            subject,
            body,
            to=addresses,
            headers={"Message-ID": f"<{idempotency_key}@heimveg>", "X-Heimveg-Idempotency-Key": idempotency_key},
        )
        email.send(fail_silently=False)
        alerts.resolve(message.recipient, MissingAddressAlert.Kind.HANDOVER_NOTICE)
        return f"e-mail to {len(addresses)} address(es)"


@lru_cache(maxsize=1)
def configured() -> dict[str, Channel]:
    channels = {}
    for path in settings.HANDOVER_CHANNELS:
        channel = import_string(path)()
        if not channel.key or channel.key in channels:
            raise ImproperlyConfigured(f"HANDOVER_CHANNELS: {path} needs a key of its own")
        channels[channel.key] = channel
    return channels


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting == "HANDOVER_CHANNELS":
        configured.cache_clear()


def check_configuration():
    configured.cache_clear()
    if not configured():
        raise ImproperlyConfigured("HANDOVER_CHANNELS is empty: handover messages could not be delivered")
