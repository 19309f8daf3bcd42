"""The guide's profiles and extensions. Each profile is a list of named rules
(fhir_api.profile_rules); the same list makes the StructureDefinition's differential and is what
the rule checker checks the API's answers against, so the published profile and the check cannot
drift apart.

References to patients and organisations name HL7 Norway's basis profiles (no-basis-Patient,
no-basis-Organization); the Patient and Organization profiles are constraints on them.
"""

import dataclasses
import importlib

from fhir_api.ig.terminology import COLLABORATION_POINT_VS, FHIR_SUBSETS, HEIMVEG_CODES, value_set_url
from fhir_api.mapping.common import (
    ACKNOWLEDGED_EXT,
    BASE,
    DNR,
    FNR,
    MUNICIPALITY_EXTENSION,
    OFFER_EXT,
    ORG_NUMBER,
    RELAPSE_EXT,
    REPLACES_EXT,
    SPECIFIC_PATHWAY_EXT,
    TREATMENT_INTENT_EXT,
    build,
)
from fhir_api.profile_rules import Binding, Cardinality, Extension, Fixed, Rule

FHIR_SD = "http://hl7.org/fhir/StructureDefinition"
NO_BASIS_PATIENT = "http://hl7.no/fhir/StructureDefinition/no-basis-Patient"
NO_BASIS_ORGANIZATION = "http://hl7.no/fhir/StructureDefinition/no-basis-Organization"
WORKFLOW_EPISODE = f"{FHIR_SD}/workflow-episodeOfCare"
COLLABORATION_POINT_EXT = f"{BASE}/StructureDefinition/collaboration-point"

PATIENT = (("Patient", NO_BASIS_PATIENT),)
ORGANIZATION = (("Organization", NO_BASIS_ORGANIZATION),)


def _vs(identifier: str) -> str:
    """The URL of a shipped ValueSet (a KeyError for one the guide does not ship)."""
    known = {c.id for c in (*HEIMVEG_CODES, *FHIR_SUBSETS)} | {COLLABORATION_POINT_VS}
    if identifier not in known:
        raise KeyError(identifier)
    return value_set_url(identifier)


def profile_url(identifier: str) -> str:
    return f"{BASE}/StructureDefinition/{identifier}"


@dataclasses.dataclass(frozen=True)
class ExtensionDefinition:
    id: str
    url: str
    title: str
    description: str
    contexts: tuple[str, ...]
    value_type: str  # FHIR type code of value[x] ("code", "boolean" …); "" for a complex extension
    value_set: str = ""
    parts: tuple[tuple[str, str], ...] = ()  # complex: (part url, value type)
    target: str = ""  # for a Reference value: the resource type

    def structure_definition(self):
        elements: list[dict] = [
            {"id": "Extension", "path": "Extension", "short": self.title, "definition": self.description},
            {"id": "Extension.url", "path": "Extension.url", "fixedUri": self.url},
        ]
        if self.parts:
            for name, value_type in self.parts:
                elements += [
                    {"id": f"Extension.extension:{name}", "path": "Extension.extension", "sliceName": name, "min": 1},
                    {"id": f"Extension.extension:{name}.url", "path": "Extension.extension.url", "fixedUri": name},
                    {
                        "id": f"Extension.extension:{name}.value[x]",
                        "path": "Extension.extension.value[x]",
                        "type": [{"code": value_type}],
                    },
                ]
            elements.append({"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"})
        else:
            value: dict = {"id": "Extension.value[x]", "path": "Extension.value[x]", "min": 1}
            value["type"] = [{"code": self.value_type}]
            if self.target:
                value["type"][0]["targetProfile"] = [f"{FHIR_SD}/{self.target}"]
            if self.value_set:
                value["binding"] = {"strength": "required", "valueSet": self.value_set}
            elements.append(value)
        return build(
            "StructureDefinition",
            {
                "id": self.id,
                "url": self.url,
                "name": _pascal(self.id),
                "title": self.title,
                "status": "active",
                "publisher": "Heimveg",
                "description": self.description,
                "fhirVersion": "4.0.1",
                "kind": "complex-type",
                "abstract": False,
                "context": [{"type": "element", "expression": c} for c in self.contexts],
                "type": "Extension",
                "baseDefinition": f"{FHIR_SD}/Extension",
                "derivation": "constraint",
                "differential": {"element": elements},
            },
        )


