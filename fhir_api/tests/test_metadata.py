from fhir_api.resources import REGISTRY


def test_metadata_lists_exactly_the_served_resources_interactions_and_search_parameters(anonymous):
    response = anonymous.get("metadata")
    assert response.status_code == 200
    rest = response.json["rest"][0]
    served = {r["type"]: r for r in rest["resource"]}
    assert (
        set(served)
        == set(REGISTRY)
        == {
            "AuditEvent",
            "CarePlan",
            "Communication",
            "EpisodeOfCare",
            "HealthcareService",
            "Organization",
            "Patient",
            "PlanDefinition",
            "Questionnaire",
            "QuestionnaireResponse",
            "RelatedPerson",
            "Task",
        }
    )
    for name, resource_type in REGISTRY.items():
        interactions = {i["code"] for i in served[name]["interaction"]}
        assert interactions == set(resource_type.interactions)
        assert {p["name"] for p in served[name].get("searchParam", [])} == {p.name for p in resource_type.params}
    assert {i["code"] for i in served["EpisodeOfCare"]["interaction"]} == {"read", "search-type", "create"}
    assert served["EpisodeOfCare"]["conditionalCreate"] is True
    assert served["Task"]["searchInclude"] == ["Task:patient"]
    assert {"update", "patch"} <= {i["code"] for i in served["Task"]["interaction"]}
    assert rest["security"]["service"][0]["coding"][0]["code"] == "OAuth"


def test_openapi_document_has_an_operation_per_served_interaction(anonymous, client):
    document = client.get("/fhir/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "post" in document["paths"]["/EpisodeOfCare"]
    assert "put" in document["paths"]["/Task/{id}"]
    assert set(document["paths"]) >= {f"/{name}/{{id}}" for name in REGISTRY}
