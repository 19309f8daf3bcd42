"""Missing-address alerts (see MissingAddressAlert): raised when a reminder or notice found no
e-mail address, resolved when one went out. Never carries personal data: an organisation, a kind
and a count."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import MissingAddressAlert


def e_mail_addresses(organisation):
    """The organisation's contact-point e-mail addresses (uses a prefetched `contact_points`)."""
    return sorted({cp.email for cp in organisation.contact_points.all() if cp.email})


def raise_alert(organisation, kind, count=1, now=None):
    now = now or timezone.now()
    updated = MissingAddressAlert.objects.filter(organisation=organisation, kind=kind, resolved_at__isnull=True).update(
        count=count, last_seen_at=now
    )
    if updated:
        return
    try:
        with transaction.atomic():
            MissingAddressAlert.objects.create(
                organisation=organisation, kind=kind, count=count, first_seen_at=now, last_seen_at=now
            )
    except IntegrityError:  # raised at the same moment by another worker: the open alert exists
        pass


def resolve(organisation, kind, now=None):
    MissingAddressAlert.objects.filter(organisation=organisation, kind=kind, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now()
    )


def open_alerts(organisation=None):
    """Open alerts, of one organisation or (national admins) of all."""
    alerts = MissingAddressAlert.objects.filter(resolved_at__isnull=True).select_related("organisation")
    return alerts.filter(organisation=organisation) if organisation is not None else alerts
