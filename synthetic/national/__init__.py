"""A synthetic national data set: `manage.py generate_national`.

- `distributions` — pure, seeded draws: ages, ICD-10 mix, intents, survival, monthly volume.
- `reference` — what rows point at: the directory, generated GP offices and staff, windows.
- `rows` — the rows (plain tuples) of one month of diagnoses, with each patient's whole story,
  built step by step (enrol, record the offer, close each point with its assessment and
  hand-over, move, end) through the product's rule modules; `tests/test_national_agrees.py`
  replays a sample through the services and compares.
- `ids` — primary keys reserved in blocks from the tables' own sequences.
- `writer` — COPY (PostgreSQL) / executemany (SQLite), resume point, reset.

Recognising generated data: patients have an e-mail at `nasjonal.heimveg.invalid` (a reserved
top-level domain, so nothing is ever delivered) and synthetic national ids (month + 80) only;
generated GP offices have `is_demo=True` and `reference.MARKER_NOTE` as catchment note; generated
staff have usernames starting with `nat-`, no usable password; the options of the run are kept
on the inactive user `nat-generator`. Everything else hangs off the generated patients.

Resuming: each month of diagnoses is one transaction. The month of the latest generated
diagnosis is the last one committed; a new run goes on from the next, and because every month
has a seed of its own (and the national ids already used are read from the database), a resumed
run writes the same data as one that was never interrupted (with other primary keys: the rest of
an interrupted run's reserved id blocks is skipped).
"""
