"""More pathways from data alone: the shipped examples (a palliative chain counted from events,
a local variant with a point of its own), points held by the home services and the nursing home,
enabling by an organisation's admin, a definition read from an installation's folder, and
enrolments kept on the definition version they started with."""

import datetime

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from conftest import make_user
from directory.models import Organisation
from pathway import definitions, enabling, services, worklists
from pathway.definitions import DefinitionError, get_definition
from pathway.models import DefinitionEnabling, PathwayDefinition
from pathway.services import PathwayRuleError
from pathway.tests.test_moves_and_contact_person import move
from testsupport.definitions import EXTRA_POINT, THIRD_KEY, third_text
from testsupport.enrolling import enable_definition

Kind = Organisation.Kind
TODAY = datetime.date(2026, 12, 9)  # conftest's pinned day
DIAGNOSED = datetime.date(2026, 12, 1)
PALLIATIVE = "palliative-chain-example"
LOCAL = "local-variant-example"


def enrol(actor, patient, key, **kwargs):
    values = {"diagnosis_date": DIAGNOSED, "icd10_code": "C50.9", "treatment_intent": "palliative"}
    values.update(offer="accepted", today=TODAY)
    return services.enrol(actor, patient, definition_key=key, **{**values, **kwargs})


def windows(enrolment):
    return {p.key: (p.window_opens, p.window_closes) for p in enrolment.points.order_by("sequence")}


@pytest.fixture
def nurse(actor_of, personas):
    return actor_of(personas["nurse"])


@pytest.fixture
def home_services(orgs):
    return Organisation.objects.create(kind=Kind.HOME_SERVICES, name="Askøy hjemmetjeneste", municipality=orgs["askoy"])


# The examples are data only, and say so --------------------------------------------------------


@pytest.mark.parametrize("key", [PALLIATIVE, LOCAL])
def test_each_example_says_in_its_own_text_that_it_is_not_national_guidance(key):
    definition = get_definition(key)
    assert definition.needs_enabling
    assert "ikke en nasjonal anbefaling" in definition.description["nb"]
    assert "ikkje ei nasjonal tilråding" in definition.description["nn"]
    assert "not national guidance" in definition.description["en"]


def test_the_palliative_chain_is_counted_from_events_and_held_by_hospital_home_services_and_nursing_home(
    nurse, actor_of, personas, patient, orgs, home_services
):
    enable_definition(orgs["haukeland"], PALLIATIVE)
    enrolment = enrol(nurse, patient, PALLIATIVE)
    # Nothing has happened yet that a point is counted from: no point has a window.
    assert windows(enrolment) == {"pc1": (None, None), "pc2": (None, None), "pc3": (None, None)}
    points = {p.key: p for p in enrolment.points.select_related("responsible_organisation")}
    assert points["pc1"].responsible_organisation == orgs["haukeland"]
    assert points["pc2"].responsible_organisation == home_services  # the home services of Askøy
    assert points["pc2"].care_level == "home_services"
    assert points["pc3"].responsible_organisation == orgs["askoy"]  # no nursing home listed: the municipality
    assert points["pc3"].care_level == "nursing_home"

    moved_on = datetime.date(2026, 12, 2)
    services.record_event(nurse, enrolment, "palliative_care_started", moved_on, today=TODAY)
    assert windows(enrolment)["pc1"] == (moved_on, datetime.date(2026, 12, 16))
    services.close_point(nurse, enrolment.points.get(key="pc1"), "completed", on_date=TODAY, today=TODAY)
    assert windows(enrolment)["pc2"] == (TODAY, datetime.date(2026, 12, 16))
    # The home services' coordinator has it on the worklist; the municipality's does not.
    service_coordinator = make_user("hjemme", home_services, Role.MUNICIPAL_COORDINATOR)
    assert [p.key for p in worklists.open_points(home_services, TODAY)] == ["pc2"]
    assert not worklists.open_points(orgs["askoy"], TODAY).filter(key="pc2").exists()
    services.close_point(
        actor_of(service_coordinator), enrolment.points.get(key="pc2"), "completed", on_date=TODAY, today=TODAY
    )
    services.record_event(nurse, enrolment, "nursing_home_admission", TODAY, today=TODAY)
    assert windows(enrolment)["pc3"] == (TODAY, datetime.date(2026, 12, 16))
    assert [p.key for p in worklists.open_points(orgs["askoy"], TODAY)] == ["pc3"]


