"""SearchParameter resources for the API's own search parameters: those FHIR does not define, or
defines on another element. Every other parameter the API serves is FHIR's own, listed here by
name so that a new parameter in the resource table must be put in one list or the other
(fhir_api/tests/test_ig.py)."""

import dataclasses

from fhir_api.mapping.common import BASE, build
from fhir_api.resources import REGISTRY

# FHIR R4's own parameters, served as FHIR defines them (`_id` everywhere).
STANDARD = {
    "AuditEvent": {"patient", "date"},
    "CarePlan": {"patient"},
    "Communication": {"recipient", "sender", "status", "patient"},
    "EpisodeOfCare": {"patient", "status", "organization"},
    "HealthcareService": {"organization"},
    "Organization": {"identifier", "name", "type"},
    "Patient": {"identifier", "name", "family", "given", "birthdate"},
    "PlanDefinition": {"url"},
    "Questionnaire": {"url"},
    "QuestionnaireResponse": {"patient", "questionnaire", "status"},
    "RelatedPerson": {"patient"},
    "Task": {"owner", "status", "patient", "based-on"},
}
# Chained searches: the chain is FHIR's (the target's own parameter), nothing to define.
CHAINED = {("EpisodeOfCare", "patient.identifier")}


@dataclasses.dataclass(frozen=True)
class Custom:
    resource_type: str
    code: str
    expression: str
    note: str


CUSTOM = (
    Custom(
        "EpisodeOfCare",
        "diagnosis-code",
        "EpisodeOfCare.diagnosis.condition.resolve().code",
        "The diagnosis is a Condition contained in the EpisodeOfCare.",
    ),
    Custom(
        "EpisodeOfCare",
        "diagnosis-date",
        "EpisodeOfCare.diagnosis.condition.resolve().onset.as(dateTime)",
        "The date of the diagnosis, from which the windows are counted.",
    ),
    Custom(
        "Task",
        "period",
        "Task.restriction.period",
        "Heimveg's Task period is the window (restriction.period), not FHIR's executionPeriod.",
    ),
)


def _served(resource_type: str, code: str):
    return REGISTRY[resource_type].param_map[code]


def search_parameters() -> list:
    found = []
    for custom in CUSTOM:
        served = _served(custom.resource_type, custom.code)
        identifier = f"{custom.resource_type}-{custom.code}"
        found.append(
            build(
                "SearchParameter",
                {
                    "id": identifier,
                    "url": f"{BASE}/SearchParameter/{identifier}",
                    "name": identifier.replace("-", "_"),
                    "status": "active",
                    "publisher": "Heimveg",
                    "description": f"{served.documentation} {custom.note}",
                    "code": custom.code,
                    "base": [custom.resource_type],
                    "type": served.type,
                    "expression": custom.expression,
                },
            )
        )
    return found
