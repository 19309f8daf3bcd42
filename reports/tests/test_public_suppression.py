"""No hidden count can be worked out from the public delivery figures on their own (every area,
the quarters and the year together), from any signed-in report of the same quarters and year, or
from all of them together: the public pages and the reports of every scope (all of Norway, the
health trusts, hospitals, municipalities and health communities), every quarter and the year.

The data are adversarial: small counts (1 to 4) spread over a few hospitals and municipalities of
two health trusts, written straight into the monthly figures (reports.models.MonthlyFigure) that
both the reports and the public figures read. Every figure a reader sees is a sum of these
monthly counts ("atoms"); a hidden figure can be worked out exactly when its sum is a linear
combination of the sums shown (a shown share over a shown base counts as showing its part). The
check is exact (fractions: reports.tests.linear), written apart from reports.suppression."""

import datetime
import random

import pytest

from directory.models import Organisation
from reports import indicators
from reports import report as reports
from reports import scope as scopes
from reports.models import Measure, MonthlyFigure, PublicFigures
from reports.public import compute
from reports.suppression import THRESHOLD
from reports.tables import points as points_table
from reports.tables.labels import months_between
from reports.tests.linear import Span

D = datetime.date
Kind = Organisation.Kind
YEAR = 2025
AS_OF = D(2026, 3, 1)
OUTCOMES = ("in_window", "late", "not_wanted", "cancelled", "overdue")
OFFERS = ("accepted", "declined", "not_asked")
SMALL = (0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 9)


@pytest.fixture
def places(orgs):
    other_hospital = (
        Organisation.objects.filter(kind=Kind.HOSPITAL, parent__served_municipalities__isnull=False)
        .exclude(parent=orgs["helse_bergen"])
        .order_by("name")
        .first()
    )
    other_trust = other_hospital.parent
    oslo = Organisation.objects.filter(health_trust=other_trust, kind=Kind.MUNICIPALITY).order_by("name").first()
    return {
        "hospitals": [orgs["haukeland"], other_hospital],
        "municipalities": [orgs["askoy"], orgs["voss"], oslo],
        "trusts": [orgs["helse_bergen"], other_trust],
    }


def adversarial(places, seed):
    """Monthly figures of 2025 with mostly small counts; returns the atoms {atom: count}. Every
    atom that could have a count is one, zeros too: a reader does not know which are zero."""
    rng = random.Random(seed)
    (h1, h2), (m1, m2, m3) = places["hospitals"], places["municipalities"]
    atoms = {}
    pairs = [(h1, m1), (h1, m2), (h2, m3), (m1, m1), (h1, m3)]
    for month in months_between(D(YEAR, 1, 1), D(YEAR, 12, 31)):
        for org, other in pairs:
            for offer in OFFERS:
                count = rng.choice(SMALL) if rng.random() < 0.35 else 0
                atoms[(Measure.ENROLMENT, month, "", offer, org.pk, other.pk)] = count
        for key, responsible in (("sp1", (h1, h2)), ("sp2", (m1, m2, m3)), ("sp3", (m1, m3))):
            for org in responsible:
                for outcome in OUTCOMES:
                    count = rng.choice(SMALL) if rng.random() < 0.25 else 0
                    atoms[(Measure.POINT, month, key, outcome, org.pk, None)] = count
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            measure=measure,
            month=month,
            key=key,
            category=category,
            organisation_id=org,
            other_organisation_id=other,
            count=n,
        )  # fmt: skip
        for (measure, month, key, category, org, other), n in atoms.items()
        if n
    )
    return atoms


def sum_of(atoms, measure, months, categories, ids=None, key=None, other=None):
    """The atoms a figure adds up: of the measure, in the months and categories, of the scope's
    organisations (`ids`, None for all of Norway; the patient's municipality counts for
    enrolments) or of one patient municipality (`other`), of one point (`key`)."""
    vector = {}
    for atom in atoms:
        measure_, month, key_, category, org, other_ = atom
        if measure_ != measure or month not in months or category not in categories:
            continue
        if key is not None and key_ != key:
            continue
        if other is not None and other_ != other:
            continue
        if ids is not None and org not in ids and not (measure == Measure.ENROLMENT and other_ in ids):
            continue
        vector[atom] = 1
    return vector


