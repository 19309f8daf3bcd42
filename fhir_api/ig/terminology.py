"""The guide's CodeSystems and ValueSets, built from the code the API maps with: the models'
choices, the pathway definitions and the status maps of fhir_api.mapping. Each concept carries
nb, nn and en designations from the same translations the pages use."""

import dataclasses
import functools
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from directory.models import Organisation
from fhir_api.mapping import handover as handover_mapping
from fhir_api.mapping import pathway as pathway_mapping
from fhir_api.mapping.common import (
    BASE,
    CARE_LEVEL,
    HANDOVER_KIND,
    ORGANISATION_KIND,
    PATHWAY,
    POINT_STATUS,
    RELATION,
    build,
)
from handover.models import HandoverMessage
from pathway.definitions import all_definitions
from pathway.models import CollaborationPoint, Offer, TreatmentIntent
from pathway.schedule import STATUSES
from pathway.templatetags.pathway import CANCELLED_TAG, STATUS_TAGS
from patients.models import Relative

LANGUAGES = ("nb", "nn", "en")
TREATMENT_INTENT = f"{BASE}/CodeSystem/treatment-intent"
OFFER = f"{BASE}/CodeSystem/pathway-offer"
AUDIT_ACTION = f"{BASE}/CodeSystem/audit-action"

# FHIR's own code systems, of which Heimveg uses a part.
EPISODE_STATUS = "http://hl7.org/fhir/episode-of-care-status"
TASK_STATUS = "http://hl7.org/fhir/task-status"
REQUEST_STATUS = "http://hl7.org/fhir/request-status"
ACTIVITY_STATUS = "http://hl7.org/fhir/care-plan-activity-status"
EVENT_STATUS = "http://hl7.org/fhir/event-status"
ANSWERS_STATUS = "http://hl7.org/fhir/questionnaire-answers-status"


def value_set_url(name: str) -> str:
    return f"{BASE}/ValueSet/{name}"


@dataclasses.dataclass(frozen=True)
class Concept:
    code: str
    label: Callable[[str], str]  # language -> display


def _in(language: str, text: object) -> str:
    with translation.override(language):
        return str(text)


def _translated(text) -> Callable[[str], str]:
    return functools.partial(_in, text=text)


def _choices(choices) -> list[Concept]:
    return [Concept(value, _translated(label)) for value, label in choices]


def _texts(code: str, texts: dict[str, str]) -> Concept:
    return Concept(code, lambda lang: texts.get(lang) or texts.get("nb") or code)


@dataclasses.dataclass(frozen=True)
class HeimvegCodes:
    """A CodeSystem of Heimveg's, and the ValueSet of all its codes."""

    id: str
    url: str
    title: str
    description: str
    concepts: Callable[[], list[Concept]]

    def code_system(self):
        concepts = [
            {
                "code": c.code,
                "display": c.label("en"),
                "designation": [{"language": lang, "value": c.label(lang)} for lang in LANGUAGES],
            }
            for c in self.concepts()
        ]
        return build(
            "CodeSystem",
            {
                "id": self.id,
                "url": self.url,
                "name": _name(self.id),
                "title": self.title,
                "status": "active",
                "publisher": "Heimveg",
                "description": self.description,
                "caseSensitive": True,
                "content": "complete",
                "count": len(concepts),
                "concept": concepts,
            },
        )

    @property
    def value_set(self) -> str:
        return value_set_url(self.id)


def _name(identifier: str) -> str:
    return "".join(part.capitalize() for part in identifier.replace("/", "-").split("-"))


def _statuses() -> list[Concept]:
    labels = {status: label for status, (_colour, label) in STATUS_TAGS.items()}
    return [Concept(s, _translated(labels.get(s, CANCELLED_TAG[1]))) for s in STATUSES]


def _definitions() -> list:
    return sorted(all_definitions().values(), key=lambda d: d.key)


def _handover_kinds() -> list[Concept]:
    return [
        *_choices(HandoverMessage.Kind.choices),
        Concept("acknowledgement", _translated(_("Acknowledgement of a handover message"))),
    ]


HEIMVEG_CODES = (
    HeimvegCodes(
        "pathway-definition",
        PATHWAY,
        "Pathway definitions",
        "The pathway definitions Heimveg ships (EpisodeOfCare.type, with the definition's version).",
        lambda: [_texts(d.key, d.title) for d in _definitions()],
    ),
    HeimvegCodes(
        "collaboration-point-status",
        POINT_STATUS,
        "Collaboration point status",
        "Where a collaboration point stands on a day (Task.businessStatus): its window and outcome, with "
        "the patient's answer to the offer taken into account.",
        _statuses,
    ),
    HeimvegCodes(
        "care-level",
        CARE_LEVEL,
        "Care level",
        "Who holds a collaboration point (PlanDefinition.action.code).",
        lambda: _choices(CollaborationPoint.CareLevel.choices),
    ),
    HeimvegCodes(
        "treatment-intent",
        TREATMENT_INTENT,
        "Treatment intent",
        "The intent of the cancer treatment when the patient was enrolled (extension treatment-intent).",
        lambda: _choices(TreatmentIntent.choices),
    ),
    HeimvegCodes(
        "pathway-offer",
        OFFER,
        "The patient's answer to the offer",
        "Whether the patient has accepted the pathway (extension pathway-offer).",
        lambda: _choices(Offer.choices),
    ),
    HeimvegCodes(
        "handover-kind",
        HANDOVER_KIND,
        "Handover message kind",
        "Why a handover message was written (Communication.category), and the receiver's acknowledgement.",
        _handover_kinds,
    ),
    HeimvegCodes(
        "organisation-kind",
        ORGANISATION_KIND,
        "Organisation kind",
        "The kinds of organisation in Heimveg's directory (Organization.type).",
        lambda: _choices(Organisation.Kind.choices),
    ),
    HeimvegCodes(
        "relation",
        RELATION,
        "Relation to the patient",
        "A relative's relation to the patient (RelatedPerson.relationship).",
        lambda: [
            *_choices(Relative.Relation.choices),
            Concept("child-under-18", _translated(_("Child under 18"))),
        ],
    ),
    HeimvegCodes(
        "audit-action",
        AUDIT_ACTION,
        "Audit action",
        "What an audit log entry records (AuditEvent.subtype).",
        lambda: _choices(AuditEntry.Action.choices),
    ),
)


