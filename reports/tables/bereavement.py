"""Follow-ups of the bereaved created in the period, and whether the relatives were contacted."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.tables.cells import Column, Row, Table, suppressed_grid


def bereavement_table(figures) -> Table:
    data = figures.bereavement_follow_ups()
    cells = suppressed_grid([[data["contacted"], data["not_contacted"]]], row_totals=True, column_totals=False)
    return Table(
        "bereavement",
        _("Follow-up offered to the bereaved"),
        _("Follow-ups"),
        [
            Column("contacted", _("Relatives contacted")),
            Column("not_contacted", _("Not yet contacted")),
            Column("total", _("Follow-ups offered")),
        ],
        [Row(_("Whole period"), cells[0])],
        definition=_(
            "When a patient in the pathway dies, the municipality is given a follow-up of the bereaved relatives. "
            "Counted here: follow-ups created in the period, and whether the municipality has recorded that it "
            "contacted the relatives."
        ),
    )
