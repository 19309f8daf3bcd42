"""A public figures document (`reports.models.PublicFigures.document`, made by
`reports.public.compute`) read back as the page's tables and chart, as CSV rows and as the JSON
download. The document is language-neutral; the labels are translated here."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from reports.csv_export import BOM, SEPARATOR
from reports.tables.cells import COUNT, DAYS, NOT_AVAILABLE, SHARE, Cell, Column, Row, Table
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import point_label, point_short

MARKS = {"fewer_than_5": "<5", "hidden": "x"}
CSV_COLUMNS = ("area_id", "area_kind", "area_name", "year", "period", "measure", "point", "value", "status")


def cell(figure: dict, kind: str) -> Cell:
    """A document figure as a report cell: its text in the page's language, its value for charts."""
    status, value = figure["status"], figure["value"]
    if status in MARKS:
        return Cell(MARKS[status], None, "primary" if status == "fewer_than_5" else "secondary")
    if status == "none" or value is None:
        return NOT_AVAILABLE
    return Cell(f"{value} %" if kind == SHARE else str(value), value)


def period_label(period: str) -> str:
    year, _sep, quarter = period.partition("-Q")
    if quarter:
        return _("Quarter %(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    return _("The whole year %(year)s") % {"year": year}


def _index(figures: list[dict]) -> dict[tuple, dict]:
    return {(row["period"], row["measure"], row["point"]): row for row in figures}


def patients_table(document: dict) -> Table:
    found = _index(document["figures"])
    columns = [
        Column("registered", _("Patients registered in Heimveg"), COUNT),
        Column("offered_share", _("Offered the pathway, of those registered in Heimveg (%)"), SHARE),
    ]
    rows = [
        Row(
            period_label(p["id"]),
            [cell(found[(p["id"], c.key, None)], c.kind) for c in columns],
            is_total=i == len(document["periods"]) - 1,
        )
        for i, p in enumerate(document["periods"])
    ]
    return Table(
        "patients",
        _("Patients registered in Heimveg and offered the pathway"),
        _("Period"),
        columns,
        rows,
        definition=_(
            "Patients whose cancer was diagnosed in the period and who were registered in Heimveg (a relapse "
            "counts again). Offered the pathway: the patient has been asked and accepted or declined; the share is "
            "of the patients registered in Heimveg, not of everyone diagnosed with cancer."
        ),
    )


def point_table(document: dict, key: str) -> Table:
    found = _index(document["figures"])
    columns = [
        Column("window_closed", _("Window closed"), COUNT),
        Column("in_window_share", _("Held inside the window (%)"), SHARE),
        Column("median_days", _("Median days from the diagnosis"), DAYS),
    ]
    rows = [
        Row(
            period_label(p["id"]),
            [cell(found[(p["id"], c.key, key)], c.kind) for c in columns],
            is_total=i == len(document["periods"]) - 1,
        )
        for i, p in enumerate(document["periods"])
    ]
    return Table(
        f"point-{key}",
        point_label(key),
        _("Period"),
        columns,
        rows,
        definition=_(
            "Window closed: the collaboration points whose window closed in the period, counted for the "
            "organisation responsible for them. Held inside the window: completed on or before the day the "
            "window closed. Median days: from the diagnosis to the day the point was held, for the points held "
            "in the period; not shown for fewer than 5."
        ),
    )


def ranking_key(document: dict) -> str | None:
    """The point the areas one level down are ranked by: the first point they are responsible for."""
    children = document.get("children") or []
    if not children:
        return None
    keys = [row["point"] for row in children[0]["figures"] if row["measure"] == "in_window_share"]
    return keys[0] if keys else None


def ranking_table(document: dict) -> Table | None:
    """The areas one level down, best first by the share of their first point held inside the
    window in the year; those whose share is hidden or not available last, by name."""
    key = ranking_key(document)
    if key is None:
        return None
    year = str(document["year"])
    keys = [row["point"] for row in document["children"][0]["figures"] if row["measure"] == "window_closed"]
    columns = [
        Column("registered", _("Patients registered in Heimveg"), COUNT),
        Column("offered_share", _("Offered the pathway (%)"), SHARE),
    ]
    for other in keys:
        columns += [
            Column(
                f"{other}_in_window_share",
                _("%(point)s: inside the window (%%)") % {"point": point_short(other)},
                SHARE,
            ),
            Column(f"{other}_median_days", _("%(point)s: median days") % {"point": point_short(other)}, DAYS),
        ]
    entries = []
    for child in document["children"]:
        found = _index(child["figures"])
        cells = [cell(found[(year, "registered", None)], COUNT), cell(found[(year, "offered_share", None)], SHARE)]
        for other in keys:
            cells += [
                cell(found[(year, "in_window_share", other)], SHARE),
                cell(found[(year, "median_days", other)], DAYS),
            ]
        share = found[(year, "in_window_share", key)]["value"]
        entries.append((share is None, -(share or 0), child["area"]["name"], Row(child["area"]["name"], cells)))
    entries.sort(key=lambda entry: entry[:3])
    table = Table(
        "ranking",
        _("Ranked by the share of %(point)s held inside the window, %(year)s")
        % {"point": point_short(key), "year": year},
        _("Area"),
        columns,
        [entry[-1] for entry in entries],
        definition=_(
            "The areas one level down, with the highest share of the point held inside the window first; where "
            "the share is hidden or there is nothing to count, last and by name. The same figures as on each "
            "area's own page, for the whole year."
        ),
    )
    table.chart = chart(
        "bar",
        table.labels(),
        [column_dataset(table, f"{key}_in_window_share", _("Held inside the window (%)"))],
        percent=True,
        horizontal=True,
    )
    table.chart_summary = _("Bars, best first: each area's share of the point held inside the window, in per cent.")
    return table


def csv_text(document: dict) -> str:
    """Every figure of the document, one row each: open data, in the reports' CSV convention
    (UTF-8 with a byte order mark, semicolons); hidden figures have no value and their status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    area = document["area"]
    for row in document["figures"]:
        writer.writerow(
            [
                area["id"],
                area["kind"],
                area["name"],
                document["year"],
                row["period"],
                row["measure"],
                row["point"] or "",
                "" if row["value"] is None else row["value"],
                row["status"],
            ]
        )
    return BOM + buffer.getvalue()
