"""The implementation guide: every resource it publishes, built from the code and data the API
itself serves from (the pathway definitions, the questionnaires, the resource table, the mapping
functions), each validated by fhir.resources (R4B models, FHIR 4.0.1 JSON) as it is built.

Resources are in bokmål, the pathway's and the questionnaires' primary language, whatever the
page's language, so that a download is the same file for everyone."""

import dataclasses
import datetime
import functools
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fhir_api.capability import IMPLEMENTATION_GUIDE, capability_statement
from fhir_api.ig import examples, profiles, search_parameters, terminology
from fhir_api.mapping.common import build
from fhir_api.resources import REGISTRY
from pathway.definitions import all_definitions

IG_ID = "heimveg-pathway"
IG_VERSION = "0.1.0"
PACKAGE_ID = "no.heimveg.pathway"
NO_BASIS_IG = "http://hl7.no/fhir/ImplementationGuide/hl7.fhir.no.basis"
NO_BASIS_PACKAGE = ("hl7.fhir.no.basis", "2.2.2")


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: object  # lazy translated text
    intro: object


SECTIONS = (
    Section(
        "profiles",
        _("Profiles"),
        _("The resources the API serves, as constraints on FHIR R4 and HL7 Norway's basis profiles."),
    ),
    Section("extensions", _("Extensions"), _("Heimveg's own extensions.")),
    Section(
        "plan-definitions", _("Pathway definitions"), _("The shipped pathways: one action per collaboration point.")
    ),
    Section("questionnaires", _("Questionnaires"), _("The needs-assessment questionnaires.")),
    Section("code-systems", _("Code systems"), _("Heimveg's codes, with bokmål, nynorsk and English names.")),
    Section("value-sets", _("Value sets"), _("The codes each coded element may hold.")),
    Section("search-parameters", _("Search parameters"), _("The API's own search parameters; the rest are FHIR's.")),
    Section("capability", _("Capability statement"), _("What the API serves: resources, interactions, searches.")),
    Section(
        "examples", _("Examples"), _("A synthetic patient through the national pathway, mapped as the API maps it.")
    ),
)


NORWEGIAN_SECTIONS = {"guide", "plan-definitions", "questionnaires", "examples"}


@dataclasses.dataclass(frozen=True)
class Entry:
    section: str
    resource: Any  # a fhir.resources object
    label: str = ""  # the examples' own names

    @property
    def type(self) -> str:
        return self.resource.get_resource_type()

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def key(self) -> str:
        return f"{self.type}-{self.id}"

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        resource = self.resource
        for field in ("title", "name"):
            value = getattr(resource, field, None)
            if isinstance(value, str) and value:
                return value
        return f"{self.type}/{self.id}"

    @property
    def language(self) -> str:
        """The language of the resource's own text: the pathway's texts, the questionnaires and the
        examples are bokmål; the technical resources are written in English."""
        return "nb" if self.section in NORWEGIAN_SECTIONS else "en"

    @property
    def description(self) -> str:
        return getattr(self.resource, "description", None) or ""

    def json(self) -> dict:
        return self.resource.model_dump(mode="json", by_alias=True, exclude_none=True)


def _served(resource_type: str) -> list:
    """Every resource of a type the API serves without access control (the definitions, the
    questionnaires), found and mapped through the API's own resource table."""
    served = REGISTRY[resource_type]
    assert served.search is not None, resource_type
    return [served.to_resource(item) for item in served.search(None)]


def _example(entry: Entry) -> dict:
    """An example names the profile it keeps (exampleCanonical); other resources are no example."""
    if entry.section != "examples":
        return {"exampleBoolean": False}
    profile = profiles.PROFILES_BY_TYPE.get(entry.type)
    return {"exampleCanonical": profile.url} if profile else {"exampleBoolean": True}


def _implementation_guide(entries: list[Entry], date: datetime.date):
    return build(
        "ImplementationGuide",
        {
            "id": IG_ID,
            "url": IMPLEMENTATION_GUIDE,
            "version": IG_VERSION,
            "name": "HeimvegPathway",
            "title": "Pakkeforløp hjem for pasienter med kreft (Heimveg)",
            "status": "draft",
            "date": date.isoformat(),
            "publisher": "Heimveg",
            "description": "The pathway home for people with cancer as Heimveg's FHIR R4 API serves it: the pathway "
            "definitions, the questionnaires, profiles of the resources served, their code systems and value sets, "
            "search parameters and examples.",
            "jurisdiction": [{"coding": [{"system": "urn:iso:std:iso:3166", "code": "NO"}]}],
            "packageId": PACKAGE_ID,
            "fhirVersion": ["4.0.1"],
            "dependsOn": [
                {
                    "id": "hl7_fhir_no_basis",
                    "uri": NO_BASIS_IG,
                    "packageId": NO_BASIS_PACKAGE[0],
                    "version": NO_BASIS_PACKAGE[1],
                }
            ],
            "definition": {
                "resource": [
                    {"reference": {"reference": f"{e.type}/{e.id}"}, "name": e.title, **_example(e)} for e in entries
                ]
            },
        },
    )


def _definitions_read() -> tuple:
    """What the pathway definitions are now (`pathway.definitions.reload` reads them again)."""
    return tuple(sorted((d.key, d.version, d.checksum) for d in all_definitions().values()))


@functools.lru_cache(maxsize=2)
def _dated_free(definitions: tuple) -> tuple[Entry, ...]:
    """Everything but the CapabilityStatement and the guide itself, which carry a date and the
    API's address: built once per process and set of definitions (the definitions and
    questionnaires are files; validating them is most of the work)."""
    with translation.override("nb"):
        found = [Entry("profiles", p.structure_definition()) for p in profiles.PROFILES]
        found += [Entry("extensions", e.structure_definition()) for e in profiles.EXTENSIONS]
        found += [Entry("plan-definitions", r) for r in _served("PlanDefinition")]
        found += [Entry("questionnaires", r) for r in _served("Questionnaire")]
        found += [Entry("code-systems", r) for r in terminology.code_systems()]
        found += [Entry("value-sets", r) for r in terminology.value_sets()]
        found += [Entry("search-parameters", r) for r in search_parameters.search_parameters()]
        found += [Entry("examples", r, label) for label, r in examples.examples()]
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _build(base_url: str, date: datetime.date, definitions: tuple) -> tuple[Entry, ...]:
    with translation.override("nb"):
        built = list(_dated_free(definitions))
        at = next(i for i, e in enumerate(built) if e.section == "examples")
        built.insert(at, Entry("capability", capability_statement(base_url, date)))
        guide = Entry("guide", _implementation_guide(built, date))
    return (guide, *built)


def entries(base_url: str, date: datetime.date) -> tuple[Entry, ...]:
    """The ImplementationGuide resource first, then every resource it lists. `base_url` is the
    API's address (the CapabilityStatement's), `date` the guide's date."""
    return _build(base_url, date, _definitions_read())


def clear() -> None:
    """Forget the built guide (after the definitions or questionnaires changed, in a test)."""
    _dated_free.cache_clear()
    _build.cache_clear()


def find(all_entries, key: str) -> Entry | None:
    return next((e for e in all_entries if e.key == key), None)
