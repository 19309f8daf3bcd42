"""Public delivery figures (issue 20, item 1): per municipality, health trust and all of Norway,
for the last full year and by calendar quarter, shown without sign-in under /info/figures/.

- `compute`: the nightly computation into `reports.models.PublicFigures` (one document per area);
- `document`: reading a document back as the page's tables, its CSV rows and its JSON;
- `views`, `urls`: the pages, the CSV, the JSON and its JSON Schema (`schema.json`).

What a public figure may show is decided from the signed-in reports' own cells, as the night
chose them for every report of the year together (`reports.calendar.national_cells`), and then
suppressed again across quarters, the year and the areas with the same rules
(`reports.suppression`): see `compute`.
"""
