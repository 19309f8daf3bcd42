"""A definition read from an installation's folder (testsupport.definitions) is served as a
PlanDefinition with no code of its own, and enrolled on through the API like the national one."""

from testsupport.definitions import THIRD_KEY


def test_the_folders_definition_is_a_plan_definition(definition_folder, fhir_as):
    api = fhir_as("hospital")
    plan = api.get(f"PlanDefinition/{THIRD_KEY}").json
    assert plan["url"].endswith(f"/{THIRD_KEY}") and plan["version"] == "1"
    assert plan["title"] == "Third pathway from a folder"
    assert [action["id"] for action in plan["action"]] == ["t1", "t2"]
    assert plan["action"][1]["code"][0]["coding"][0]["code"] == "home_services"
    related = plan["action"][1]["relatedAction"]
    assert [(r["actionId"], r["relationship"]) for r in related] == [("t1", "after-end")]
    assert related[0]["offsetRange"]["high"] == {
        "value": 1,
        "unit": "week",
        "system": "http://unitsofmeasure.org",
        "code": "wk",
    }
    assert THIRD_KEY in api.get("PlanDefinition").ids()
    assert api.get("PlanDefinition", {"url": plan["url"]}).ids() == [THIRD_KEY]


def test_the_palliative_chain_names_the_events_its_points_are_counted_from(fhir_as):
    plan = fhir_as("hospital").get("PlanDefinition/palliative-chain-example").json
    assert plan["action"][0]["trigger"] == [{"type": "named-event", "name": "palliative_care_started"}]
    assert plan["action"][2]["trigger"] == [{"type": "named-event", "name": "nursing_home_admission"}]
    assert [a["code"][0]["coding"][0]["code"] for a in plan["action"]] == ["hospital", "home_services", "nursing_home"]
