"""PlanDefinition (a pathway definition), EpisodeOfCare (an enrolment), CarePlan (the enrolment's
plan, one activity per collaboration point) and Task (a collaboration point)."""

import re

from django.utils import timezone, translation

from fhir_api.mapping.common import (
    CARE_LEVEL,
    ICD10,
    OFFER_EXT,
    PATHWAY,
    PATHWAY_DEFINITION_URL,
    POINT_STATUS,
    RELAPSE_EXT,
    SPECIFIC_PATHWAY_EXT,
    TREATMENT_INTENT_EXT,
    build,
    date,
    drop_empty,
    instant,
    ref,
)
from fhir_api.mapping.people import patient_reference
from pathway import schedule
from pathway.models import CollaborationPoint, Enrolment, Offer

Outcome = CollaborationPoint.Outcome
END_STATUS = {
    Enrolment.EndReason.COMPLETED: "finished",
    Enrolment.EndReason.DECEASED: "finished",
    Enrolment.EndReason.SUPERSEDED: "finished",
    Enrolment.EndReason.WITHDRAWN: "cancelled",
}
OUTCOME_STATUS = {Outcome.COMPLETED: "completed", Outcome.CANCELLED: "cancelled", Outcome.NOT_WANTED: "rejected"}


def _text(texts: dict) -> str:
    language = translation.get_language() or "nb"
    return texts.get(language) or texts.get("nb") or ""


def _pathway_type(definition_key, version, title):
    return {"coding": [{"system": PATHWAY, "code": definition_key, "version": str(version), "display": title}]}


UCUM = "http://unitsofmeasure.org"
UCUM_UNITS = {"Y": ("a", "year"), "M": ("mo", "month"), "W": ("wk", "week"), "D": ("d", "day")}
ONE_COMPONENT = re.compile(r"P(\d+)([YMWD])")


def _duration(text: str):
    """A definition's duration of one calendar component (P3M, P4W, P0D) as a UCUM Duration; None
    for a mix of components (P1Y2M), which no single quantity says (the description still does)."""
    match = ONE_COMPONENT.fullmatch(text)
    if match is None:
        return None
    value, (code, unit) = int(match.group(1)), UCUM_UNITS[match.group(2)]
    return {"value": value, "unit": unit if value == 1 else f"{unit}s", "system": UCUM, "code": code}


def _window(point) -> dict:
    """When the point's window opens and closes, counted from its anchor: the diagnosis or an event
    (a named-event trigger, with the range as timingRange), or an earlier point's completion
    (relatedAction after-end, with the range as offsetRange)."""
    low, high = _duration(point.opens), _duration(point.closes)
    window = {"low": low, "high": high} if low and high else None
    if point.anchor.kind == schedule.ANCHOR_POINT:
        return {"relatedAction": [{"actionId": point.anchor.ref, "relationship": "after-end", "offsetRange": window}]}
    event = point.anchor.ref if point.anchor.kind == schedule.ANCHOR_EVENT else "diagnosis"
    return {"trigger": [{"type": "named-event", "name": event}], "timingRange": window}


def plan_definition(definition):
    actions = []
    for point in definition.points:
        actions.append(
            drop_empty(
                {
                    "id": point.key,
                    "title": _text(point.title),
                    "description": f"{point.care_level}: {point.opens}–{point.closes} from {point.anchor.kind}"
                    + (f" {point.anchor.ref}" if point.anchor.ref else ""),
                    # What the window is counted from (the diagnosis, a recorded event, the end of
                    # an earlier point) and how long after it it opens and closes.
                    **_window(point),
                    "code": [
                        {
                            "coding": [
                                {
                                    "system": CARE_LEVEL,
                                    "code": point.care_level,
                                }
                            ]
                        }
                    ],
                }
            )
        )
    data = {
        "id": definition.key,
        "url": f"{PATHWAY_DEFINITION_URL}/{definition.key}",
        "version": str(definition.version),
        "name": definition.key.replace("-", "_"),
        "title": _text(definition.title),
        "type": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/plan-definition-type", "code": "clinical-protocol"}
            ]
        },
        "status": "active",
        "description": _text(definition.description),
        "action": actions,
    }
    return build("PlanDefinition", drop_empty(data))


def episode_status(enrolment) -> str:
    if enrolment.ended_at:
        return END_STATUS.get(enrolment.end_reason, "finished")
    if enrolment.offer == Offer.ACCEPTED:
        return "active"
    if enrolment.offer == Offer.DECLINED:
        return "onhold"
    return "planned"


def condition(enrolment) -> dict:
    """The diagnosis, contained in the EpisodeOfCare (Heimveg keeps no Condition of its own)."""
    return {
        "resourceType": "Condition",
        "id": "diagnosis",
        "code": {"coding": [{"system": ICD10, "code": enrolment.icd10_code, "display": enrolment.icd10_name}]},
        "subject": {"reference": f"Patient/{enrolment.patient.public_id}"},
        "onsetDateTime": date(enrolment.diagnosis_date),
        "recordedDate": date(enrolment.diagnosis_date),
    }


