"""Handover messages acknowledged in time (reports.tables.handover): received and sent, by
acknowledgement, with the share in time of those decided (acknowledged or past their date)."""

import datetime

from reports.models import Measure
from reports.tables.handover import handover_table
from reports.tests import factories as f
from reports.tests.grids import derivable, texts

JAN = datetime.date(2025, 1, 1)
KEYS = ["in_time", "late", "overdue", "waiting", "total"]


def messages(*counts, national=False):
    """(category, received, sent) per acknowledgement."""
    return f.figures(
        *((Measure.HANDOVER, JAN, "", kind, received + sent, received, sent) for kind, received, sent in counts),
        national=national,
    )


def test_received_and_sent_with_the_share_in_time_of_those_decided():
    figures = messages(("in_time", 10, 8), ("late", 5, 0), ("overdue", 0, 5), ("waiting", 6, 0))
    table = handover_table(figures)
    assert [c.key for c in table.columns] == [*KEYS, "in_time_share"]
    assert [(row.label, texts(row)) for row in table.rows] == [
        ("Received", ["10", "5", "0", "6", "21", "67 %"]),  # 10 of 15 decided; the 6 waiting are not
        ("Sent", ["8", "0", "5", "0", "13", "62 %"]),
    ]
    assert table.chart is None


def test_for_all_of_norway_every_message_once():
    figures = messages(("in_time", 10, 8), ("late", 5, 0), ("overdue", 0, 5), ("waiting", 6, 0), national=True)
    (row,) = handover_table(figures).rows
    assert row.label == "All messages"
    assert texts(row) == ["18", "5", "5", "6", "34", "64 %"]  # 18 of 28


def test_a_small_count_hides_the_row_total_and_the_share():
    table = handover_table(messages(("in_time", 10, 0), ("late", 2, 0)))
    received, sent = table.rows
    assert texts(received) == ["x", "<5", "0", "0", "12", "x"]
    assert texts(sent) == ["0", "0", "0", "0", "0", "–"]
    assert derivable(table, KEYS, row_totals=True, column_totals=False) == set()


def test_an_empty_period_shows_both_directions_without_a_share():
    table = handover_table(f.figures())
    assert [(row.label, texts(row)) for row in table.rows] == [
        ("Received", ["0", "0", "0", "0", "0", "–"]),
        ("Sent", ["0", "0", "0", "0", "0", "–"]),
    ]
