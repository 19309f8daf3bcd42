"""The profile rule checker (fhir_api.profile_rules): each kind of rule holds on a resource that
keeps it and names itself when broken. Pure: dicts in, problems out."""

import pytest

from fhir_api.profile_rules import Binding, Cardinality, Extension, Fixed, check, values_at

VS = "https://example.org/ValueSet/statuses"
SYSTEM = "https://example.org/CodeSystem/statuses"
VALUE_SETS = {VS: frozenset({(SYSTEM, "due"), (SYSTEM, "done")})}
EXT = "https://example.org/StructureDefinition/flag"


def task(**changes):
    resource = {
        "resourceType": "Task",
        "extension": [{"url": EXT, "valueBoolean": True}],
        "status": "due",
        "intent": "plan",
        "businessStatus": {"coding": [{"system": SYSTEM, "code": "due"}]},
        "owner": {"reference": "Organization/1"},
        "input": [{"type": {"text": "a"}}, {"type": {"text": "b"}}],
    }
    resource.update(changes)
    return resource


def names(problems):
    return [p.rule for p in problems]


def test_values_at_walks_lists_and_extension_slices():
    resource = task()
    assert values_at(resource, "Task.input.type.text") == ["a", "b"]
    assert values_at(resource, "Task.extension:flag.valueBoolean", {"flag": EXT}) == [True]
    assert values_at(resource, "Patient.name") == []  # another resource type


ONE_INPUT = [{"type": {"text": "a"}}]
COMPLEX = [{"url": EXT, "extension": [{"url": "at", "valueString": "x"}]}]


@pytest.mark.parametrize(
    "rule,keeping,broken",
    [
        (Cardinality("Task.owner", 1, "1"), task(), task(owner=None)),
        (Cardinality("Task.input", 0, "1"), task(input=ONE_INPUT), task()),  # two, at most one
        (
            Cardinality("Task.input.type.text", 1, "1"),
            task(),
            task(input=[{"type": {"text": "a"}}, {"type": {"id": "t"}}]),
        ),
        (
            Cardinality("Task.owner", 1, "1", targets=(("Organization", "x"),)),
            task(),
            task(owner={"reference": "Patient/1"}),
        ),
        (Fixed("Task.intent", "plan", "code"), task(), task(intent="order")),
        (
            Fixed("Task.businessStatus", {"text": "x"}, "CodeableConcept"),
            task(businessStatus={"text": "x", "coding": []}),
            task(businessStatus={"text": "y"}),
        ),
        (Binding("Task.status", VS), task(), task(status="overdue")),
        (
            Binding("Task.businessStatus", VS),
            task(),
            task(businessStatus={"coding": [{"system": "other", "code": "due"}]}),
        ),
        (Extension("Task", "flag", EXT, "Boolean"), task(), task(extension=[])),
        (Extension("Task", "flag", EXT, "Boolean"), task(), task(extension=[{"url": EXT, "valueString": "yes"}])),
        (
            Extension("Task", "flag", EXT, "Boolean", 0, "1"),
            task(extension=[]),
            task(extension=[{"url": EXT, "valueBoolean": True}, {"url": EXT, "valueBoolean": False}]),
        ),
        (Extension("Task", "flag", EXT, ""), task(extension=COMPLEX), task(extension=[{"url": EXT}])),
    ],
    ids=[
        "min",
        "max",
        "per-parent",
        "reference-target",
        "fixed",
        "pattern",
        "binding-code",
        "binding-coding",
        "extension-missing",
        "extension-value-type",
        "extension-too-many",
        "extension-complex",
    ],
)
def test_each_rule_holds_on_a_keeping_resource_and_names_itself_when_broken(rule, keeping, broken):
    assert check(keeping, [rule], VALUE_SETS) == []
    problems = check(broken, [rule], VALUE_SETS)
    assert problems, f"{rule} did not catch {broken}"
    assert {p.rule for p in problems} == {rule.rule_name if isinstance(rule, Extension) else rule.name}


def test_a_binding_checks_a_bare_code_by_code_and_a_coding_by_system_and_code():
    rule = Binding("Task.status", VS)
    assert check(task(status="done"), [rule], VALUE_SETS) == []
    coded = Binding("Task.businessStatus", VS)
    assert check(task(businessStatus={"coding": [{"system": SYSTEM, "code": "done"}]}), [coded], VALUE_SETS) == []
    # One coding in the set is enough for a CodeableConcept (required strength).
    two = {"coding": [{"system": "other", "code": "x"}, {"system": SYSTEM, "code": "due"}]}
    assert check(task(businessStatus=two), [coded], VALUE_SETS) == []


def test_a_rule_on_an_extension_value_uses_the_slice_its_extension_rule_declares():
    rules = [Extension("Task", "flag", EXT, "Code"), Binding("Task.extension:flag.valueCode", VS)]
    assert check(task(extension=[{"url": EXT, "valueCode": "due"}]), rules, VALUE_SETS) == []
    problems = check(task(extension=[{"url": EXT, "valueCode": "late"}]), rules, VALUE_SETS)
    assert names(problems) == [f"Task.extension:flag.valueCode bound to {VS}"]
    assert "late is not in the value set" in str(problems[0])


def test_cardinality_counts_in_each_parent_and_an_absent_parent_needs_nothing():
    rule = Cardinality("Task.input.type", 1, "1")
    assert check(task(input=None), [rule], VALUE_SETS) == []
    assert names(check(task(input=[{"type": {"text": "a"}}, {}]), [rule], VALUE_SETS)) == [rule.name]


def test_the_differential_elements_say_what_the_rules_say():
    assert Cardinality("Task.owner", 1, "1", targets=(("Organization", "p"),)).element() == {
        "min": 1,
        "max": "1",
        "type": [{"code": "Reference", "targetProfile": ["p"]}],
    }
    assert Fixed("Task.intent", "plan", "code").element() == {"fixedCode": "plan"}
    assert Fixed("Task.code", {"text": "x"}, "CodeableConcept").element() == {"patternCodeableConcept": {"text": "x"}}
    assert Binding("Task.status", VS).element() == {"binding": {"strength": "required", "valueSet": VS}}


def test_an_extension_on_a_primitive_element_is_read_from_its_json_companion():
    """HL7 Norway's municipality code sits on Address.district, a string: `_district` in JSON."""
    rule = Extension("Patient.address.district", "municipality", EXT, "Coding")
    coded = {"extension": [{"url": EXT, "valueCoding": {"code": "4627"}}]}
    patient = {"resourceType": "Patient", "address": [{"district": "Askøy", "_district": coded}]}
    assert check(patient, [rule], VALUE_SETS) == []
    assert values_at(
        patient, "Patient.address.district.extension:municipality.valueCoding.code", {"municipality": EXT}
    ) == ["4627"]
    on_the_address = {"resourceType": "Patient", "address": [{"district": "Askøy", **coded}]}
    assert names(check(on_the_address, [rule], VALUE_SETS)) == [rule.rule_name]
    assert check({"resourceType": "Patient", "address": [{"city": "Kleppestø"}]}, [rule], VALUE_SETS) == []