def test_a_move_hands_the_home_services_point_to_the_new_municipality(
    nurse, client_for, personas, patient, orgs, home_services
):
    enable_definition(orgs["haukeland"], PALLIATIVE)
    enrolment = enrol(nurse, patient, PALLIATIVE)
    voss = orgs["voss"]
    voss_home = Organisation.objects.create(kind=Kind.HOME_SERVICES, name="Voss heimeteneste", municipality=voss)
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    held = dict(enrolment.points.values_list("key", "responsible_organisation"))
    assert held == {"pc1": orgs["haukeland"].pk, "pc2": voss_home.pk, "pc3": orgs["voss"].pk}


def test_the_local_variant_adds_the_hospitals_own_point(nurse, patient, orgs):
    enable_definition(orgs["haukeland"], LOCAL)
    enrolment = enrol(nurse, patient, LOCAL, treatment_intent="curative")
    assert list(enrolment.points.order_by("sequence").values_list("key", flat=True)) == [
        "sp1",
        "local_call",
        "sp2",
        "sp3",
    ]
    services.close_point(nurse, enrolment.points.get(key="sp1"), "completed", on_date=TODAY, today=TODAY)
    assert windows(enrolment)["local_call"] == (datetime.date(2026, 12, 23), datetime.date(2027, 1, 20))
    assert windows(enrolment)["sp2"] == (datetime.date(2027, 3, 1), datetime.date(2027, 4, 1))


# Enabling ---------------------------------------------------------------------------------------


def test_a_definition_that_needs_enabling_is_refused_until_the_organisation_enables_it(nurse, patient):
    with pytest.raises(PathwayRuleError) as caught:
        enrol(nurse, patient, PALLIATIVE)
    assert caught.value.field == "definition_key"
    assert "has not enabled the pathway" in caught.value.messages[0]
    assert not patient.enrolments.exists()


def test_a_health_trusts_enabling_counts_for_its_hospitals(nurse, patient, orgs):
    enable_definition(orgs["helse_bergen"], PALLIATIVE)
    assert enabling.may_enrol_on(orgs["haukeland"], get_definition(PALLIATIVE))
    assert not enabling.may_enrol_on(orgs["askoy"], get_definition(PALLIATIVE))
    assert enrol(nurse, patient, PALLIATIVE).definition.key == PALLIATIVE


def test_the_admin_enables_and_disables_on_the_pathways_page(client_for, personas, orgs, patient):
    admin_user = make_user("haukeland-admin", orgs["haukeland"], Role.ORG_ADMIN)
    client = client_for(admin_user)
    page = client.get("/pathway/definitions/").content.decode()
    assert "Palliative care chain (example)" in page and "Not enabled for your organisation" in page
    assert "Counted as the national Point 1" in page
    response = client.post(f"/pathway/definitions/{PALLIATIVE}/enabled/", {"enable": "1"}, follow=True)
    assert "The pathway is enabled." in response.content.decode()
    enabled = DefinitionEnabling.objects.get(organisation=orgs["haukeland"], definition_key=PALLIATIVE)
    assert enabled.enabled_by == admin_user
    # The enrolment form now offers the pathway beside the national one.
    form = client_for(personas["nurse"]).get(f"/pathway/patients/{patient.public_id}/enrol/").content.decode()
    assert 'name="definition_key"' in form and "Palliative care chain (example)" in form
    client = client_for(admin_user)
    client.post(f"/pathway/definitions/{PALLIATIVE}/enabled/", {"enable": "0"})
    assert not DefinitionEnabling.objects.exists()
    logged = AuditEntry.objects.filter(object_type="pathway_definition").order_by("pk")
    assert [(e.username, e.detail) for e in logged] == [
        ("haukeland-admin", f"{PALLIATIVE} enabled"),
        ("haukeland-admin", f"{PALLIATIVE} disabled"),
    ]
    # The national pathway cannot be disabled, and only admins come in.
    response = client.post("/pathway/definitions/national-2022/enabled/", {"enable": "0"}, follow=True)
    assert "This pathway is national" in response.content.decode()
    assert client_for(personas["nurse"]).get("/pathway/definitions/").status_code == 403


def test_without_an_enabled_pathway_the_form_offers_no_choice(client_for, personas, patient):
    form = client_for(personas["nurse"]).get(f"/pathway/patients/{patient.public_id}/enrol/").content.decode()
    assert 'name="definition_key"' not in form


