"""What the generated rows point at: the directory's municipalities, health trusts and hospitals,
the GP offices and staff the generator adds, the pathway definition and its windows.

Generated organisations and users are recognisable: GP offices have `is_demo=True` and the
`MARKER_NOTE` as catchment note; users have usernames starting with `USER_PREFIX` and no usable
password. They are created once, in bulk, and reused by every run (the append-only audit log
refers to them, so they are never deleted).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from accounts.models import Membership, Role, User
from directory.models import Organisation
from handover import channels
from pathway import services as pathway_services
from pathway.definitions import DEFAULT_DEFINITION_KEY, get_definition
from synthetic.national import distributions as dist

Kind = Organisation.Kind
USER_PREFIX = "nat-"
GENERATOR_USERNAME = "nat-generator"
MARKER_NOTE = "Synthetic GP office of the national data set (manage.py generate_national)."
PATIENT_EMAIL_DOMAIN = "nasjonal.heimveg.invalid"  # every generated patient's e-mail: the marker
INHABITANTS_PER_GP_OFFICE = 8_000
GP_OFFICE_WORDS = ("legesenter", "legekontor", "helsesenter", "legesenter sentrum", "fastlegekontor", "legegruppe")


@dataclass(frozen=True)
class Person:
    user_id: int
    username: str
    name: str
    role: str


@dataclass(frozen=True)
class Municipality:
    id: int
    name: str
    number: str
    county_id: int | None
    health_trust_id: int | None


@dataclass
class Context:
    municipalities: list[Municipality]
    municipality_cum: list[float]  # cumulative population, for picking in proportion
    by_county: dict[int | None, list[Municipality]]
    enrolling: dict[int, list[int]]  # health trust -> its hospitals (or the trust itself)
    first_point_weeks: dict[int, int]
    org_kind: dict[int, str]
    org_name: dict[int, str]
    gp_offices: dict[int | None, list[int]]  # municipality -> generated GP offices
    staff: dict[int, Person]  # organisation -> the generated person acting for it
    definition_id: int
    definition_key: str
    point_defs: tuple
    titles_json: dict[str, str]
    titles: dict[str, dict]
    channel_keys: tuple[str, ...]
    _windows: dict = field(default_factory=dict)

    def windows(self, diagnosis_date, enrolling_id):
        """The points' windows by the pathway's rule (`pathway.services.point_windows`), as the
        enrolment gets them; cached per diagnosis day and hospital target."""
        kind = self.org_kind[enrolling_id]
        key = (diagnosis_date, kind, self.first_point_weeks[enrolling_id])
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = pathway_services.point_windows(self.definition_key, *key)
        return found


def _staff_name(rng):
    given = rng.choice(dist.GIVEN_FEMALE if rng.random() < 0.7 else dist.GIVEN_MALE)
    return given, rng.choice(dist.FAMILY)


@transaction.atomic
def prepare(seed: int) -> Context:
    """Create what is missing (GP offices, staff, the definition record) and describe it all."""
    rng = random.Random(f"heimveg-national-reference:{seed}")
    municipalities = list(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY, population__gt=0).order_by("municipality_number")
    )
    trusts = list(Organisation.objects.filter(kind=Kind.HEALTH_TRUST).order_by("id"))
    hospitals = list(Organisation.objects.filter(kind=Kind.HOSPITAL).order_by("id"))

    existing_gp: dict[int | None, list[Organisation]] = {}
    for office in Organisation.objects.filter(kind=Kind.GP_OFFICE, catchment_note=MARKER_NOTE).order_by("id"):
        existing_gp.setdefault(office.municipality_id, []).append(office)
    new_offices = []
    for municipality in municipalities:
        if municipality.pk in existing_gp:
            continue
        count = max(1, round((municipality.population or 0) / INHABITANTS_PER_GP_OFFICE))
        for index in range(count):
            word = GP_OFFICE_WORDS[index % len(GP_OFFICE_WORDS)]
            suffix = f" {index // len(GP_OFFICE_WORDS) + 1}" if index >= len(GP_OFFICE_WORDS) else ""
            new_offices.append(
                Organisation(
                    kind=Kind.GP_OFFICE,
                    name=f"{municipality.name} {word}{suffix}",
                    municipality=municipality,
                    county_id=municipality.county_id,
                    is_demo=True,
                    catchment_note=MARKER_NOTE,
                )
            )
    if new_offices:
        Organisation.objects.bulk_create(new_offices, batch_size=1000)
        existing_gp = {}
        for office in Organisation.objects.filter(kind=Kind.GP_OFFICE, catchment_note=MARKER_NOTE).order_by("id"):
            existing_gp.setdefault(office.municipality_id, []).append(office)

    # One person acting for each organisation the rows need.
    wanted = [(m, "kommune", Role.MUNICIPAL_COORDINATOR) for m in municipalities]
    wanted += [(o, "sykehus", Role.HOSPITAL_CLINICIAN) for o in hospitals + trusts]
    wanted += [(o, "lege", Role.GP) for offices in existing_gp.values() for o in offices]
    usernames = {f"{USER_PREFIX}{word}-{org.pk}": (org, role) for org, word, role in wanted}
    have = set(User.objects.filter(username__in=list(usernames)).values_list("username", flat=True))
    new_users = []
    for username in usernames:
        if username not in have:
            first, last = _staff_name(rng)
            new_users.append(User(username=username, first_name=first, last_name=last, password="!generated"))
    User.objects.bulk_create(new_users, batch_size=1000)
    users = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    have_memberships = set(Membership.objects.filter(user__in=users.values()).values_list("user__username", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(user=users[username], organisation=org, role=role)
            for username, (org, role) in usernames.items()
            if username not in have_memberships
        ],
        batch_size=1000,
    )
    staff = {org.pk: Person(users[u].pk, u, users[u].get_full_name(), role) for u, (org, role) in usernames.items()}

    enrolling = {}
    for trust in trusts:
        enrolling[trust.pk] = [h.pk for h in hospitals if h.parent_id == trust.pk] or [trust.pk]
    all_orgs = municipalities + trusts + hospitals + [o for offices in existing_gp.values() for o in offices]
    definition = get_definition(DEFAULT_DEFINITION_KEY)
    record = pathway_services.definition_record(DEFAULT_DEFINITION_KEY)
    mun = [
        Municipality(m.pk, m.name, m.municipality_number or "", m.county_id, m.health_trust_id) for m in municipalities
    ]
    by_county: dict[int | None, list[Municipality]] = {}
    for m in mun:
        by_county.setdefault(m.county_id, []).append(m)
    return Context(
        municipalities=mun,
        municipality_cum=dist._cumulative(m.population for m in municipalities),
        by_county=by_county,
        enrolling=enrolling,
        first_point_weeks={o.pk: o.first_point_weeks for o in all_orgs},
        org_kind={o.pk: o.kind for o in all_orgs},
        org_name={o.pk: o.name for o in all_orgs},
        gp_offices={m_id: [o.pk for o in offices] for m_id, offices in existing_gp.items()},
        staff=staff,
        definition_id=record.pk,
        definition_key=definition.key,
        point_defs=definition.points,
        titles_json={p.key: json.dumps(p.title, ensure_ascii=False) for p in definition.points},
        titles={p.key: p.title for p in definition.points},
        channel_keys=tuple(channels.configured()),
    )


def start_pathway(first_day) -> int:
    """Give the organisations that enrol and follow up (municipalities, health trusts, hospitals) a
    pathway start date no later than `first_day`, the first day of the generated history, which
    for a ten-year set lies years before the national start (2022-01-01). Without it the
    not-retroactive rule (pathway.services.pathway_start) would refuse what users do with the
    generated history: a relapse, a death dated before a generated diagnosis. An earlier start date
    is kept. Returns the number of organisations changed."""
    kinds = (Kind.MUNICIPALITY, Kind.HEALTH_TRUST, Kind.HOSPITAL)
    later = Q(pathway_start_date__isnull=True) | Q(pathway_start_date__gt=first_day)
    return Organisation.objects.filter(later, kind__in=kinds).update(pathway_start_date=first_day)


def generator_user_id():
    user, _created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "Synthetic national data", "is_active": False, "password": "!generated"},
    )
    return user.pk
