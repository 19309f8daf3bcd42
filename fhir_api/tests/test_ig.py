"""The FHIR implementation guide (/ig/): its resources are valid FHIR R4 (fhir.resources), built
from what the API serves, reference HL7 Norway's basis profiles, are deterministic, and are shown
as pages in nb, nn and en with a JSON download."""

import datetime
import importlib
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from fhir_api.capability import capability_statement
from fhir_api.ig import guide, profiles, search_parameters, terminology
from fhir_api.mapping.common import DNR, FNR, MUNICIPALITY_EXTENSION, ORG_NUMBER
from fhir_api.profile_rules import Binding, Extension, check
from fhir_api.resources import REGISTRY
from pathway.definitions import all_definitions
from testsupport.definitions import THIRD_KEY

BASE_URL = "https://heimveg.example.no/fhir"
DAY = datetime.date(2026, 12, 9)


@pytest.fixture(scope="module")
def entries():
    return guide.entries(BASE_URL, DAY)


def _validate(data):
    module = importlib.import_module(f"fhir.resources.R4B.{data['resourceType'].lower()}")
    return getattr(module, data["resourceType"]).model_validate(data)


def test_every_resource_is_valid_r4_json_with_a_unique_id(entries):
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        _validate(json.loads(json.dumps(entry.json())))  # what a download holds parses again
    urls = [e.resource.url for e in entries if getattr(e.resource, "url", None)]
    assert len(urls) == len(set(urls))


def test_the_guide_holds_what_the_api_serves(entries):
    by_section = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(entry)
    assert {e.id for e in by_section["plan-definitions"]} == set(all_definitions())
    served_forms = {q.id for q in REGISTRY["Questionnaire"].search(None)}
    assert {e.id for e in by_section["questionnaires"]} == served_forms
    assert served_forms >= {"heimveg-needs-adult", "heimveg-needs-child", "heimveg-needs-relative"}
    assert {e.resource.type for e in by_section["profiles"]} >= {
        "EpisodeOfCare",
        "CarePlan",
        "Task",
        "Communication",
        "QuestionnaireResponse",
    }
    served = capability_statement(BASE_URL, DAY).model_dump(mode="json", by_alias=True, exclude_none=True)
    assert by_section["capability"][0].json() == served
    listed = {r["reference"]["reference"] for r in entries[0].json()["definition"]["resource"]}
    assert listed == {f"{e.type}/{e.id}" for e in entries[1:]}


def test_every_profiled_type_in_the_capability_statement_names_its_profile(entries):
    statement = next(e for e in entries if e.section == "capability").json()
    supported = {r["type"]: r.get("supportedProfile") for r in statement["rest"][0]["resource"]}
    for profile in profiles.PROFILES:
        assert supported[profile.type] == [profile.url]
    assert statement["implementationGuide"] == [entries[0].resource.url]


def test_profiles_reference_hl7_norways_basis_profiles_and_identifier_systems(entries):
    texts = {e.id: json.dumps(e.json()) for e in entries if e.section == "profiles"}
    assert "http://hl7.no/fhir/StructureDefinition/no-basis-Patient" in texts["heimveg-Task"]
    assert "http://hl7.no/fhir/StructureDefinition/no-basis-Organization" in texts["heimveg-Task"]
    patient = next(e for e in entries if e.id == "heimveg-Patient").json()
    assert patient["baseDefinition"] == "http://hl7.no/fhir/StructureDefinition/no-basis-Patient"
    assert FNR in patient["description"] and DNR in patient["description"]
    assert MUNICIPALITY_EXTENSION in texts["heimveg-Patient"]
    organization = next(e for e in entries if e.id == "heimveg-Organization").json()
    assert organization["baseDefinition"] == "http://hl7.no/fhir/StructureDefinition/no-basis-Organization"
    assert ORG_NUMBER in organization["description"]
    assert entries[0].json()["dependsOn"][0]["packageId"] == "hl7.fhir.no.basis"


def test_differentials_follow_the_base_resources_element_order(entries):
    for entry in entries:
        if entry.section != "profiles":
            continue
        module = importlib.import_module(f"fhir.resources.R4B.{entry.resource.type.lower()}")
        sequence = getattr(module, entry.resource.type).elements_sequence()
        tops = [e.path.split(".")[1] for e in entry.resource.differential.element]
        assert [sequence.index(top) for top in tops] == sorted(sequence.index(top) for top in tops), entry.id


def test_every_binding_names_a_shipped_value_set_and_every_extension_a_definition(entries):
    shipped_value_sets = {e.resource.url for e in entries if e.type == "ValueSet"}
    shipped_extensions = {e.resource.url for e in entries if e.section == "extensions"}
    for profile in profiles.PROFILES:
        for rule in profile.rules:
            if isinstance(rule, Binding):
                assert rule.value_set in shipped_value_sets, rule
            if isinstance(rule, Extension) and rule.url.startswith("https://heimveg.no/"):
                assert rule.url in shipped_extensions, rule
    assert set(terminology.expansions()) == shipped_value_sets


def test_value_sets_expand_from_the_code_the_api_maps_with():
    expansions = terminology.expansions()
    points = {code for _s, code in expansions[terminology.value_set_url("collaboration-point")]}
    assert points >= {"sp1", "sp2", "sp3"}
    definitions = {code for _s, code in expansions[terminology.value_set_url("pathway-definition")]}
    assert definitions == set(all_definitions())
    kinds = {code for _s, code in expansions[terminology.value_set_url("handover-kind")]}
    assert kinds >= {"point_completed", "transfer", "bereavement", "offer_declined", "acknowledgement"}


