"""The demo data: the named trusts and municipalities, users in every role, 100+ patients."""

from django.core.management import call_command

from accounts.models import Membership, Role
from directory.models import ContactPoint
from heimveg.demo import DEMO_PASSWORD
from patients import nin
from patients.models import Patient, Relative


def test_the_demo_loads_once_and_again_without_duplicates(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (
        Patient.objects.count(),
        Relative.objects.count(),
        ContactPoint.objects.count(),
        Membership.objects.count(),
    )
    call_command("load_demo")
    again = capsys.readouterr().out
    assert counts == (
        Patient.objects.count(),
        Relative.objects.count(),
        ContactPoint.objects.count(),
        Membership.objects.count(),
    )
    assert counts[0] >= 100
    assert "121 new patients" in first and "0 new patients, 0 new enrolments" in again
    assert DEMO_PASSWORD in again and "koordinator.askoy" in again


def test_the_demo_covers_the_regions_roles_and_relatives_asked_for(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    municipalities = set(Patient.objects.values_list("municipality__name", flat=True))
    assert municipalities == {"Askøy", "Voss", "Ålesund", "Molde"}
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Relative.objects.filter(is_child=True).exists()
    trusts_with_points = set(ContactPoint.objects.values_list("organisation__name", flat=True))
    assert {"Helse Bergen HF", "Helse Møre og Romsdal HF", "Askøy", "Voss", "Ålesund", "Molde"} <= trusts_with_points


def test_the_demo_has_contact_persons_and_a_municipality_reading_its_own_entries_after_a_move(db):
    from pathway.models import Enrolment, PathwayEvent
    from patients.access import author_relation_q, care_relation_q

    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Enrolment.objects.filter(contact_person__isnull=False).exists()
    move = PathwayEvent.objects.filter(kind=PathwayEvent.Kind.MOVED).select_related("organisation", "enrolment").first()
    old = move.organisation
    patients = Patient.objects.filter(pk=move.enrolment.patient_id)
    assert patients.filter(author_relation_q(old)).exists()
    assert not patients.filter(care_relation_q(old)).exists()


def test_the_demo_has_answers_from_home_and_completed_assessments(db):
    from assessment.models import Assessment, FollowUp, QuestionnaireResponse

    call_command("load_demo", stdout=open("/dev/null", "w"))
    from_home = QuestionnaireResponse.objects.filter(source="patient", status="completed")
    assert from_home.filter(point__outcome="").exists()  # waiting for the conversation
    assert Assessment.objects.filter(completed_at__isnull=False).count() == (
        Assessment.objects.filter(point__outcome="completed").count()
    )
    assert FollowUp.objects.exists()
    assert not Patient.objects.exclude(email__endswith="@example.test").exclude(national_id_kind="dnr").exists()


def test_every_demo_number_is_synthetic(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for number in Patient.objects.values_list("national_id", flat=True):
        assert nin.parse(number, allow_synthetic=True).synthetic
