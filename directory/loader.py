"""Load the national directory from the CSV files in `directory/data/`.

Running it again updates what changed and creates nothing twice: every row is matched on its
national key (county number, organisation number, municipality number; hospitals on name).
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from stdnum.no import orgnr

from directory.models import County, Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
Kind = Organisation.Kind


class DirectoryDataError(ValueError):
    """A row in the directory data is wrong; the message names the file and line."""


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def count(self, kind: str, created: bool):
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated))
        return ", ".join(f"{k}: {self.created.get(k, 0)} new, {self.updated.get(k, 0)} updated" for k in kinds)


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def _org_number(value: str, where: str) -> str:
    if not orgnr.is_valid(value):
        raise DirectoryDataError(f"{where}: '{value}' is not a valid organisation number")
    return orgnr.compact(value)


def _upsert(result: LoadResult, label: str, model, lookup: dict, defaults: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=defaults)
    result.count(label, created)
    return obj


@transaction.atomic
def load_directory(data_dir: Path = DATA_DIR) -> LoadResult:
    result = LoadResult()

    counties = {}
    for _line, row in _rows(data_dir / "counties.csv"):
        counties[row["county_number"]] = _upsert(
            result,
            "counties",
            County,
            {"number": row["county_number"]},
            {"name": row["county_name"], "name_official": row["county_name_official"]},
        )

    trusts = {}
    authorities = {}
    for line, row in _rows(data_dir / "health_trusts.csv"):
        where = f"health_trusts.csv line {line}"
        rhf_number = _org_number(row["regional_health_authority_org_number"], where)
        if rhf_number not in authorities:
            authorities[rhf_number] = _upsert(
                result,
                "regional health authorities",
                Organisation,
                {"org_number": rhf_number},
                {"kind": Kind.REGIONAL_HEALTH_AUTHORITY, "name": row["regional_health_authority"]},
            )
        number = _org_number(row["org_number"], where)
        trusts[number] = _upsert(
            result,
            "health trusts",
            Organisation,
            {"org_number": number},
            {"kind": Kind.HEALTH_TRUST, "name": row["name"], "parent": authorities[rhf_number]},
        )

    municipalities = {}
    for line, row in _rows(data_dir / "municipalities.csv"):
        where = f"municipalities.csv line {line}"
        number = row["number"]
        if len(number) != 4 or not number.isdigit():
            raise DirectoryDataError(f"{where}: municipality number '{number}' is not four digits")
        if row["county_number"] not in counties:
            raise DirectoryDataError(f"{where}: unknown county '{row['county_number']}'")
        trust = trusts.get(row["health_trust_org_number"])
        if trust is None:
            raise DirectoryDataError(f"{where}: unknown health trust '{row['health_trust_org_number']}'")
        municipalities[number] = _upsert(
            result,
            "municipalities",
            Organisation,
            {"municipality_number": number},
            {
                "kind": Kind.MUNICIPALITY,
                "name": row["name"],
                "name_official": row["name_official"],
                "county": counties[row["county_number"]],
                "population": int(row["population"]),
                "population_date": datetime.date.fromisoformat(row["population_date"]),
                "health_trust": trust,
                "catchment_note": row["catchment_note"],
            },
        )

    for line, row in _rows(data_dir / "hospitals.csv"):
        where = f"hospitals.csv line {line}"
        trust = trusts.get(row["health_trust_org_number"])
        located = municipalities.get(row["municipality_number"])
        if trust is None or located is None:
            raise DirectoryDataError(f"{where}: unknown health trust or municipality")
        _upsert(
            result,
            "hospitals",
            Organisation,
            {"kind": Kind.HOSPITAL, "name": row["name"]},
            {"parent": trust, "municipality": located},
        )
    return result