def _point_concepts(definition) -> list[Concept]:
    return [_texts(p.key, p.title) for p in definition.points]


def point_code_systems() -> list[HeimvegCodes]:
    """One CodeSystem per pathway definition: its collaboration points (Task.code)."""
    return [
        HeimvegCodes(
            f"pathway-definition-{d.key}",
            f"{PATHWAY}/{d.key}",
            f"Collaboration points of {d.title.get('en') or d.key}",
            f"The collaboration points of the pathway definition {d.key} (Task.code).",
            functools.partial(_point_concepts, d),
        )
        for d in _definitions()
    ]


@dataclasses.dataclass(frozen=True)
class FhirSubset:
    """A ValueSet of the codes Heimveg uses from one of FHIR's own code systems."""

    id: str
    system: str
    title: str
    description: str
    codes: tuple[str, ...]

    @property
    def value_set(self) -> str:
        return value_set_url(self.id)


# The statuses the mappings write (fhir_api.mapping); the rule checker's test runs the API's real
# answers through the bindings, so a status the mapping writes and the set lacks fails there.
FHIR_SUBSETS = (
    FhirSubset(
        "episode-status",
        EPISODE_STATUS,
        "Enrolment status",
        "planned (offer not yet asked), active (accepted), onhold (declined), finished, cancelled (withdrawn).",
        ("planned", "active", "onhold", *sorted(set(pathway_mapping.END_STATUS.values()))),
    ),
    FhirSubset(
        "task-status",
        TASK_STATUS,
        "Collaboration point status (Task.status)",
        "requested (window not yet open), ready (window open or passed), and the outcomes.",
        ("requested", "ready", *pathway_mapping.OUTCOME_STATUS.values()),
    ),
    FhirSubset(
        "careplan-status",
        REQUEST_STATUS,
        "Plan status",
        "active while the enrolment is open, revoked when withdrawn, completed otherwise.",
        ("active", "revoked", "completed"),
    ),
    FhirSubset(
        "careplan-activity-status",
        ACTIVITY_STATUS,
        "Plan activity status",
        "A collaboration point as an activity of the plan.",
        ("not-started", "scheduled", "completed", "cancelled", "stopped"),
    ),
    FhirSubset(
        "communication-status",
        EVENT_STATUS,
        "Handover message status",
        "preparation (being delivered), in-progress (delivered, not yet acknowledged), completed "
        "(acknowledged), stopped (delivery failed), entered-in-error (corrected by its author).",
        tuple(dict.fromkeys(handover_mapping.STATUS.values())),
    ),
    FhirSubset(
        "questionnaire-response-status",
        ANSWERS_STATUS,
        "Answers status",
        "in-progress while being answered, completed once sent (only sent answers are served).",
        ("in-progress", "completed"),
    ),
)


def _value_set(identifier, title, description, includes):
    return build(
        "ValueSet",
        {
            "id": identifier,
            "url": value_set_url(identifier),
            "name": _name(identifier),
            "title": title,
            "status": "active",
            "publisher": "Heimveg",
            "description": description,
            "immutable": False,
            "compose": {"include": includes},
        },
    )


COLLABORATION_POINT_VS = "collaboration-point"


def code_systems() -> list:
    return [codes.code_system() for codes in (*HEIMVEG_CODES, *point_code_systems())]


def value_sets() -> list:
    found = [_value_set(c.id, c.title, c.description, [{"system": c.url}]) for c in HEIMVEG_CODES]
    found.append(
        _value_set(
            COLLABORATION_POINT_VS,
            "Collaboration points",
            "The collaboration points of every shipped pathway definition (Task.code).",
            [{"system": c.url} for c in point_code_systems()],
        )
    )
    for subset in FHIR_SUBSETS:
        include = {"system": subset.system, "concept": [{"code": code} for code in subset.codes]}
        found.append(_value_set(subset.id, subset.title, subset.description, [include]))
    return found


def expansions() -> dict[str, frozenset[tuple[str, str]]]:
    """ValueSet URL -> every (system, code) in it: what the rule checker's bindings check against."""
    systems = {c.url: c for c in (*HEIMVEG_CODES, *point_code_systems())}
    found: dict[str, frozenset[tuple[str, str]]] = {}
    for value_set in value_sets():
        codes: set[tuple[str, str]] = set()
        for include in value_set.compose.include:
            if include.concept:
                codes.update((include.system, c.code) for c in include.concept)
            else:
                codes.update((include.system, c.code) for c in systems[include.system].concepts())
        found[value_set.url] = frozenset(codes)
    return found


def codes_of(url: str) -> Iterable[str]:
    return sorted(code for _system, code in expansions()[url])
