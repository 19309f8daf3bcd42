"""What a handover message holds, as a JSON snapshot taken when it is written. Texts that exist in
several languages (point titles) are kept in all of them; codes (areas of need) are kept as codes
and named in the reader's language when shown."""

from assessment.models import Assessment, FollowUp
from pathway.models import PathwayEvent


def _date(value):
    return value.isoformat() if value else None


def person_name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _contact_points(organisation):
    return [
        {"name": cp.name, "phone": cp.phone, "email": cp.email, "opening_hours": cp.opening_hours}
        for cp in organisation.contact_points.all()
    ]


def contacts(enrolment, sender, sent_by):
    """Who to call on both sides: the sender's contact points and the person who sent; the
    patient's municipality's contact points and the patient's fixed contact person there."""
    municipality = enrolment.patient.municipality
    return {
        "sender": {
            "organisation": sender.name,
            "person": person_name(sent_by),
            "contact_points": _contact_points(sender),
        },
        "municipality": {
            "organisation": municipality.name,
            "person": person_name(enrolment.contact_person),
            "contact_points": _contact_points(municipality),
        },
    }


def _point_line(point):
    return {
        "key": point.key,
        "title": point.title,
        "opens": _date(point.window_opens),
        "closes": _date(point.window_closes),
        "responsible": point.responsible_organisation.name,
    }


def _follow_up_line(follow_up):
    return {
        "need": follow_up.need,
        "action": follow_up.action,
        "responsible": follow_up.responsible,
        "status": follow_up.status,
    }


def _declined_point_ids(enrolment):
    return set(
        PathwayEvent.objects.filter(enrolment=enrolment, kind=PathwayEvent.Kind.SHARING_DECLINED).values_list(
            "point_id", flat=True
        )
    )


def point_completed(point, *, sender, sent_by, sharing_declined):
    enrolment = point.enrolment
    next_point = (
        enrolment.points.filter(sequence__gt=point.sequence, outcome="")
        .select_related("responsible_organisation")
        .order_by("sequence")
        .first()
    )
    content = {
        "point": {
            "key": point.key,
            "title": point.title,
            "completed_on": _date(point.outcome_on),
            "place": point.place,
            "by": person_name(point.outcome_by),
        },
        "next_point": _point_line(next_point) if next_point else None,
        "contacts": contacts(enrolment, sender, sent_by),
        "assessment": None,
        "follow_ups": [],
    }
    if sharing_declined:
        return content
    assessment = Assessment.objects.filter(point=point, completed_at__isnull=False).select_related("response").first()
    if assessment is not None:
        response = assessment.response
        content["assessment"] = {
            "summary": assessment.summary,
            "questionnaire": response.questionnaire_id,
            "distress_score": response.distress_score,
            "areas": list(response.areas),
            "help_areas": list(response.help_areas),
        }
        follow_ups = assessment.follow_ups.select_related("responsible_organisation")
        content["follow_ups"] = [_follow_up_line(f) for f in follow_ups]
    return content


def transfer(enrolment, *, old_municipality, sender, sent_by):
    """For the new municipality: the open points (now its own) and the follow-up actions still
    running, from assessments the patient agreed to share."""
    open_points = enrolment.points.filter(outcome="").select_related("responsible_organisation")
    follow_ups = (
        FollowUp.objects.filter(
            assessment__point__enrolment=enrolment,
            assessment__completed_at__isnull=False,
            status__in=[FollowUp.Status.PLANNED, FollowUp.Status.STARTED],
        )
        .exclude(assessment__point_id__in=_declined_point_ids(enrolment))
        .select_related("responsible_organisation")
    )
    return {
        "from": old_municipality.name,
        "to": enrolment.patient.municipality.name,
        "open_points": [_point_line(p) for p in open_points],
        "follow_ups": [_follow_up_line(f) for f in follow_ups],
        "previous_contact_person": _previous_contact_person(enrolment),
        "contacts": contacts(enrolment, sender, sent_by),
    }


def _previous_contact_person(enrolment):
    """The fixed contact person the old municipality had named, for the new one to call."""
    if not enrolment.previous_contact_person_id:
        return None
    municipality = enrolment.previous_contact_municipality
    return {
        "name": person_name(enrolment.previous_contact_person),
        "organisation": municipality.name if municipality else "",
    }


def offer_declined(enrolment, *, event, sender, sent_by):
    """For the GP: the patient declined the pathway, when, and when the hospital asks again."""
    return {
        "event": event.pk,
        "declined_on": _date(event.on_date),
        "ask_again_on": _date(enrolment.ask_again_on),
        "recorded_by": person_name(sent_by),
        "contacts": contacts(enrolment, sender, sent_by),
    }


def bereavement(enrolment, *, sender, sent_by):
    patient = enrolment.patient
    relatives = patient.relatives.order_by("-is_next_of_kin", "name")
    return {
        "died_on": _date(patient.date_of_death),
        "relatives": [
            {
                "name": r.name,
                "relation": r.relation,
                "phone": r.phone,
                "is_child": r.is_child,
                "is_next_of_kin": r.is_next_of_kin,
            }
            for r in relatives
        ],
        "contacts": contacts(enrolment, sender, sent_by),
    }
