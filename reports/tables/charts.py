"""What charts.js draws for a table: built from the table's own cells, so a chart never shows
a count the table hides (a hidden cell is a gap marked "<5" or "x", not a zero)."""

from __future__ import annotations

# A chart's axis shows every label, so each is kept short (the table and the tooltip have it whole).
SHORT_LABEL = 24


def shorten(label: str, length: int = SHORT_LABEL) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def chart(kind, labels, datasets, *, stacked=False, percent=False, horizontal=False, ticks=None, axis=""):
    """What charts.js draws. `labels` name the categories in tooltips; `ticks`, short forms of them
    for the axis, where every one is shown (the labels shortened when not given); `axis`, the
    category axis's title. Each dataset's `suppressed` marks the cells hidden by small-cell
    suppression ("<5" or "x"; None where the value is shown or not available): their value is
    null, and the chart marks them instead of drawing them as zero."""
    return {
        "type": kind,
        "labels": labels,
        "ticks": list(ticks) if ticks is not None else [shorten(label) for label in labels],
        "axis": axis,
        "datasets": datasets,
        "stacked": stacked,
        "percent": percent,
        "horizontal": horizontal,
    }


def dataset(label, data, *, kind=None):
    dataset = {"label": label, "data": data, "suppressed": [None] * len(data)}
    if kind:
        dataset["type"] = kind
    return dataset


def column_dataset(table, key, label):
    """A chart series plotting one column of the table (the same cells; hidden ones as gaps)."""
    cells = table.column_cells(key)
    return {
        "label": label,
        "data": [cell.value for cell in cells],
        "suppressed": [cell.text if cell.hidden else None for cell in cells],
        "column": key,
    }