def test_the_form_enrols_on_the_chosen_pathway(client_for, personas, patient, orgs):
    enable_definition(orgs["haukeland"], LOCAL)
    response = client_for(personas["nurse"]).post(
        f"/pathway/patients/{patient.public_id}/enrol/",
        {
            "diagnosis_date": "2026-12-01",
            "icd10_code": "C50.9",
            "treatment_intent": "curative",
            "offer": "accepted",
            "definition_key": LOCAL,
        },
    )
    assert response.status_code == 302
    assert patient.enrolments.get().definition.key == LOCAL


# A definition from the installation's folder ---------------------------------------------------


def test_a_definition_from_a_folder_is_enrolled_on_and_shown_on_the_worklists(
    definition_folder, nurse, client_for, personas, patient, orgs, home_services
):
    assert THIRD_KEY in definitions.all_definitions()
    enrolment = enrol(nurse, patient, THIRD_KEY)
    page = client_for(personas["nurse"]).get("/pathway/worklist/").content.decode()
    assert "First conversation" in page
    services.close_point(nurse, enrolment.points.get(key="t1"), "completed", on_date=TODAY, today=TODAY)
    coordinator = make_user("hjemme", home_services, Role.MUNICIPAL_COORDINATOR)
    page = client_for(coordinator).get("/pathway/worklist/").content.decode()
    assert "Visit from the home services" in page
    # The worklist's point filter offers the definition's own points, by its title and theirs,
    # and filters by them.
    assert '<option value="t2">Third pathway from a folder: Visit from the home services</option>' in page
    only_t2 = client_for(coordinator).get("/pathway/worklist/", {"point": "t2"})
    assert [p.key for p in only_t2.context["points_page"]] == ["t2"]
    assert not client_for(coordinator).get("/pathway/worklist/", {"point": "sp2"}).context["points_page"]


def test_a_new_version_of_a_file_does_not_change_the_pathways_already_started(definition_folder, nurse, patient, orgs):
    first = enrol(nurse, patient, THIRD_KEY)
    definition_folder.write(third_text(version=2, t2_closes="P3W", extra=EXTRA_POINT))
    assert get_definition(THIRD_KEY).version == 2
    # The first pathway stays on version 1: its points, and the window its next point gets.
    services.close_point(nurse, first.points.get(key="t1"), "completed", on_date=TODAY, today=TODAY)
    assert first.definition.version == 1
    assert windows(first) == {
        "t1": (DIAGNOSED, datetime.date(2026, 12, 15)),
        "t2": (TODAY, datetime.date(2026, 12, 16)),
    }
    # A pathway started now is on version 2.
    services.withdraw(nurse, first, reason="Ønsket å avslutte.")
    second = enrol(nurse, patient, THIRD_KEY, is_relapse=True, diagnosis_date=TODAY)
    assert second.definition.version == 2
    services.close_point(nurse, second.points.get(key="t1"), "completed", on_date=TODAY, today=TODAY)
    assert windows(second)["t2"] == (TODAY, datetime.date(2026, 12, 30))
    assert "t3" in windows(second)
    assert set(PathwayDefinition.objects.filter(key=THIRD_KEY).values_list("version", flat=True)) == {1, 2}


def test_a_file_changed_without_a_new_version_is_refused_once_enrolled_on(definition_folder, nurse, patient):
    enrol(nurse, patient, THIRD_KEY)
    definition_folder.write(third_text(version=1, t2_closes="P3W"))
    with pytest.raises(PathwayRuleError, match="Give the changed file a new version number"):
        enrol(nurse, patient, THIRD_KEY, is_relapse=True, diagnosis_date=TODAY)


def test_a_bad_file_in_the_folder_names_its_path_line_and_field(definition_folder):
    text = third_text().replace("reports_as: sp1", "reports_as: sp9")
    with pytest.raises(DefinitionError) as caught:
        definition_folder.write(text)
    error = caught.value
    assert error.filename == str(definition_folder.path / "third.yaml")
    assert error.line == 17 and error.field == "point 't1': 'reports_as'"
    assert "'sp9', which is not a point of the national pathway national-2022; expected one of sp1, sp2, sp3" in str(
        error
    )


def test_a_missing_folder_is_refused(settings, tmp_path):
    settings.PATHWAY_DEFINITION_DIRS = [str(tmp_path / "nowhere")]
    try:
        with pytest.raises(DefinitionError, match="the folder does not exist"):
            definitions.reload()
    finally:
        settings.PATHWAY_DEFINITION_DIRS = []
        definitions.reload()