def quarter_months(period_id):
    for pid, start, end in compute.periods(YEAR):
        if pid == period_id:
            return months_between(start, end), start, end
    raise KeyError(period_id)


def public_sums(atoms, area_ids, document):
    """(shown, figures) of one area's public page: the sums shown (counts, and the part a shown
    share gives back), and every sum the page is about, shown or not: the patients, those
    offered and those not, the windows closed, those inside and those not."""
    shown, figures = [], []
    name = document["area"]["name"]
    for row in document["figures"]:
        months, _start, _end = quarter_months(row["period"])
        if row["measure"] in ("registered", "offered_share"):
            part = sum_of(atoms, Measure.ENROLMENT, months, ("accepted", "declined"), area_ids)
            rest = sum_of(atoms, Measure.ENROLMENT, months, ("not_asked",), area_ids)
        elif row["measure"] in ("window_closed", "in_window_share"):
            part = sum_of(atoms, Measure.POINT, months, ("in_window",), area_ids, key=row["point"])
            rest = sum_of(atoms, Measure.POINT, months, OUTCOMES[1:], area_ids, key=row["point"])
        else:
            continue
        whole = part | rest
        if row["status"] == "shown":
            shown.append(part if row["measure"].endswith("_share") else whole)
        what = (name, row["period"], row["measure"], row["point"])
        figures += [((*what, "whole"), whole), ((*what, "part"), part), ((*what, "rest"), rest)]
    return shown, figures


def report_sums(atoms, scope, start, end):
    """(shown, figures) of the signed-in report's count tables for the scope and period: the
    enrolments, the points, their trend by month and the comparison of the health community;
    the figures include the rests a share and its base give back."""
    result = reports.build(scope, start, end)
    ids = scope.org_ids
    months = months_between(start, end)
    shown, figures = [], []

    def note(cell, vector, what, rest=None):
        where = (scope.label, f"{start:%Y-%m}/{end:%Y-%m}", *what)
        figures.append((where, vector))
        if rest is not None:
            figures.append(((*where, "rest"), rest))
        if not cell.hidden and cell.value is not None:
            shown.append(vector)

    enrolments = result.table("enrolments")
    for i, row in enumerate(enrolments.rows):
        rows_months = [months[i]] if i < len(months) else months
        for cell, column in zip(row.cells, enrolments.columns, strict=True):
            categories = OFFERS if column.key == "total" else (column.key,)
            note(cell, sum_of(atoms, Measure.ENROLMENT, rows_months, categories, ids), ("enrolments", i, column.key))
    keys = list(points_table.point_counts(indicators.load(scope, start, end), start, end))
    for key in {"sp1", "sp2", "sp3"} - set(keys):  # a point with nothing counted has no row: a 0
        shown.append(sum_of(atoms, Measure.POINT, months, OUTCOMES, ids, key=key))
    table = result.table("points")
    for key, row in zip(keys, table.rows, strict=True):
        for cell, column in zip(row.cells, table.columns, strict=True):
            name = column.key.removesuffix("_share")
            categories = OUTCOMES if name == "total" else (name,)
            note(cell, sum_of(atoms, Measure.POINT, months, categories, ids, key=key), ("points", key, column.key))
    trend = result.table("points_trend")
    for i, row in enumerate(trend.rows):
        rows_months = [months[i]] if i < len(months) else months
        for cell, column in zip(row.cells, trend.columns, strict=True):
            key, _sep, name = column.key.partition("_")
            categories = ("in_window",) if name in ("in_window", "share") else OUTCOMES
            rest = sum_of(atoms, Measure.POINT, rows_months, OUTCOMES[1:], ids, key=key)
            vector = sum_of(atoms, Measure.POINT, rows_months, categories, ids, key=key)
            note(cell, vector, ("trend", i, column.key), rest)
    compared = result.table("comparison")
    if compared is not None:
        trust = compared_trust(scope)
        municipalities = list(
            Organisation.objects.filter(health_trust=trust, kind=Kind.MUNICIPALITY)
            .order_by("name")
            .values_list("pk", flat=True)
        )
        for i, row in enumerate(compared.rows):
            members = [municipalities[i]] if i < len(municipalities) else municipalities
            for cell, column in zip(row.cells, compared.columns, strict=True):
                vector, rest = {}, {}
                for pk in members:
                    if column.key in ("enrolled", "accepted_share"):
                        categories = OFFERS if column.key == "enrolled" else ("accepted",)
                        vector |= sum_of(atoms, Measure.ENROLMENT, months, categories, other=pk)
                        rest |= sum_of(atoms, Measure.ENROLMENT, months, ("declined", "not_asked"), other=pk)
                    else:
                        categories = OUTCOMES if column.key == "judged" else ("in_window",)
                        vector |= sum_of(atoms, Measure.POINT, months, categories, {pk})
                        rest |= sum_of(atoms, Measure.POINT, months, OUTCOMES[1:], {pk})
                note(cell, vector, ("comparison", i, column.key), rest)
    return shown, figures