def _pascal(identifier: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in identifier.split("-"))


EXTENSIONS = (
    ExtensionDefinition(
        "treatment-intent",
        TREATMENT_INTENT_EXT,
        "Treatment intent",
        "The intent of the cancer treatment when the patient was enrolled: curative, palliative or not yet known.",
        ("EpisodeOfCare",),
        "code",
        value_set=_vs("treatment-intent"),
    ),
    ExtensionDefinition(
        "pathway-offer",
        OFFER_EXT,
        "The patient's answer to the offer",
        "Whether the patient has been asked, and accepted or declined the pathway (voluntary).",
        ("EpisodeOfCare",),
        "code",
        value_set=_vs("pathway-offer"),
    ),
    ExtensionDefinition(
        "relapse",
        RELAPSE_EXT,
        "Relapse",
        "True when the enrolment followed a relapse (a relapse starts the pathway again).",
        ("EpisodeOfCare",),
        "boolean",
    ),
    ExtensionDefinition(
        "diagnosis-specific-pathway",
        SPECIFIC_PATHWAY_EXT,
        "Diagnosis-specific cancer pathway",
        "The diagnosis-specific cancer pathway the patient is also in, if any (free text).",
        ("EpisodeOfCare",),
        "string",
    ),
    ExtensionDefinition(
        "acknowledged",
        ACKNOWLEDGED_EXT,
        "Acknowledged",
        "When, and by whom, the receiver acknowledged a handover message.",
        ("Communication",),
        "",
        parts=(("at", "dateTime"), ("by", "string")),
    ),
    ExtensionDefinition(
        "replaces",
        REPLACES_EXT,
        "Replaces",
        "The handover message (entered in error) that this one replaces, after its author corrected a completion.",
        ("Communication",),
        "Reference",
        target="Communication",
    ),
    ExtensionDefinition(
        "collaboration-point",
        COLLABORATION_POINT_EXT,
        "Collaboration point",
        "The collaboration point (Task) the answers were given for.",
        ("QuestionnaireResponse",),
        "Reference",
        target="Task",
    ),
)


@dataclasses.dataclass(frozen=True)
class Profile:
    id: str
    type: str
    title: str
    description: str
    rules: tuple[Rule, ...]
    base: str = ""  # the parent profile; FHIR's base resource when empty

    @property
    def url(self) -> str:
        return profile_url(self.id)

    def structure_definition(self):
        return build(
            "StructureDefinition",
            {
                "id": self.id,
                "url": self.url,
                "name": _pascal(self.id),
                "title": self.title,
                "status": "active",
                "publisher": "Heimveg",
                "description": self.description,
                "fhirVersion": "4.0.1",
                "kind": "resource",
                "abstract": False,
                "type": self.type,
                "baseDefinition": self.base or f"{FHIR_SD}/{self.type}",
                "derivation": "constraint",
                "differential": {"element": differential(self.rules, self.type)},
            },
        )


def _element_path(element_id: str) -> str:
    return ".".join(segment.split(":")[0] for segment in element_id.split("."))


def _base_order(resource_type: str):
    """The position of each of the resource's own elements, in FHIR's order (as fhir.resources
    lists them): a differential must follow the base structure's order."""
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    sequence = getattr(module, resource_type).elements_sequence()
    return lambda element: sequence.index(element["path"].split(".")[1]) if "." in element["path"] else -1


