"""The profile rule checker: named rules that Heimveg's profiles state, checked on a resource (JSON).

This is NOT a general FHIR validator. It knows four kinds of rule, written as data in
`fhir_api/ig/profiles.py` and turned into the StructureDefinitions' differentials there:

- `Cardinality(path, min, max)`: how many values an element has, counted in each parent;
- `Fixed(path, value)`: every value of the element equals `value` (for a dict: contains it);
- `Binding(path, value_set)`: every code, Coding or CodeableConcept at the element is in one of
  the shipped ValueSets (required strength: a CodeableConcept needs one coding in it);
- `Extension(path, name, url, value_type, min, max)`: an extension slice (required when min ≥ 1),
  each with a value of the given type.

Paths are FHIR element ids: `Task.for.identifier.system`; an extension slice is written as FHIR's
element ids write it, `EpisodeOfCare.extension:treatmentIntent.valueCode`, and resolved through
the slices the profile's Extension rules declare. Lists are walked through; choice types are
named by their concrete element (`valueCode`). Everything else FHIR can say (invariants,
slicing by other discriminators, terminology servers, references resolved) is out of scope:
fhir.resources checks the structure, this checks Heimveg's promises.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

CodeSet = frozenset[tuple[str, str]]  # (system, code); system "" for a bare code


@dataclasses.dataclass(frozen=True)
class Problem:
    rule: str  # the rule's name, e.g. "Task.intent fixed"
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def _split(path: str) -> list[str]:
    return path.split(".")


def _children(value: Any, segment: str, slices: Mapping[str, str]) -> list[Any]:
    if not isinstance(value, dict):
        return []
    if segment.startswith("extension:"):
        url = slices[segment.split(":", 1)[1]]
        return [e for e in value.get("extension", []) if e.get("url") == url]
    found = value.get(segment)
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def _extension_holders(value: Any, segment: str) -> list[Any]:
    """What carries the extensions of `segment`: the element itself when it is complex; for a
    primitive (a string, say) its JSON companion `_segment`, as FHIR's JSON writes it. A primitive
    without extensions gives an empty holder, so that a missing extension is found missing."""
    if not isinstance(value, dict):
        return []
    found = value.get(segment)
    if isinstance(found, dict) or (isinstance(found, list) and found and isinstance(found[0], dict)):
        return _children(value, segment, {})
    companion = value.get(f"_{segment}")
    if companion is None:
        return [] if found is None else [{} for _item in (found if isinstance(found, list) else [found])]
    return list(companion) if isinstance(companion, list) else [companion]


def values_at(
    resource: Mapping[str, Any], path: str, slices: Mapping[str, str] | None = None, *, holders: bool = False
) -> list[Any]:
    """Every value at `path` (an element id starting with the resource type), lists flattened. With
    `holders`, the last element is taken as what carries its extensions (`_district` for
    `district`); an `extension:` segment after a primitive element reads the same companion."""
    first, *rest = _split(path)
    if resource.get("resourceType") != first:
        return []
    current: list[Any] = [resource]
    for index, segment in enumerate(rest):
        following = rest[index + 1] if index + 1 < len(rest) else None
        if (following or "").startswith("extension") or (holders and following is None):
            current = [child for value in current for child in _extension_holders(value, segment)]
        else:
            current = [child for value in current for child in _children(value, segment, slices or {})]
    return current


def _parents_and_last(path: str) -> tuple[str, str]:
    parent, _dot, last = path.rpartition(".")
    return parent, last


@dataclasses.dataclass(frozen=True)
class Cardinality:
    path: str
    min: int
    max: str  # "1", "*" …
    # The resource types (and profiles) a Reference here may point at, for the differential; the
    # checker checks the `reference` starts with one of the types.
    targets: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.path} {self.min}..{self.max}"

    def check(self, resource: Mapping[str, Any], slices: Mapping[str, str], value_sets: Mapping[str, CodeSet]):
        parent_path, last = _parents_and_last(self.path)
        for parent in values_at(resource, parent_path, slices) if "." in self.path else [resource]:
            count = len(_children(parent, last, slices))
            if count < self.min:
                yield Problem(self.name, f"has {count}, needs at least {self.min}")
            if self.max != "*" and count > int(self.max):
                yield Problem(self.name, f"has {count}, allows at most {self.max}")
        types = tuple(t for t, _profile in self.targets)
        for value in values_at(resource, self.path, slices) if types else ():
            reference = value.get("reference", "") if isinstance(value, dict) else ""
            if reference and not reference.startswith("#") and reference.split("/")[0] not in types:
                yield Problem(self.name, f"reference {reference!r} is not to {' or '.join(types)}")

    def element(self) -> dict[str, Any]:
        element: dict[str, Any] = {"min": self.min, "max": self.max}
        if self.targets:
            element["type"] = [{"code": "Reference", "targetProfile": [profile for _t, profile in self.targets]}]
        return element


@dataclasses.dataclass(frozen=True)
class Fixed:
    path: str
    value: Any
    fhir_type: str  # "code", "uri", "string", "boolean", or a complex type for a pattern

    @property
    def name(self) -> str:
        return f"{self.path} fixed"

    def _matches(self, value: Any) -> bool:
        if isinstance(self.value, dict):
            return isinstance(value, dict) and all(value.get(k) == v for k, v in self.value.items())
        return value == self.value

    def check(self, resource: Mapping[str, Any], slices: Mapping[str, str], value_sets: Mapping[str, CodeSet]):
        for value in values_at(resource, self.path, slices):
            if not self._matches(value):
                yield Problem(self.name, f"is {value!r}, must be {self.value!r}")

    def element(self) -> dict[str, Any]:
        kind = "pattern" if isinstance(self.value, dict) else "fixed"
        return {f"{kind}{self.fhir_type[0].upper()}{self.fhir_type[1:]}": self.value}


def _codes(value: Any) -> list[tuple[str, str]]:
    """(system, code) of a code, a Coding; a CodeableConcept gives its codings."""
    if isinstance(value, str):
        return [("", value)]
    if isinstance(value, dict) and "coding" in value:
        return [(c.get("system", ""), c.get("code", "")) for c in value["coding"]]
    if isinstance(value, dict):
        return [(value.get("system", ""), value.get("code", ""))]
    return []


@dataclasses.dataclass(frozen=True)
class Binding:
    path: str
    value_set: str  # the canonical URL of a shipped ValueSet
    strength: str = "required"

    @property
    def name(self) -> str:
        return f"{self.path} bound to {self.value_set}"

    def check(self, resource: Mapping[str, Any], slices: Mapping[str, str], value_sets: Mapping[str, CodeSet]):
        allowed = value_sets[self.value_set]
        bare = {code for _system, code in allowed}
        for value in values_at(resource, self.path, slices):
            codes = _codes(value)
            # A bare code (code type) is checked against the codes alone; a Coding by system and code.
            found = [(s, c) for s, c in codes if ((s, c) in allowed if s else c in bare)]
            if not found:
                shown = ", ".join(f"{s}|{c}" if s else c for s, c in codes) or repr(value)
                yield Problem(self.name, f"{shown} is not in the value set")

    def element(self) -> dict[str, Any]:
        return {"binding": {"strength": self.strength, "valueSet": self.value_set}}


@dataclasses.dataclass(frozen=True)
class Extension:
    path: str  # the element that carries the extension, e.g. "Task"
    name: str  # the slice name
    url: str
    value_type: str  # "Code", "Boolean", "Reference", "String", or "" for a complex extension
    min: int = 1
    max: str = "1"

    @property
    def rule_name(self) -> str:
        return f"{self.path}.extension:{self.name} {self.min}..{self.max}"

    @property
    def element_path(self) -> str:
        return f"{self.path}.extension:{self.name}"

    def check(self, resource: Mapping[str, Any], slices: Mapping[str, str], value_sets: Mapping[str, CodeSet]):
        for parent in values_at(resource, self.path, slices, holders=True):
            found = _children(parent, f"extension:{self.name}", slices)
            if len(found) < self.min:
                yield Problem(self.rule_name, f"extension {self.url} is missing")
            if self.max != "*" and len(found) > int(self.max):
                yield Problem(self.rule_name, f"extension {self.url} is there {len(found)} times")
            for extension in found:
                key = f"value{self.value_type}"
                if self.value_type and key not in extension:
                    yield Problem(self.rule_name, f"extension {self.url} has no {key}")
                if not self.value_type and not extension.get("extension"):
                    yield Problem(self.rule_name, f"extension {self.url} has no parts")


Rule = Cardinality | Fixed | Binding | Extension


def rule_name(rule: Rule) -> str:
    return rule.rule_name if isinstance(rule, Extension) else rule.name


def slices_of(rules: Iterable[Rule]) -> dict[str, str]:
    return {rule.name: rule.url for rule in rules if isinstance(rule, Extension)}


def check(resource: Mapping[str, Any], rules: Iterable[Rule], value_sets: Mapping[str, CodeSet]) -> list[Problem]:
    """Every broken rule of `rules` in `resource` (parsed JSON); an empty list when all hold."""
    rules = list(rules)
    slices = slices_of(rules)
    return [problem for rule in rules for problem in rule.check(resource, slices, value_sets)]
