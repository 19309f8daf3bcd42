"""What a handover message holds, as a JSON snapshot taken when it is written. Texts that exist in
several languages (point titles) are kept in all of them; codes (areas of need) are kept as codes
and named in the reader's language when shown.

Each body is laid out by a function of plain values (`*_body`, `point_line`, `contacts_body`, …);
the functions of records read the database and call them. The national generator
(synthetic/national) calls the plain ones, so a change to a message's content changes both.
"""

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


def contacts_body(*, sender, sent_by, sender_contact_points, municipality, contact_person, municipality_contact_points):
    """Who to call on both sides, from names: organisations' and people's names as text."""
    return {
        "sender": {"organisation": sender, "person": sent_by, "contact_points": sender_contact_points},
        "municipality": {
            "organisation": municipality,
            "person": contact_person,
            "contact_points": municipality_contact_points,
        },
    }


def contacts(enrolment, sender, sent_by):
    """Who to call on both sides: the sender's contact points and the person who sent; the
    patient's municipality's contact points and the patient's fixed contact person there."""
    municipality = enrolment.patient.municipality
    return contacts_body(
        sender=sender.name,
        sent_by=person_name(sent_by),
        sender_contact_points=_contact_points(sender),
        municipality=municipality.name,
        contact_person=person_name(enrolment.contact_person),
        municipality_contact_points=_contact_points(municipality),
    )


def point_line(*, key, title, opens, closes, responsible):
    """A collaboration point as a message lists it (the next point, the points that moved)."""
    return {"key": key, "title": title, "opens": _date(opens), "closes": _date(closes), "responsible": responsible}


def _point_line(point):
    return point_line(
        key=point.key,
        title=point.title,
        opens=point.window_opens,
        closes=point.window_closes,
        responsible=point.responsible_organisation.name,
    )


def follow_up_line(*, need, action, responsible, status):
    return {"need": need, "action": action, "responsible": responsible, "status": status}


def _follow_up_line(follow_up):
    return follow_up_line(
        need=follow_up.need, action=follow_up.action, responsible=follow_up.responsible, status=follow_up.status
    )


def assessment_line(*, summary, questionnaire, distress_score, areas, help_areas):
    """The completed assessment as handed over (areas and help areas as codes)."""
    return {
        "summary": summary,
        "questionnaire": questionnaire,
        "distress_score": distress_score,
        "areas": list(areas),
        "help_areas": list(help_areas),
    }


def point_completed_body(*, point, next_point, contacts, assessment, follow_ups, sharing_declined):
    """`point`: key, title, completed_on, place, by; `next_point` a `point_line` or None. When the
    patient declined sharing, neither the assessment nor its follow-up actions go along."""
    return {
        "point": {
            "key": point["key"],
            "title": point["title"],
            "completed_on": _date(point["completed_on"]),
            "place": point["place"],
            "by": point["by"],
        },
        "next_point": next_point,
        "contacts": contacts,
        "assessment": None if sharing_declined else assessment,
        "follow_ups": [] if sharing_declined or assessment is None else list(follow_ups),
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
    assessment_body, follow_ups = None, []
    assessment = None
    if not sharing_declined:
        assessment = (
            Assessment.objects.filter(point=point, completed_at__isnull=False).select_related("response").first()
        )
    if assessment is not None:
        response = assessment.response
        assessment_body = assessment_line(
            summary=assessment.summary,
            questionnaire=response.questionnaire_id,
            distress_score=response.distress_score,
            areas=response.areas,
            help_areas=response.help_areas,
        )
        follow_ups = [_follow_up_line(f) for f in assessment.follow_ups.select_related("responsible_organisation")]
    return point_completed_body(
        point={
            "key": point.key,
            "title": point.title,
            "completed_on": point.outcome_on,
            "place": point.place,
            "by": person_name(point.outcome_by),
        },
        next_point=_point_line(next_point) if next_point else None,
        contacts=contacts(enrolment, sender, sent_by),
        assessment=assessment_body,
        follow_ups=follow_ups,
        sharing_declined=sharing_declined,
    )


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
    return transfer_body(
        old_municipality=old_municipality.name,
        new_municipality=enrolment.patient.municipality.name,
        open_points=[_point_line(p) for p in open_points],
        follow_ups=[_follow_up_line(f) for f in follow_ups],
        previous_contact_person=_previous_contact_person(enrolment),
        contacts=contacts(enrolment, sender, sent_by),
    )


def transfer_body(*, old_municipality, new_municipality, open_points, follow_ups, previous_contact_person, contacts):
    return {
        "from": old_municipality,
        "to": new_municipality,
        "open_points": list(open_points),
        "follow_ups": list(follow_ups),
        "previous_contact_person": previous_contact_person,
        "contacts": contacts,
    }


def _previous_contact_person(enrolment):
    """The fixed contact person the old municipality had named, for the new one to call."""
    if not enrolment.previous_contact_person_id:
        return None
    municipality = enrolment.previous_contact_municipality
    return previous_contact_line(
        name=person_name(enrolment.previous_contact_person), organisation=municipality.name if municipality else ""
    )


def previous_contact_line(*, name, organisation):
    return {"name": name, "organisation": organisation}


def offer_declined(enrolment, *, event, sender, sent_by):
    """For the GP: the patient declined the pathway, when, and when the hospital asks again."""
    return offer_declined_body(
        event=event.pk,
        declined_on=event.on_date,
        ask_again_on=enrolment.ask_again_on,
        recorded_by=person_name(sent_by),
        contacts=contacts(enrolment, sender, sent_by),
    )


def offer_declined_body(*, event, declined_on, ask_again_on, recorded_by, contacts):
    """`event`: the id of the timeline event that recorded the decline (one message per decline)."""
    return {
        "event": event,
        "declined_on": _date(declined_on),
        "ask_again_on": _date(ask_again_on),
        "recorded_by": recorded_by,
        "contacts": contacts,
    }


def bereavement(enrolment, *, sender, sent_by):
    patient = enrolment.patient
    relatives = patient.relatives.order_by("-is_next_of_kin", "name")
    return bereavement_body(
        died_on=patient.date_of_death,
        relatives=[
            {
                "name": r.name,
                "relation": r.relation,
                "phone": r.phone,
                "is_child": r.is_child,
                "is_next_of_kin": r.is_next_of_kin,
            }
            for r in relatives
        ],
        contacts=contacts(enrolment, sender, sent_by),
    )


def bereavement_body(*, died_on, relatives, contacts):
    return {"died_on": _date(died_on), "relatives": list(relatives), "contacts": contacts}
