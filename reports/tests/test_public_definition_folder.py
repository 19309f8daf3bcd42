"""A definition read from an installation's folder (testsupport.definitions) is counted in the
public delivery figures with no code of its own: its point that counts as the national point 1
(`reports_as`) in the sp1 figures of the hospital's health trust and of all of Norway (the
windows closed, the share held inside them and the median days), and its patients in their
municipality's registered patients. A shipped definition whose points are counted from an event
gives no days from the diagnosis."""

import datetime

from pathway import services
from reports import figures
from reports.models import PublicFigures
from reports.public import compute
from reports.tests import factories as f
from reports.tests.test_public_figures import figure
from testsupport.definitions import THIRD_KEY

TODAY = datetime.date(2026, 12, 9)
AS_OF = datetime.date(2027, 1, 5)  # the last full year: 2026
DIAGNOSED = datetime.date(2026, 11, 2)


def document_of(area):
    return PublicFigures.objects.get(area=area).document


def test_the_public_figures_count_the_folders_definition(definition_folder, actor_of, personas, patient, orgs):
    nurse = actor_of(personas["nurse"])
    patients = [patient, *(f.patient(orgs["askoy"], orgs["haukeland"]) for _ in range(4))]
    for n, person in enumerate(patients):
        enrolment = services.enrol(
            nurse,
            person,
            definition_key=THIRD_KEY,
            diagnosis_date=DIAGNOSED,
            icd10_code="C50.9",
            treatment_intent="curative",
            offer="accepted",
            today=TODAY,
        )
        # Held 6, 7, 8, 9 and 10 days after the diagnosis, all inside the two weeks' window.
        held = DIAGNOSED + datetime.timedelta(days=6 + n)
        services.close_point(nurse, enrolment.points.get(key="t1"), "completed", on_date=held)

    figures.refresh(AS_OF)
    compute.refresh(AS_OF)

    trust, norway = document_of(str(orgs["helse_bergen"].public_id)), document_of(compute.NORWAY)
    for document in (trust, norway):
        for period in ("2026-Q4", "2026"):
            assert figure(document, period, "window_closed", "sp1")["value"] == 5
            assert figure(document, period, "in_window_share", "sp1")["status"] == "shown"
            assert figure(document, period, "median_days", "sp1")["value"] == 8
        assert figure(document, "2026-Q3", "window_closed", "sp1")["value"] == 0
    askoy = document_of(str(orgs["askoy"].public_id))
    assert figure(askoy, "2026-Q4", "registered")["value"] == 5
    assert figure(askoy, "2026", "registered")["value"] == 5


def test_days_from_the_diagnosis_leave_out_points_counted_from_an_event(actor_of, personas, patient, orgs):
    """The palliative example's first point counts as the national point 1, but its window is
    counted from the move to palliative care, which may come long after the diagnosis: it is a
    point held (counted), but not a day count from the diagnosis, in the public median and in the
    reports' days to the first point. The national pathway's points still are."""
    from reports.models import Measure, MonthlyFigure
    from testsupport.enrolling import enable_definition

    enable_definition(orgs["haukeland"], "palliative-chain-example")
    nurse = actor_of(personas["nurse"])
    diagnosed_long_ago = datetime.date(2024, 3, 1)
    for person in [patient, *(f.patient(orgs["askoy"], orgs["haukeland"]) for _ in range(4))]:
        enrolment = services.enrol(
            nurse,
            person,
            definition_key="palliative-chain-example",
            diagnosis_date=diagnosed_long_ago,
            icd10_code="C50.9",
            treatment_intent="palliative",
            offer="accepted",
            today=TODAY,
        )
        moved = DIAGNOSED + datetime.timedelta(days=1)
        services.record_event(nurse, enrolment, "palliative_care_started", moved, today=TODAY)
        services.close_point(nurse, enrolment.points.get(key="pc1"), "completed", on_date=moved, today=TODAY)

    figures.refresh(AS_OF)
    compute.refresh(AS_OF)

    trust = document_of(str(orgs["helse_bergen"].public_id))
    assert figure(trust, "2026-Q4", "window_closed", "sp1")["value"] == 5  # held, and counted as point 1
    assert figure(trust, "2026-Q4", "median_days", "sp1")["status"] == "none"  # no day count from the diagnosis
    assert not MonthlyFigure.objects.filter(measure=Measure.FIRST_POINT).exists()