def episode_of_care(enrolment):
    extension = [
        {"url": TREATMENT_INTENT_EXT, "valueCode": enrolment.treatment_intent},
        {"url": OFFER_EXT, "valueCode": enrolment.offer},
        {"url": RELAPSE_EXT, "valueBoolean": enrolment.is_relapse},
    ]
    if enrolment.diagnosis_specific_pathway:
        extension.append({"url": SPECIFIC_PATHWAY_EXT, "valueString": enrolment.diagnosis_specific_pathway})
    organisation = enrolment.enrolling_organisation
    definition = enrolment.definition
    data = {
        "id": str(enrolment.public_id),
        "contained": [condition(enrolment)],
        "extension": extension,
        "status": episode_status(enrolment),
        "type": [_pathway_type(definition.key, definition.version, _text(definition.title))],
        "diagnosis": [{"condition": {"reference": "#diagnosis"}, "rank": 1}],
        "patient": patient_reference(enrolment.patient),
        "managingOrganization": ref("Organization", organisation.public_id, organisation.name),
        "period": drop_empty({"start": date(enrolment.diagnosis_date), "end": instant(enrolment.ended_at)}),
        # The contact person in the municipality, by name: Heimveg serves no Practitioner resources.
        "careManager": {"display": enrolment.contact_person.get_full_name() or enrolment.contact_person.get_username()}
        if enrolment.contact_person
        else None,
    }
    return build("EpisodeOfCare", drop_empty(data))


def task_status(point, today) -> str:
    if point.outcome:
        return OUTCOME_STATUS[point.outcome]
    if point.window_opens is None or point.window_opens > today:
        return "requested"
    return "ready"


def care_plan(enrolment, points, today=None):
    today = today or timezone.localdate()
    definition = enrolment.definition
    activities = []
    for point in points:
        activities.append(
            {
                "reference": ref("Task", point.public_id, point.display_title),
                "detail": drop_empty(
                    {
                        "kind": "Task",
                        "status": {
                            "completed": "completed",
                            "cancelled": "cancelled",
                            "rejected": "stopped",
                            "ready": "scheduled" if point.booked_for else "not-started",
                            "requested": "not-started",
                        }[task_status(point, today)],
                        "description": point.display_title,
                        "scheduledPeriod": drop_empty(
                            {"start": date(point.window_opens), "end": date(point.window_closes)}
                        ),
                        "performer": [
                            ref(
                                "Organization",
                                point.responsible_organisation.public_id,
                                point.responsible_organisation.name,
                            )
                        ],
                    }
                ),
            }
        )
    data = {
        "id": str(enrolment.public_id),
        "instantiatesCanonical": [f"{PATHWAY_DEFINITION_URL}/{definition.key}|{definition.version}"],
        "status": "active"
        if enrolment.is_open
        else ("revoked" if enrolment.end_reason == "withdrawn" else "completed"),
        "intent": "plan",
        "title": _text(definition.title),
        "subject": patient_reference(enrolment.patient),
        "period": drop_empty({"start": date(enrolment.diagnosis_date), "end": instant(enrolment.ended_at)}),
        "created": instant(enrolment.created_at),
        "author": ref(
            "Organization", enrolment.enrolling_organisation.public_id, enrolment.enrolling_organisation.name
        ),
        "activity": activities,
    }
    return build("CarePlan", drop_empty(data))


def task(point, today=None):
    today = today or timezone.localdate()
    enrolment = point.enrolment
    status = task_status(point, today)
    owner = point.responsible_organisation
    business = point.status(today)
    data = {
        "id": str(point.public_id),
        "identifier": [{"system": f"{PATHWAY}/point", "value": f"{enrolment.public_id}/{point.key}"}],
        "instantiatesCanonical": f"{PATHWAY_DEFINITION_URL}/{enrolment.definition.key}|{enrolment.definition.version}",
        "basedOn": [ref("CarePlan", enrolment.public_id)],
        "status": status,
        "statusReason": {"text": point.reason} if point.reason else None,
        "businessStatus": {"coding": [{"system": POINT_STATUS, "code": business}]},
        "intent": "plan",
        "code": {
            "coding": [{"system": f"{PATHWAY}/{enrolment.definition.key}", "code": point.key}],
            "text": point.display_title,
        },
        "description": point.display_title,
        "for": patient_reference(enrolment.patient),
        "executionPeriod": drop_empty(
            {
                "start": instant(point.booked_for),
                "end": date(point.outcome_on) if point.outcome == Outcome.COMPLETED else None,
            }
        ),
        "authoredOn": instant(enrolment.created_at),
        "owner": ref("Organization", owner.public_id, owner.name),
        "note": [{"text": point.place}] if point.place else [],
        "restriction": {"period": drop_empty({"start": date(point.window_opens), "end": date(point.window_closes)})}
        if point.window_opens
        else None,
    }
    data["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare",
            "valueReference": ref("EpisodeOfCare", enrolment.public_id),
        }
    ]
    return build("Task", drop_empty(data))
