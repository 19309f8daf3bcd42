"""A definition read from an installation's folder (testsupport.definitions) is counted in the
reports with no code of its own: a point that counts as a national point (`reports_as`) under
that point's key, any other point under its own key, labelled with its title and pathway."""

import datetime

from django.utils import translation

from accounts.models import Role
from conftest import make_user
from directory.models import Organisation
from pathway import services
from reports import figures
from reports.models import Measure, MonthlyFigure
from reports.tables.labels import point_label
from testsupport.definitions import THIRD_KEY

TODAY = datetime.date(2026, 12, 9)


def test_the_folders_definition_is_counted_as_its_rule_says(definition_folder, actor_of, personas, patient, orgs):
    home_services = Organisation.objects.create(
        kind=Organisation.Kind.HOME_SERVICES, name="Askøy hjemmetjeneste", municipality=orgs["askoy"]
    )
    nurse = actor_of(personas["nurse"])
    enrolment = services.enrol(
        nurse,
        patient,
        definition_key=THIRD_KEY,
        diagnosis_date=datetime.date(2026, 11, 2),
        icd10_code="C50.9",
        treatment_intent="curative",
        offer="accepted",
        today=TODAY,
    )
    services.close_point(nurse, enrolment.points.get(key="t1"), "completed", on_date=datetime.date(2026, 11, 10))
    visitor = actor_of(make_user("hjemme", home_services, Role.MUNICIPAL_COORDINATOR))
    services.close_point(visitor, enrolment.points.get(key="t2"), "completed", on_date=datetime.date(2026, 11, 12))

    figures.refresh(TODAY)
    counted = set(
        MonthlyFigure.objects.filter(measure=Measure.POINT).values_list("key", "category", "organisation_id", "count")
    )
    # The home services' point is reported for the municipality it belongs to.
    assert counted == {("sp1", "in_window", orgs["haukeland"].pk, 1), ("t2", "in_window", orgs["askoy"].pk, 1)}
    with translation.override("en"):
        assert point_label("t2") == "Visit from the home services (Third pathway from a folder)"
        assert point_label("sp1").startswith("Point 1: ")
