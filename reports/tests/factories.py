"""Small, exact test data for the reports, written straight to the tables so that each indicator
can be checked against a count done by hand (the services' own rules are tested in their apps)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from assessment.models import Assessment, QuestionnaireResponse
from conftest import synthetic_id
from handover.models import HandoverMessage
from lib import nin
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment
from pathway.services import definition_record
from patients.models import Patient

OSLO = ZoneInfo("Europe/Oslo")
_births = itertools.count()


def patient(municipality, registered_by):
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=next(_births) * 37)
    return Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Test",
        family_name="Rapport",
        municipality=municipality,
        registered_by=registered_by,
    )


def enrolment(municipality, hospital, diagnosed, offer="accepted", *, ended=False):
    return Enrolment.objects.create(
        patient=patient(municipality, hospital),
        definition=definition_record(),
        diagnosis_date=diagnosed,
        icd10_code="C50.9",
        icd10_name="Brystkreft",
        treatment_intent="curative",
        enrolling_organisation=hospital,
        offer=offer,
        ended_at=datetime.datetime(2026, 1, 1, tzinfo=OSLO) if ended else None,
    )


SEQUENCE = {"sp1": 0, "sp2": 1, "sp3": 2}


def point(enrolment, key, responsible, opens, closes, outcome="", on=None):
    return CollaborationPoint.objects.create(
        enrolment=enrolment,
        key=key,
        sequence=SEQUENCE[key],
        title={"nb": key, "nn": key, "en": key},
        care_level="hospital" if key == "sp1" else "municipality",
        responsible_organisation=responsible,
        window_opens=opens,
        window_closes=closes,
        outcome=outcome,
        outcome_on=on,
    )


def conversation(point, *, distress=None, help_areas=()):
    response = QuestionnaireResponse.objects.create(
        point=point,
        questionnaire_id="heimveg-needs-adult",
        questionnaire_version="1",
        source="professional",
        status="completed",
        distress_score=distress,
        help_areas=list(help_areas),
    )
    return Assessment.objects.create(
        point=point,
        response=response,
        organisation=point.responsible_organisation,
        completed_at=datetime.datetime.combine(point.outcome_on, datetime.time(12), tzinfo=OSLO),
    )


def message(enrolment, sender, recipient, written, acknowledge_by, acknowledged=None):
    msg = HandoverMessage.objects.create(
        kind="point_completed",
        enrolment=enrolment,
        sender=sender,
        recipient=recipient,
        reason="municipality",
        acknowledge_by=acknowledge_by,
        acknowledged_at=datetime.datetime.combine(acknowledged, datetime.time(10), tzinfo=OSLO)
        if acknowledged
        else None,
    )
    # created_at is auto_now_add: set the moment it was written afterwards.
    HandoverMessage.objects.filter(pk=msg.pk).update(
        created_at=datetime.datetime.combine(written, datetime.time(9), tzinfo=OSLO)
    )
    return msg


def bereavement(enrolment, municipality, created, contacted=None):
    follow_up = BereavementFollowUp.objects.create(
        enrolment=enrolment, municipality=municipality, contacted_on=contacted
    )
    BereavementFollowUp.objects.filter(pk=follow_up.pk).update(
        created_at=datetime.datetime.combine(created, datetime.time(9), tzinfo=OSLO)
    )
    return follow_up


def figures(*rows, national=False):
    """A scope's figures as `reports.indicators.load` reads them back, without the database: rows
    of (measure, month, key, category, count), and for handover messages (..., received, sent),
    the messages of the row that the scope's organisations received and sent."""
    from reports.indicators import Figures

    return Figures(
        [
            {
                "measure": measure,
                "month": month,
                "key": key,
                "category": category,
                "total": count,
                "received": directions[0] if directions else None,
                "sent": directions[1] if directions else None,
            }
            for measure, month, key, category, count, *directions in rows
        ],
        national=national,
    )
