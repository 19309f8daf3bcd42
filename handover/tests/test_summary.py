"""The worklist's handover box counts: messages waiting here, and messages that need attention
(not acknowledged in time, sent or received, or sent and never delivered), each message once."""

import datetime

import pytest
from django.utils import timezone

from handover import services
from handover.models import HandoverMessage

TODAY = datetime.date(2026, 11, 23)
PAST, FUTURE = TODAY - datetime.timedelta(days=3), TODAY + datetime.timedelta(days=3)


@pytest.fixture
def message(enrolment):
    def make(sender, recipient, *, acknowledge_by=FUTURE, delivered=True, acknowledged=False, failed=False):
        now = timezone.now()
        return HandoverMessage.objects.create(
            kind=HandoverMessage.Kind.POINT_COMPLETED,
            enrolment=enrolment,
            sender=sender,
            recipient=recipient,
            reason=HandoverMessage.Reason.MUNICIPALITY,
            acknowledge_by=acknowledge_by,
            delivered_at=now if delivered else None,
            acknowledged_at=now if acknowledged else None,
            failed_at=now if failed else None,
        )

    return make


def test_the_counts_take_each_message_once_and_only_the_organisations_own(message, orgs):
    hospital, askoy, voss = orgs["haukeland"], orgs["askoy"], orgs["voss"]
    message(hospital, askoy)  # waiting at Askøy, in time
    message(hospital, askoy, acknowledge_by=PAST)  # waiting at Askøy, late: an alert for both
    message(hospital, askoy, delivered=False)  # not arrived yet: neither waiting nor late
    message(hospital, askoy, acknowledge_by=PAST, acknowledged=True)  # done
    message(hospital, voss, acknowledge_by=PAST)  # Voss's
    message(hospital, voss, delivered=False, failed=True)  # never delivered: the sender's alert
    message(askoy, orgs["gp_office"], acknowledge_by=PAST)  # sent by Askøy, late
    message(askoy, orgs["gp_office"], delivered=False, failed=True, acknowledge_by=None)  # sent, failed

    assert services.summary(askoy, TODAY) == {"waiting": 2, "alerts": 3}
    assert services.summary(voss, TODAY) == {"waiting": 1, "alerts": 1}
    assert services.summary(hospital, TODAY) == {"waiting": 0, "alerts": 3}
    # The alert list of the messages page holds the same messages as the count.
    for organisation in (askoy, voss, hospital):
        assert services.alerts(organisation, TODAY).count() == services.summary(organisation, TODAY)["alerts"]


def test_a_health_trust_counts_the_messages_of_the_hospitals_it_covers(message, orgs):
    message(orgs["haukeland"], orgs["askoy"], acknowledge_by=PAST)
    message(orgs["haukeland"], orgs["voss"], delivered=False, failed=True)
    # Sent and received within the trust, and late: one alert, not one as sender and one as receiver.
    message(orgs["haukeland"], orgs["haukeland"], acknowledge_by=PAST)
    assert services.summary(orgs["helse_bergen"], TODAY) == {"waiting": 1, "alerts": 3}
    assert services.alerts(orgs["helse_bergen"], TODAY).count() == 3