def differential(rules, resource_type: str) -> list[dict]:
    """One element per path, in FHIR's order of the resource's elements; below them, in the order
    the rules first name them (each profile lists a parent before its children, and children in
    their type's order). Rules inside an extension's value are stated by the extension's own
    definition, not repeated here."""
    elements: dict[str, dict] = {}
    for rule in rules:
        if isinstance(rule, Extension):
            element_id = rule.element_path
            part = {
                "sliceName": rule.name,
                "min": rule.min,
                "max": rule.max,
                "type": [{"code": "Extension", "profile": [rule.url]}],
            }
        else:
            element_id = rule.path
            if ".extension:" in element_id:
                continue
            part = rule.element()
        element = elements.setdefault(element_id, {"id": element_id, "path": _element_path(element_id)})
        element.update(part)
    return sorted(elements.values(), key=_base_order(resource_type))


def _patient_rules(path: str) -> tuple[Rule, ...]:
    """A reference to the patient, with the national identity number (fødselsnummer or D-number)."""
    return (
        Cardinality(path, 1, "1", targets=PATIENT),
        Cardinality(f"{path}.identifier", 1, "1"),
        Cardinality(f"{path}.identifier.system", 1, "1"),
        Cardinality(f"{path}.identifier.value", 1, "1"),
    )


def _organisation(path: str, minimum: int = 1, maximum: str = "1") -> Rule:
    return Cardinality(path, minimum, maximum, targets=ORGANIZATION)