def compared_trust(scope):
    from reports.tables import comparison

    return comparison.community_of(scope)


def areas_of(places):
    """The areas of the public pages: all of Norway, the health trusts, the municipalities."""
    return [("norway", scopes.norway_scope())] + [
        (str(org.public_id), scopes.organisation_scope(org)) for org in places["trusts"] + places["municipalities"]
    ]


def report_scopes(places):
    """Every scope a signed-in report can be chosen for in these places: the public areas, the
    hospitals, and the health communities of the two trusts."""
    return (
        [scope for _area, scope in areas_of(places)]
        + [scopes.organisation_scope(org) for org in places["hospitals"]]
        + [scopes.community_scope(trust) for trust in places["trusts"]]
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_no_hidden_count_follows_from_the_public_figures(places, seed):
    atoms = adversarial(places, seed)
    compute.refresh(AS_OF)
    report_shown, report_figures, shown_by_report = [], [], {}
    for scope in report_scopes(places):
        five_shown, five_figures = [], []
        for period, start, end in compute.periods(YEAR):
            r_shown, r_figures = report_sums(atoms, scope, start, end)
            shown_by_report[(scope.key, period)] = r_shown
            report_shown += r_shown
            report_figures += r_figures
            five_shown += r_shown
            five_figures += r_figures
            own = Span(r_shown)
            # A signed-in report alone gives no small count away, a rest of a share included
            # (reports.links.rests)...
            assert [what for what, vector in r_figures if small(atoms, vector) and own.holds(vector)] == []
        # ...nor do the scope's five reports of the year together (reports.calendar)...
        five = Span(five_shown)
        assert [what for what, vector in five_figures if small(atoms, vector) and five.holds(vector)] == []
    public_shown, public_figures = [], []
    for area, scope in areas_of(places):
        document = PublicFigures.objects.get(area=area).document
        shown, figures = public_sums(atoms, scope.org_ids, document)
        public_shown += shown
        public_figures += figures
        for period, _start, _end in compute.periods(YEAR):
            # ...and what the public page shows of an area and period, its report shows already.
            own = Span(shown_by_report[(scope.key, period)])
            in_period = [row for row in document["figures"] if row["period"] == period]
            page_shown, _figures = public_sums(atoms, scope.org_ids, {**document, "figures": in_period})
            assert all(own.holds(vector) for vector in page_shown), (area, period)
    candidates = [(what, vector) for what, vector in public_figures + report_figures if small(atoms, vector)]
    assert len(candidates) > 50, "the data should hold many small counts"
    # The public page alone: all its areas, quarters and the year together.
    alone = Span(public_shown)
    assert [what for what, vector in candidates if alone.holds(vector)] == []
    # All of it together: the public pages and every signed-in report of every scope, quarter
    # and the year (suppressed together each night: reports.calendar.national_cells).
    together = Span(public_shown + report_shown)
    assert [what for what, vector in candidates if together.holds(vector)] == []


def small(atoms, vector) -> bool:
    return 0 < value(atoms, vector) < THRESHOLD


def value(atoms, vector):
    return sum(atoms[atom] * coefficient for atom, coefficient in vector.items())
