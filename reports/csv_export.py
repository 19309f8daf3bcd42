"""CSV for Norwegian Excel, decided as: UTF-8 with a byte order mark (so Excel reads æøå right),
semicolon as separator and decimal comma (what Excel expects with Norwegian regional settings,
where the comma is the decimal sign), CRLF line ends. Hidden cells keep their marks ("<5", "x");
shares are whole per cent without the % sign (the column header says "%")."""

from __future__ import annotations

import csv
import io

from django.utils.text import slugify

from reports.tables.cells import DAYS, DECIMAL, SHARE, Table

BOM = "\ufeff"
SEPARATOR = ";"


def cell_text(cell, kind: str) -> str:
    if cell.value is None:
        return "" if cell.text == "–" else cell.text
    if kind == SHARE or kind == DAYS:
        return str(cell.value)
    if kind == DECIMAL:
        return f"{cell.value:.1f}".replace(".", ",")
    return cell.text


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow([table.row_header, *(column.label for column in table.columns)])
    for row in table.rows:
        writer.writerow(
            [row.label, *(cell_text(cell, column.kind) for cell, column in zip(row.cells, table.columns, strict=True))]
        )
    return BOM + buffer.getvalue()


def ascii_slug(text: str) -> str:
    for norwegian, plain in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("Æ", "Ae"), ("Ø", "O"), ("Å", "A")):
        text = text.replace(norwegian, plain)
    return slugify(text)


def filename(table: Table, scope_label: str, start, end) -> str:
    return f"heimveg-{table.slug.replace('_', '-')}-{ascii_slug(scope_label)}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"