PROFILES = (
    Profile(
        "heimveg-EpisodeOfCare",
        "EpisodeOfCare",
        "Enrolment in the pathway",
        "An enrolment: the pathway definition (type), the diagnosis as a contained Condition, the patient's "
        "answer to the offer, the treatment intent and whether it followed a relapse.",
        (
            Binding("EpisodeOfCare.status", _vs("episode-status")),
            Extension("EpisodeOfCare", "treatmentIntent", TREATMENT_INTENT_EXT, "Code"),
            Binding("EpisodeOfCare.extension:treatmentIntent.valueCode", _vs("treatment-intent")),
            Extension("EpisodeOfCare", "offer", OFFER_EXT, "Code"),
            Binding("EpisodeOfCare.extension:offer.valueCode", _vs("pathway-offer")),
            Extension("EpisodeOfCare", "relapse", RELAPSE_EXT, "Boolean"),
            Extension("EpisodeOfCare", "diagnosisSpecificPathway", SPECIFIC_PATHWAY_EXT, "String", 0, "1"),
            Cardinality("EpisodeOfCare.type", 1, "1"),
            Binding("EpisodeOfCare.type", _vs("pathway-definition")),
            Cardinality("EpisodeOfCare.diagnosis", 1, "1"),
            Cardinality("EpisodeOfCare.contained", 1, "1"),
            *_patient_rules("EpisodeOfCare.patient"),
            _organisation("EpisodeOfCare.managingOrganization"),
            Cardinality("EpisodeOfCare.period", 1, "1"),
            Cardinality("EpisodeOfCare.period.start", 1, "1"),
        ),
    ),
    Profile(
        "heimveg-CarePlan",
        "CarePlan",
        "The plan of an enrolment",
        "The plan of an enrolment: it instantiates the pathway definition, with one activity per collaboration "
        "point (the Tasks).",
        (
            Cardinality("CarePlan.instantiatesCanonical", 1, "1"),
            Binding("CarePlan.status", _vs("careplan-status")),
            Fixed("CarePlan.intent", "plan", "code"),
            *_patient_rules("CarePlan.subject"),
            _organisation("CarePlan.author"),
            Cardinality("CarePlan.activity", 1, "*"),
            Cardinality("CarePlan.activity.reference", 1, "1", targets=(("Task", f"{FHIR_SD}/Task"),)),
            Fixed("CarePlan.activity.detail.kind", "Task", "code"),
            Binding("CarePlan.activity.detail.status", _vs("careplan-activity-status")),
            _organisation("CarePlan.activity.detail.performer"),
        ),
    ),
    Profile(
        "heimveg-Task",
        "Task",
        "Collaboration point",
        "A collaboration point: owner = the responsible organisation, restriction.period = the window, "
        "businessStatus = where it stands, code = the point in its pathway definition.",
        (
            Extension("Task", "episodeOfCare", WORKFLOW_EPISODE, "Reference"),
            Cardinality("Task.identifier", 1, "1"),
            Cardinality("Task.instantiatesCanonical", 1, "1"),
            Cardinality("Task.basedOn", 1, "1", targets=(("CarePlan", profile_url("heimveg-CarePlan")),)),
            Binding("Task.status", _vs("task-status")),
            Cardinality("Task.businessStatus", 1, "1"),
            Binding("Task.businessStatus", _vs("collaboration-point-status")),
            Fixed("Task.intent", "plan", "code"),
            Cardinality("Task.code", 1, "1"),
            Binding("Task.code", _vs(COLLABORATION_POINT_VS)),
            *_patient_rules("Task.for"),
            _organisation("Task.owner"),
        ),
    ),
    Profile(
        "heimveg-Communication",
        "Communication",
        "Handover message",
        "A handover message between care levels, or the receiver's acknowledgement of one (inResponseTo).",
        (
            Extension("Communication", "acknowledged", ACKNOWLEDGED_EXT, "", 0, "1"),
            Extension("Communication", "replaces", REPLACES_EXT, "Reference", 0, "1"),
            Binding("Communication.status", _vs("communication-status")),
            Cardinality("Communication.category", 1, "1"),
            Binding("Communication.category", _vs("handover-kind")),
            *_patient_rules("Communication.subject"),
            Cardinality("Communication.sent", 1, "1"),
            _organisation("Communication.recipient", 1, "1"),
            _organisation("Communication.sender"),
            Cardinality("Communication.payload", 1, "*"),
        ),
    ),
    Profile(
        "heimveg-QuestionnaireResponse",
        "QuestionnaireResponse",
        "Answers to a needs-assessment questionnaire",
        "Answers for a collaboration point: the patient's own, a relative's or the professional's record.",
        (
            Extension("QuestionnaireResponse", "episodeOfCare", WORKFLOW_EPISODE, "Reference"),
            Extension("QuestionnaireResponse", "collaborationPoint", COLLABORATION_POINT_EXT, "Reference"),
            Cardinality("QuestionnaireResponse.questionnaire", 1, "1"),
            Binding("QuestionnaireResponse.status", _vs("questionnaire-response-status")),
            Cardinality("QuestionnaireResponse.basedOn", 1, "1"),
            *_patient_rules("QuestionnaireResponse.subject"),
            Cardinality("QuestionnaireResponse.authored", 1, "1"),
            Cardinality("QuestionnaireResponse.author", 1, "1"),
            Cardinality("QuestionnaireResponse.source", 1, "1"),
        ),
    ),
    Profile(
        "heimveg-Patient",
        "Patient",
        "Patient",
        "A patient on HL7 Norway's no-basis-Patient: one national identity number (fødselsnummer "
        f"{FNR} or D-number {DNR}) and the municipality of residence as a coded address.",
        (
            Cardinality("Patient.identifier", 1, "1"),
            Cardinality("Patient.identifier.system", 1, "1"),
            Cardinality("Patient.identifier.value", 1, "1"),
            Cardinality("Patient.name", 1, "1"),
            Cardinality("Patient.address", 1, "1"),
            Cardinality("Patient.address.district", 1, "1"),
            Extension("Patient.address.district", "municipality", MUNICIPALITY_EXTENSION, "Coding"),
        ),
        base=NO_BASIS_PATIENT,
    ),
    Profile(
        "heimveg-Organization",
        "Organization",
        "Organisation",
        f"A hospital, health trust, municipality or GP office on HL7 Norway's no-basis-Organization, "
        f"identified by its organisation number ({ORG_NUMBER}) where it has one.",
        (
            Cardinality("Organization.type", 1, "1"),
            Binding("Organization.type", _vs("organisation-kind")),
            Cardinality("Organization.name", 1, "1"),
            Extension("Organization.address.district", "municipality", MUNICIPALITY_EXTENSION, "Coding", 0, "1"),
        ),
        base=NO_BASIS_ORGANIZATION,
    ),
)

PROFILES_BY_TYPE = {profile.type: profile for profile in PROFILES}


def structure_definitions() -> list:
    return [p.structure_definition() for p in PROFILES] + [e.structure_definition() for e in EXTENSIONS]
