"""The GP is told when the patient declines the offer: one handover message to the patient's GP
office for each decline, written in the transaction that recorded it."""

import pytest
from django.db import transaction

from assessment.tests import factories
from handover.models import HandoverMessage
from handover.outbox import deliver_due
from pathway import services
from pathway.models import Offer

Kind = HandoverMessage.Kind


def gp_messages(enrolment):
    return HandoverMessage.objects.filter(enrolment=enrolment, kind=Kind.OFFER_DECLINED)


def test_a_decline_sends_exactly_one_message_to_the_gp(actor_of, personas, patient, orgs, today):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer=Offer.NOT_ASKED)
    assert not gp_messages(enrolment).exists()

    services.record_offer(nurse, enrolment, Offer.DECLINED)
    message = gp_messages(enrolment).get()
    assert (message.recipient, message.reason, message.sender) == (orgs["gp_office"], "gp", orgs["haukeland"])
    assert message.content["declined_on"] == today.isoformat()
    assert message.content["ask_again_on"] == enrolment.ask_again_on.isoformat()
    assert message.deliveries.count() >= 1  # in the outbox, delivered by the worker
    assert enrolment.events.filter(kind="handover_sent", data__kind=Kind.OFFER_DECLINED).count() == 1

    # The same decline recorded again is refused as no change, and nothing more is sent.
    with pytest.raises(services.PathwayRuleError):
        services.record_offer(nurse, enrolment, Offer.DECLINED)
    assert gp_messages(enrolment).count() == 1


def test_a_new_decline_after_an_acceptance_is_told_again(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer=Offer.DECLINED)
    assert gp_messages(enrolment).count() == 1  # declined at enrolment
    services.record_offer(nurse, enrolment, Offer.ACCEPTED)
    assert gp_messages(enrolment).count() == 1
    services.record_offer(nurse, enrolment, Offer.DECLINED)
    assert gp_messages(enrolment).count() == 2


def test_the_message_is_written_in_the_transaction_of_the_decline(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer=Offer.NOT_ASKED)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_offer(nurse, enrolment, Offer.DECLINED)
        raise RuntimeError("the request failed after the decline")
    enrolment.refresh_from_db()
    assert enrolment.offer == Offer.NOT_ASKED
    assert not gp_messages(enrolment).exists()


def test_accepting_tells_the_gp_nothing_and_a_patient_without_gp_gets_no_message(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer=Offer.ACCEPTED)
    assert not gp_messages(enrolment).exists()
    patient.gp_office = None
    patient.save()
    services.record_offer(nurse, enrolment, Offer.DECLINED)
    assert not gp_messages(enrolment).exists()


def test_the_gp_reads_the_decline_in_its_inbox(actor_of, personas, patient, client_for):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer=Offer.NOT_ASKED)
    services.record_offer(nurse, enrolment, Offer.DECLINED)
    deliver_due()
    message = gp_messages(enrolment).get()
    client = client_for(personas["gp"])
    assert "The patient declined the pathway" in client.get("/handover/").content.decode()
    page = client.get(f"/handover/messages/{message.public_id}/").content.decode()
    assert "The patient declined the offer of the pathway" in page
    assert (enrolment.ask_again_on).strftime("%d.%m.%Y") in page