def test_code_systems_name_each_code_in_bokmal_nynorsk_and_english(entries):
    intent = next(e for e in entries if e.key == "CodeSystem-treatment-intent").json()
    palliative = next(c for c in intent["concept"] if c["code"] == "palliative")
    assert [d["language"] for d in palliative["designation"]] == ["nb", "nn", "en"]
    assert palliative["display"] == "Palliative"
    assert palliative["designation"][0]["value"] != "Palliative"  # translated, not the English msgid


def test_every_search_parameter_the_api_serves_is_fhirs_own_or_defined_in_the_guide():
    custom = {(c.resource_type, c.code) for c in search_parameters.CUSTOM}
    for resource_type in REGISTRY.values():
        for param in resource_type.params:
            if param.name == "_id" or (resource_type.name, param.name) in search_parameters.CHAINED:
                continue
            standard = param.name in search_parameters.STANDARD.get(resource_type.name, set())
            assert standard != ((resource_type.name, param.name) in custom), (resource_type.name, param.name)
    defined = {(p.base[0], p.code) for p in search_parameters.search_parameters()}
    assert defined == custom


def test_examples_are_deterministic_and_keep_their_profiles(entries):
    guide.clear()
    again = guide.entries(BASE_URL, DAY)
    assert [e.json() for e in again] == [e.json() for e in entries]
    examples = [e for e in entries if e.section == "examples"]
    assert {e.type for e in examples} >= {"EpisodeOfCare", "CarePlan", "Task", "Communication", "QuestionnaireResponse"}
    value_sets = terminology.expansions()
    for example in examples:
        profile = profiles.PROFILES_BY_TYPE.get(example.type)
        if profile:
            assert check(example.json(), profile.rules, value_sets) == [], example.key
    declared = {
        r["reference"]["reference"]: r.get("exampleCanonical") for r in entries[0].json()["definition"]["resource"]
    }
    task = next(e for e in examples if e.type == "Task")
    assert declared[f"Task/{task.id}"] == profiles.PROFILES_BY_TYPE["Task"].url
    patient = next(e for e in examples if e.type == "Patient").json()
    assert patient["identifier"][0]["value"][2] in "89"  # a Test-Norge number (month + 80)


def test_write_ig_writes_one_file_per_resource(tmp_path, entries):
    call_command("write_ig", str(tmp_path), "--date", DAY.isoformat(), "--base-url", BASE_URL)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{e.key}.json" for e in entries)
    task = json.loads((tmp_path / "StructureDefinition-heimveg-Task.json").read_text(encoding="utf-8"))
    assert task == next(e for e in entries if e.key == "StructureDefinition-heimveg-Task").json()


# --- Pages -----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,heading",
    [
        ("nb", "Pakkeforløpet hjem som FHIR-implementasjonsguide"),
        ("nn", "Pakkeforløpet heim som FHIR-implementasjonsrettleiing"),
        ("en", "The pathway home as a FHIR implementation guide"),
    ],
)
def test_the_index_lists_every_resource_without_sign_in_in_each_language(client, entries, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("ig:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert "{#" not in page  # no template comment leaks into the page (the frame had one)
    for entry in entries[1:]:
        assert reverse("ig:page", args=[entry.key]) in page
        assert reverse("ig:json", args=[entry.key]) in page


@pytest.mark.django_db
def test_a_profile_page_shows_its_rules_and_links_its_value_sets(client):
    response = client.get(reverse("ig:page", args=["StructureDefinition-heimveg-Task"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Task.intent" in page and reverse("ig:page", args=["ValueSet-task-status"]) in page
    episode = client.get(reverse("ig:page", args=["StructureDefinition-heimveg-EpisodeOfCare"])).content.decode()
    assert reverse("ig:page", args=["StructureDefinition-treatment-intent"]) in episode
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_resource_downloads_as_fhir_json_and_the_whole_guide_as_a_bundle(client):
    response = client.get(reverse("ig:json", args=["PlanDefinition-national-2022"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["url"] == "https://heimveg.no/fhir/PlanDefinition/national-2022"
    bundle = json.loads(client.get(reverse("ig:bundle")).content)
    _validate(bundle)
    assert bundle["entry"][0]["resource"]["resourceType"] == "ImplementationGuide"


@pytest.mark.django_db
def test_an_unknown_resource_is_404(client):
    assert client.get("/ig/StructureDefinition-nothing/").status_code == 404
    assert client.get("/ig/StructureDefinition-nothing.json").status_code == 404


@pytest.mark.django_db
def test_the_guide_is_cacheable_for_visitors_and_never_stored_for_signed_in_users(client, client_for, personas):
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # a returning visitor
    assert "public" in client.get(reverse("ig:index"))["Cache-Control"]
    assert "public" in client.get(reverse("ig:json", args=["CodeSystem-care-level"]))["Cache-Control"]
    staff = client_for(personas["coordinator"])
    assert staff.get(reverse("ig:index"))["Cache-Control"] == "no-store"


def test_a_definition_from_an_installations_folder_is_in_the_guide(definition_folder):
    keys = {e.key for e in guide.entries(BASE_URL, DAY)}
    assert f"PlanDefinition-{THIRD_KEY}" in keys
    assert f"CodeSystem-pathway-definition-{THIRD_KEY}" in keys
    points = terminology.expansions()[terminology.value_set_url("collaboration-point")]
    assert ("https://heimveg.no/fhir/CodeSystem/pathway-definition/third-from-a-folder", "t2") in points
