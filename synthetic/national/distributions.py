"""Pure functions that draw a synthetic patient's features from distributions like Norway's.

Everything takes a seeded `random.Random`, so the same seed gives the same data set. The numbers
are rounded from the Cancer Registry of Norway's yearly reports ("Cancer in Norway"): about
40,000 new cases a year, median age at diagnosis about 68, prostate, breast, lung, colorectal
and melanoma the five most common. They are for volume and realism in tests and demos, not for
epidemiology.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from dataclasses import dataclass

NEW_PATIENTS_PER_YEAR = 40_000

# Fewer diagnoses in the summer holidays and at Christmas; the factors average 1.
MONTH_FACTOR = (1.05, 1.05, 1.10, 1.02, 1.06, 1.00, 0.72, 0.95, 1.06, 1.08, 1.04, 0.87)


@dataclass(frozen=True)
class Diagnosis:
    code: str
    male_share: float
    palliative: float  # share with palliative intent at diagnosis
    yearly_death: float  # yearly hazard of dying for a patient treated with curative intent


# (diagnosis, weight) by age band. Codes are valid ICD-10 codes in the pathway's range
# (pathway.icd10 accepts them; a test checks).
ADULT = (
    (Diagnosis("C61", 1.0, 0.12, 0.02), 13.0),
    (Diagnosis("C50.9", 0.01, 0.06, 0.015), 10.5),
    (Diagnosis("C34.1", 0.5, 0.55, 0.12), 5.5),
    (Diagnosis("C34.9", 0.5, 0.55, 0.12), 4.0),
    (Diagnosis("C18.7", 0.48, 0.2, 0.04), 4.0),
    (Diagnosis("C18.9", 0.48, 0.2, 0.04), 4.5),
    (Diagnosis("C19", 0.55, 0.2, 0.04), 1.0),
    (Diagnosis("C20", 0.58, 0.18, 0.04), 2.8),
    (Diagnosis("C43.5", 0.52, 0.05, 0.01), 4.5),
    (Diagnosis("C43.9", 0.52, 0.05, 0.01), 3.0),
    (Diagnosis("C44.3", 0.6, 0.01, 0.005), 3.5),
    (Diagnosis("C67.9", 0.75, 0.12, 0.04), 4.5),
    (Diagnosis("C64", 0.65, 0.2, 0.04), 2.6),
    (Diagnosis("C25.9", 0.5, 0.75, 0.2), 2.6),
    (Diagnosis("C83.3", 0.55, 0.15, 0.04), 1.5),
    (Diagnosis("C85.9", 0.55, 0.15, 0.04), 1.5),
    (Diagnosis("C91.1", 0.6, 0.3, 0.04), 0.9),
    (Diagnosis("C92.0", 0.55, 0.35, 0.12), 0.6),
    (Diagnosis("C90.0", 0.58, 0.5, 0.08), 1.3),
    (Diagnosis("C71.9", 0.58, 0.5, 0.15), 1.1),
    (Diagnosis("C73", 0.27, 0.03, 0.005), 1.0),
    (Diagnosis("C16.9", 0.6, 0.5, 0.1), 1.1),
    (Diagnosis("C56", 0.0, 0.3, 0.08), 1.2),
    (Diagnosis("C54.1", 0.0, 0.08, 0.02), 2.1),
    (Diagnosis("C53.9", 0.0, 0.1, 0.03), 0.6),
    (Diagnosis("C15.9", 0.72, 0.6, 0.15), 0.8),
    (Diagnosis("C22.0", 0.7, 0.6, 0.15), 1.0),
    (Diagnosis("C32.9", 0.8, 0.15, 0.05), 0.4),
    (Diagnosis("C01", 0.7, 0.15, 0.04), 0.6),
    (Diagnosis("C09.9", 0.72, 0.12, 0.04), 0.6),
    (Diagnosis("C45.0", 0.82, 0.7, 0.2), 0.3),
    (Diagnosis("C49.9", 0.55, 0.25, 0.05), 0.4),
    (Diagnosis("C80.9", 0.5, 0.85, 0.3), 0.8),
    (Diagnosis("D05.1", 0.0, 0.0, 0.002), 1.1),
    (Diagnosis("C82.9", 0.5, 0.1, 0.03), 0.6),
)
YOUNG_ADULT = (  # 18–39
    (Diagnosis("C50.9", 0.01, 0.05, 0.015), 16.0),
    (Diagnosis("C43.5", 0.45, 0.03, 0.01), 12.0),
    (Diagnosis("C62.9", 1.0, 0.01, 0.003), 11.0),
    (Diagnosis("C73", 0.25, 0.01, 0.002), 8.0),
    (Diagnosis("C53.9", 0.0, 0.05, 0.02), 7.0),
    (Diagnosis("C81.9", 0.55, 0.02, 0.01), 5.0),
    (Diagnosis("C71.9", 0.55, 0.3, 0.08), 4.0),
    (Diagnosis("C18.7", 0.5, 0.15, 0.03), 4.0),
    (Diagnosis("C20", 0.55, 0.12, 0.03), 2.0),
    (Diagnosis("C83.3", 0.55, 0.1, 0.03), 3.0),
    (Diagnosis("C92.0", 0.5, 0.15, 0.08), 2.0),
    (Diagnosis("C49.9", 0.55, 0.15, 0.04), 2.0),
    (Diagnosis("C40.2", 0.6, 0.1, 0.04), 1.5),
    (Diagnosis("D06.9", 0.0, 0.0, 0.001), 4.0),
)
CHILD = (  # 0–17
    (Diagnosis("C91.0", 0.55, 0.02, 0.02), 26.0),
    (Diagnosis("C71.9", 0.55, 0.15, 0.05), 22.0),
    (Diagnosis("C92.0", 0.5, 0.05, 0.05), 6.0),
    (Diagnosis("C81.9", 0.55, 0.01, 0.005), 8.0),
    (Diagnosis("C83.3", 0.6, 0.02, 0.01), 5.0),
    (Diagnosis("C64", 0.5, 0.02, 0.01), 6.0),
    (Diagnosis("C74.9", 0.55, 0.1, 0.04), 6.0),
    (Diagnosis("C40.2", 0.55, 0.05, 0.03), 5.0),
    (Diagnosis("C49.9", 0.55, 0.05, 0.03), 6.0),
    (Diagnosis("C69.2", 0.5, 0.0, 0.005), 3.0),
    (Diagnosis("C73", 0.3, 0.0, 0.001), 2.0),
)
ALL_DIAGNOSES = tuple({d.code: d for d, _w in itertools.chain(ADULT, YOUNG_ADULT, CHILD)}.values())

# Age at diagnosis: (first age, last age, share). Median about 68-69; 1 % children.
AGE_BANDS = (
    (0, 17, 1.0),
    (18, 29, 1.5),
    (30, 39, 2.7),
    (40, 49, 5.8),
    (50, 59, 13.5),
    (60, 69, 26.0),
    (70, 79, 30.5),
    (80, 89, 16.5),
    (90, 99, 2.5),
)


# Tuned so that about a fifth of the patients diagnosed over ten years die within the period.
PALLIATIVE_SHARE = 0.75
CURATIVE_HAZARD = 0.4


def _cumulative(weights):
    return list(itertools.accumulate(weights))


_AGE_CUM = _cumulative(share for _lo, _hi, share in AGE_BANDS)
_DX_TABLES = {
    name: (tuple(d for d, _w in table), _cumulative(w for _d, w in table))
    for name, table in (("adult", ADULT), ("young", YOUNG_ADULT), ("child", CHILD))
}


def pick(rng, items, cumulative):
    """`rng.choices(items, cum_weights=cumulative)[0]`, without the list."""
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def age_at_diagnosis(rng) -> int:
    lo, hi, _share = pick(rng, AGE_BANDS, _AGE_CUM)
    return rng.randint(lo, hi)


def diagnosis(rng, age: int) -> Diagnosis:
    table = "child" if age < 18 else "young" if age < 40 else "adult"
    items, cumulative = _DX_TABLES[table]
    return pick(rng, items, cumulative)


def is_male(rng, dx: Diagnosis) -> bool:
    return rng.random() < dx.male_share


def treatment_intent(rng, dx: Diagnosis, age: int, recent: bool) -> str:
    """'curative', 'palliative' or 'not_known' (more often not yet known for the newest)."""
    if rng.random() < (0.25 if recent else 0.04):
        return "not_known"
    palliative = dx.palliative * PALLIATIVE_SHARE * (1.4 if age >= 80 else 1.0)
    return "palliative" if rng.random() < palliative else "curative"


def days_to_death(rng, dx: Diagnosis, intent: str, age: int) -> int:
    """Days from diagnosis to death (may well lie after the end of the period)."""
    mean_days: float
    if intent == "palliative":
        mean_days = 700 if age < 80 else 500
    else:
        hazard = dx.yearly_death * (2.0 if intent == "not_known" else 1.0) * (1.8 if age >= 80 else 1.0)
        hazard += 0.01 if age >= 75 else 0.0  # deaths from other causes
        mean_days = 365 / max(hazard * CURATIVE_HAZARD, 0.002)
    return 1 + int(rng.expovariate(1 / mean_days))


def patients_in_month(rng, scale: float, year: int, month: int) -> int:
    expected = NEW_PATIENTS_PER_YEAR * scale / 12 * MONTH_FACTOR[month - 1]
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def expected_patients(scale: float, months) -> float:
    return sum(NEW_PATIENTS_PER_YEAR * scale / 12 * MONTH_FACTOR[m - 1] for _y, m in months)


def distress(rng, intent: str) -> int:
    """A distress thermometer score 0–10, higher with palliative intent."""
    base = rng.triangular(0, 10, 6 if intent == "palliative" else 3)
    return min(10, max(0, round(base)))


def birth_date(rng, diagnosis_date: datetime.date, age: int) -> datetime.date:
    """A birth date that makes the patient `age` years old on the diagnosis date."""
    ordinal = diagnosis_date.toordinal() - int(age * 365.25) - rng.randint(0, 364)
    return datetime.date.fromordinal(ordinal)


def month_seed(seed: int, year: int, month: int) -> str:
    """Each month has a seed of its own, so a resumed run makes the same data as one long run."""
    return f"heimveg-national:{seed}:{year:04d}-{month:02d}"


# Names, Norwegian and common (Statistics Norway's name statistics), for synthetic people only.
GIVEN_MALE = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Hans", "Geir", "Tor", "Odd",
    "Terje", "Thomas", "Rune", "Trond", "Morten", "Tore", "Erik", "Anders", "Martin", "Jon", "Harald",
    "Rolf", "Nils", "Egil", "Leif", "Ivar", "Magnus", "Sindre", "Jonas", "Emil", "Henrik", "Oskar", "Filip",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde", "Anna",
    "Solveig", "Marianne", "Randi", "Ida", "Nina", "Elisabeth", "Kristin", "Bente", "Heidi", "Silje",
    "Hanne", "Gunn", "Tone", "Ragnhild", "Turid", "Grete", "Wenche", "Nora", "Emma", "Sara", "Maja", "Ingeborg",
)  # fmt: skip
FAMILY = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
    "Jacobsen", "Dahl", "Jørgensen", "Henriksen", "Lund", "Halvorsen", "Sørensen", "Jakobsen", "Moen",
    "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen",
    "Bakken", "Kristoffersen", "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde",
    "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge",
    "Christensen", "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre", "Hanssen",
    "Ahmed", "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berntsen", "Sandvik",
)  # fmt: skip
