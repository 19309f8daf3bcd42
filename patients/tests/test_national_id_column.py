"""The national_id column holds exactly 11 ASCII digits (a CHECK on both backends), and the data
migration before it normalises old rows through the one parser and stops on any collision."""

import datetime
import importlib
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from conftest import synthetic_id
from directory.models import Organisation
from lib import nin
from patients.models import Patient

migration = importlib.import_module("patients.migrations.0003_normalise_national_ids")
BEFORE = [("patients", "0002_contact_details")]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda n: n[:9].translate(ARABIC_INDIC) + n[9:],  # what the old parser once stored
        lambda n: n[:3] + "²" + n[4:],
        lambda n: n[:10].translate(FULLWIDTH) + n[10],
        lambda n: n[:10],
        lambda n: n[:10] + "\n",  # Python's `$` matches before a final newline (SQLite's REGEXP)
        lambda n: n[:6] + " " + n[7:],
        lambda n: n[:10] + "a",
    ],
)
def test_the_database_refuses_anything_but_eleven_ascii_digits(patient, spoil):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(national_id=spoil(patient.national_id))
    patient.refresh_from_db()
    assert set(patient.national_id) <= set("0123456789")


def test_the_migration_rewrites_separators_and_fullwidth_digits_and_keeps_clean_rows():
    a, b, c = (uuid.uuid4() for _ in range(3))
    number = synthetic_id(datetime.date(1970, 3, 14))
    other = synthetic_id(datetime.date(1980, 1, 2))
    fullwidth = number.translate(FULLWIDTH)
    updates, lines = migration.problems([(a, f"{other[:6]} {other[6:]}"), (b, fullwidth), (c, "12345678901")])
    assert lines == []
    assert updates == {a: other, b: number}


def test_the_migration_reports_a_collision_by_public_id_never_by_number():
    first, second, third = (uuid.uuid4() for _ in range(3))
    number = synthetic_id(datetime.date(1970, 3, 14))
    other = synthetic_id(datetime.date(1980, 1, 2))
    rows = [
        (first, number),
        (second, f"{number[:6]}-{number[6:]}"),
        (third, other[:9].translate(ARABIC_INDIC) + other[9:]),
    ]
    updates, lines = migration.problems(rows)
    assert lines == [
        f"patients {first}, {second}: the same national identity number once normalised",
        f"patient {third}: a character other than 0-9, space, dot or dash",
    ]
    assert not any(number in line or other in line for line in lines)


def test_a_number_in_another_script_is_reported_as_a_twin_of_the_patient_it_duplicates():
    first, second = uuid.uuid4(), uuid.uuid4()
    number = synthetic_id(datetime.date(1970, 3, 14))
    _, lines = migration.problems([(first, number), (second, number[:9].translate(ARABIC_INDIC) + number[9:])])
    assert lines == [
        f"patient {second}: a character other than 0-9, space, dot or dash; read as digits it is the number "
        f"of patient {first}"
    ]


def _old_patients():
    """Migrate patients back to before the CHECK and the data migration; return its Patient and
    an organisation to point at (the directory may be gone after an earlier transactional test)."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    org = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).first() or Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Testkommune", municipality_number="9999"
    )
    return apps.get_model("patients", "Patient"), apps.get_model("directory", "Organisation").objects.get(pk=org.pk)


def _make(Patient, org, number):
    return Patient.objects.create(
        national_id=number,
        national_id_kind=nin.FODSELSNUMMER,
        given_name="Old",
        family_name="Row",
        date_of_birth=datetime.date(1970, 3, 14),
        municipality=org,
        registered_by=org,
    ).public_id


def _forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_normalises_old_rows_and_then_the_check_holds():
    OldPatient, org = _old_patients()
    try:
        number = synthetic_id(datetime.date(1970, 3, 14))
        # 11 characters, as varchar(11) on PostgreSQL lets through (SQLite would take a spaced one too).
        folded = _make(OldPatient, org, number[:6].translate(FULLWIDTH) + number[6:])
        clean = _make(OldPatient, org, synthetic_id(datetime.date(1980, 1, 2)))
    finally:
        _forward()
    assert Patient.objects.get(public_id=folded).national_id == number
    assert Patient.objects.get(public_id=clean).national_id == synthetic_id(datetime.date(1980, 1, 2))


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_a_collision_and_changes_nothing():
    OldPatient, org = _old_patients()
    number = synthetic_id(datetime.date(1970, 3, 14))
    first = _make(OldPatient, org, number)
    twin = _make(OldPatient, org, number[:9].translate(ARABIC_INDIC) + number[9:])
    try:
        with pytest.raises(migration.NationalIdCollision) as raised:
            _forward()
        assert str(twin) in str(raised.value) and str(first) in str(raised.value)
        assert number not in str(raised.value)
        assert OldPatient.objects.get(public_id=twin).national_id == number[:9].translate(ARABIC_INDIC) + number[9:]
    finally:
        OldPatient.objects.filter(public_id=twin).delete()
        _forward()
