"""The municipalities of a health community side by side: patients enrolled, the share who
accepted, municipal points judged and the share inside the window, with the community's average."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.models import Organisation
from reports import indicators
from reports import scope as scopes
from reports.tables.cells import SHARE, Column, Counts, Row, Table, share_cell
from reports.tables.charts import chart, column_dataset, dataset


def community_of(scope) -> Organisation | None:
    """The health trust whose community a comparison of municipalities is drawn for, if any."""
    if scope.kind == scopes.COMMUNITY:
        return scope.organisation
    if scope.kind == scopes.ORGANISATION and scope.organisation.kind in (
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.HEALTH_TRUST,
    ):
        return scope.organisation.owning_health_trust()
    return None


@dataclass
class Comparison:
    """The counts of the comparison of a health community's municipalities, before suppression."""

    municipalities: list[tuple[int, str]]  # (id, name) in the table's order
    counts: Counts  # enrolled, accepted, judged, inside the window; a total row


def comparison_counts(trust, start, end) -> Comparison | None:
    """None for a health trust that serves no municipality (a national special trust)."""
    municipalities = list(
        Organisation.objects.filter(health_trust=trust, kind=Organisation.Kind.MUNICIPALITY)
        .order_by("name")
        .values_list("pk", "name")
    )
    if not municipalities:
        return None
    ids = frozenset(pk for pk, _name in municipalities)
    enrolled, points = indicators.municipalities(ids, start, end)
    raw = [
        [
            enrolled.get(pk, {}).get("enrolled", 0),
            enrolled.get(pk, {}).get("accepted", 0),
            points.get(pk, {}).get("judged", 0),
            points.get(pk, {}).get("in_window", 0),
        ]
        for pk, _name in municipalities
    ]
    return Comparison(municipalities, Counts(raw, row_totals=False, column_totals=True))


def comparison_table(trust, start, end, comparison=None, cells=None) -> Table | None:
    """None for a health trust that serves no municipality (a national special trust).
    `comparison` and `cells`: its counts, and their cells as suppressed with the tables linked to
    them (see reports.report.build).

    Four columns with a total each: the patients, the accepted, the municipal points and those
    inside the window. The accepted and inside the window are shown only as shares; a share of a
    shown base gives its count back, so they are suppressed as counts (and a share is hidden
    where its count is, as well as where it would give a small count away)."""
    if comparison is None:
        comparison = comparison_counts(trust, start, end)
    if comparison is None:
        return None
    municipalities = comparison.municipalities
    if cells is None:
        cells = comparison.counts.suppressed()
    rows = []
    for i, values in enumerate(comparison.counts.with_totals()):
        e_cell, accepted_cell, j_cell, window_cell = cells[i]
        rows.append(
            Row(
                municipalities[i][1] if i < len(municipalities) else _("The health community (average)"),
                [
                    e_cell,
                    share_cell(accepted_cell, e_cell, values[1], values[0]),
                    j_cell,
                    share_cell(window_cell, j_cell, values[3], values[2]),
                ],
                is_total=i == len(municipalities),
            )
        )
    table = Table(
        "comparison",
        _("Municipalities in the health community of %(trust)s") % {"trust": trust.name},
        _("Municipality"),
        [
            Column("enrolled", _("Patients diagnosed and enrolled")),
            Column("accepted_share", _("Accepted the offer (%)"), SHARE),
            Column("judged", _("Municipal points whose window closed")),
            Column("in_window_share", _("Completed inside the window (%)"), SHARE),
        ],
        rows,
        definition=_(
            "Each municipality of the health community: patients living there who were diagnosed and enrolled in "
            "the period, the share who accepted the pathway, and the share of the municipality's collaboration "
            "points (whose window closed in the period) completed inside the window. The health community's "
            "average is the share over all its municipalities' patients and points together."
        ),
    )
    average = table.rows[-1].cells[3].value if table.rows else None
    names = table.labels()
    table.chart = chart(
        "bar",
        names,
        [
            column_dataset(table, "in_window_share", _("Completed inside the window (%)")),
            dataset(_("The health community (average)"), [average] * len(names), kind="line"),
        ],
        percent=True,
    )
    table.chart_summary = _(
        "Bars: each municipality's share of collaboration points completed inside the window, with a line at "
        "the health community's average."
    )
    return table
