"""The report's tables, one module per table (each with its chart), in the order the report
shows them (`reports.report.build` assembles them):

- `enrolments`: patients diagnosed and enrolled, by month and answer to the offer;
- `points`: each collaboration point's outcomes over the period;
- `points_trend`: each point's share inside the window, by month;
- `first_point`: days from the diagnosis to the first point (median, 90th percentile);
- `distress`: distress scores at each point;
- `help_areas`: the areas patients most often want help with;
- `handover`: handover messages acknowledged in time;
- `bereavement`: follow-ups of the bereaved;
- `comparison`: the municipalities of the health community, where the report has one.

What they share: `cells` (a table's rows of cells, and counts turned into cells by small-cell
suppression), `labels` (months and collaboration points as the tables name them) and `charts`
(what charts.js draws from a table's cells).
"""
