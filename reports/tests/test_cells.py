"""What every report table shares (reports.tables.cells): a share is hidden where it would give
a small count away, and "not available" only where its base is shown and 0."""

from reports.tables.cells import Cell, share_cell


def test_a_share_is_hidden_when_it_would_give_a_small_count_away():
    shown = Cell("20", 20)
    assert share_cell(shown, shown, 10, 20).text == "50 %"
    assert share_cell(shown, shown, 17, 20).text == "x"  # 3 not: a small count
    assert share_cell(Cell("<5", None, "primary"), shown, 3, 20).text == "x"
    assert share_cell(shown, Cell("x", None, "secondary"), 10, 20).text == "x"
    assert share_cell(shown, shown, 0, 0).text == "–"
