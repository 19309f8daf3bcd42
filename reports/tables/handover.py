"""Handover messages received and sent, by whether they were acknowledged within the agreed time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports import indicators
from reports.tables.cells import SHARE, Cell, Column, Row, Table, share_cell, suppressed_grid


def handover_table(figures) -> Table:
    data = figures.handover_acknowledgement()
    categories = indicators.HANDOVER_CATEGORIES
    directions = list(data)
    matrix = [[data[d][c] for c in categories] for d in directions]
    cells = suppressed_grid(matrix, row_totals=True, column_totals=False)
    labels = {
        "received": _("All messages") if figures.national else _("Received"),
        "sent": _("Sent"),
    }
    columns = [
        Column("in_time", _("Acknowledged in time")),
        Column("late", _("Acknowledged late")),
        Column("overdue", _("Not acknowledged, past the date")),
        Column("waiting", _("Not acknowledged yet, within the date")),
        Column("total", _("Messages")),
        Column("in_time_share", _("Acknowledged in time (%)"), SHARE),
    ]
    rows = []
    for i, direction in enumerate(directions):
        in_time, total = data[direction]["in_time"], sum(data[direction].values())
        decided = total - data[direction]["waiting"]
        decided_cell = (
            Cell(str(decided), decided) if not any(c.hidden for c in cells[i]) else Cell("x", None, "secondary")
        )
        rows.append(Row(labels[direction], cells[i] + [share_cell(cells[i][0], decided_cell, in_time, decided)]))
    return Table(
        "handover",
        _("Handover messages acknowledged within the agreed time"),
        _("Messages"),
        columns,
        rows,
        definition=_(
            "Handover messages written in the period, received by or sent from the organisations in the report. "
            "A message is acknowledged in time when the receiver acknowledged it on or before the date agreed "
            "for it. The share is of the messages that were acknowledged or are past their date."
        ),
    )
