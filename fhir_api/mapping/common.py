"""Identifier systems (HL7 Norway basis profiles), Heimveg's own code systems and small helpers
shared by the mappings."""

import importlib

from django.utils import timezone

# HL7 Norway basis profiles (see docs/domain.md, "Identifiers").
FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR = "urn:oid:2.16.578.1.12.4.1.4.2"
HPR = "urn:oid:2.16.578.1.12.4.1.4.4"
ORG_NUMBER = "urn:oid:2.16.578.1.12.4.1.4.101"
HER_ID = "urn:oid:2.16.578.1.12.4.1.2"
MUNICIPALITY_NUMBER = "urn:oid:2.16.578.1.12.4.1.1.3402"
MUNICIPALITY_EXTENSION = "http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode"
ICD10 = "http://hl7.org/fhir/sid/icd-10"

# Heimveg's own systems and extensions.
BASE = "https://heimveg.no/fhir"
ORGANISATION_KIND = f"{BASE}/CodeSystem/organisation-kind"
PATHWAY = f"{BASE}/CodeSystem/pathway-definition"
POINT_STATUS = f"{BASE}/CodeSystem/collaboration-point-status"
CARE_LEVEL = f"{BASE}/CodeSystem/care-level"
HANDOVER_KIND = f"{BASE}/CodeSystem/handover-kind"
RELATION = f"{BASE}/CodeSystem/relation"
TREATMENT_INTENT_EXT = f"{BASE}/StructureDefinition/treatment-intent"
OFFER_EXT = f"{BASE}/StructureDefinition/pathway-offer"
RELAPSE_EXT = f"{BASE}/StructureDefinition/relapse"
SPECIFIC_PATHWAY_EXT = f"{BASE}/StructureDefinition/diagnosis-specific-pathway"
ACKNOWLEDGED_EXT = f"{BASE}/StructureDefinition/acknowledged"
REPLACES_EXT = f"{BASE}/StructureDefinition/replaces"
PATHWAY_DEFINITION_URL = f"{BASE}/PlanDefinition"


def build(resource_type: str, data: dict):
    """The fhir.resources R4B object for `data`, empty values dropped at every depth first;
    raises pydantic.ValidationError when it does not fit."""
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type).model_validate({"resourceType": resource_type, **drop_empty(data)})


def ref(resource_type, public_id, display=None):
    reference = {"reference": f"{resource_type}/{public_id}"}
    if display:
        reference["display"] = display
    return reference


def instant(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def date(value):
    return value.isoformat() if value else None


EMPTY: tuple[object, ...] = (None, "", [], {})


def _pruned(value):
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _pruned(v)) for k, v in value.items()) if v not in EMPTY}
    if isinstance(value, list):
        return [v for v in (_pruned(v) for v in value) if v not in EMPTY]
    if isinstance(value, str) and not value.strip():
        return ""  # FHIR strings hold at least one non-whitespace character
    return value


def drop_empty(data: dict) -> dict:
    """FHIR forbids empty strings, lists and objects: leave them out at every depth, and leave out
    what becomes empty once its own empty parts are gone (a coding whose only value was "" …)."""
    return _pruned(data)
