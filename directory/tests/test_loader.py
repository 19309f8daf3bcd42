"""The national directory loads completely, and loading it again duplicates nothing."""

import shutil

import pytest
from django.core.management import CommandError, call_command
from stdnum.no import orgnr

from directory.loader import DATA_DIR, DirectoryDataError, load_directory
from directory.models import County, Organisation

Kind = Organisation.Kind


def test_the_whole_country_is_there(db):
    assert Organisation.objects.filter(kind=Kind.MUNICIPALITY).count() == 357
    assert Organisation.objects.filter(kind=Kind.HEALTH_TRUST).count() == 20
    assert Organisation.objects.filter(kind=Kind.REGIONAL_HEALTH_AUTHORITY).count() == 4
    assert County.objects.count() == 15
    assert sum(Organisation.objects.filter(kind=Kind.MUNICIPALITY).values_list("population", flat=True)) == 5_550_203


def test_every_municipality_has_a_county_and_a_health_trust(db):
    municipalities = Organisation.objects.filter(kind=Kind.MUNICIPALITY)
    assert not municipalities.filter(county__isnull=True).exists()
    assert not municipalities.filter(health_trust__isnull=True).exists()
    assert all(len(n) == 4 and n.isdigit() for n in municipalities.values_list("municipality_number", flat=True))


def test_organisation_numbers_are_valid(db):
    numbers = Organisation.objects.exclude(org_number=None).values_list("org_number", flat=True)
    assert len(numbers) == 24
    assert all(orgnr.is_valid(n) for n in numbers)


def test_known_places(db):
    voss = Organisation.objects.get(municipality_number="4621")
    assert voss.name == "Voss"
    assert voss.county.name == "Vestland"
    assert voss.health_trust.name == "Helse Bergen HF"
    assert voss.health_trust.parent.name == "Helse Vest"
    assert Organisation.objects.get(municipality_number="0301").population == 717_710


def test_the_health_community_is_the_trust_with_its_municipalities_and_hospitals(db):
    askoy = Organisation.objects.get(municipality_number="4627")
    community = askoy.health_community()
    names = set(community.values_list("name", flat=True))
    assert {"Helse Bergen HF", "Askøy", "Voss", "Bergen", "Haukeland universitetssjukehus"} <= names
    assert "Ålesund" not in names
    assert community.filter(kind=Kind.MUNICIPALITY).count() == 18


def test_loading_again_changes_nothing(db):
    before = Organisation.objects.count()
    result = load_directory()
    assert Organisation.objects.count() == before
    assert result.created == {}
    assert result.updated["municipalities"] == 357


def test_a_bad_row_is_refused_with_its_line(db, tmp_path):
    for name in ("counties.csv", "health_trusts.csv", "municipalities.csv", "hospitals.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    path = tmp_path / "health_trusts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("983971768", "983971769")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DirectoryDataError, match="health_trusts.csv line 4: '983971769' is not a valid"):
        load_directory(tmp_path)


def test_the_command_reports_what_it_did(db, capsys):
    call_command("load_directory")
    assert "municipalities: 0 new, 357 updated" in capsys.readouterr().out


def test_the_command_turns_bad_data_into_a_command_error(db, monkeypatch):
    def broken():
        raise DirectoryDataError("municipalities.csv line 9: unknown county '99'")

    monkeypatch.setattr("directory.management.commands.load_directory.load_directory", broken)
    with pytest.raises(CommandError, match="line 9"):
        call_command("load_directory")
