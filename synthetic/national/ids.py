"""Primary keys for the generated rows, reserved from the tables' own id sequences.

The rows of a month refer to each other (a point to its enrolment, a message to its point) before
any of them is written, so the builder must know their ids in advance. The generator used to
count on from MAX(id) + 1, read when a run started. That is only safe while nothing else writes
those tables: a patient registered through the web, the demo loader or a second run at the same
time takes the same id from the sequence, and one of the two inserts fails (or, with the writer's
foreign-key triggers off on PostgreSQL, rows end up hanging off the wrong record); and the
sequence had to be moved past the generated ids after every month.

Here ids come from the database's own counter, which hands out each value once whoever asks:
PostgreSQL's `nextval` is atomic and outside transactions; SQLite's AUTOINCREMENT counter
(`sqlite_sequence`, which SQLite itself never goes below) is moved on in a write transaction, and
SQLite has one writer at a time. Ids are reserved `BLOCK` at a time; those of a block left unused
when a run ends are skipped (gaps in ids are harmless). UUID keys would need no reservation, but
these models' primary keys are integers (their UUIDs are the separate `public_id`), and changing
the keys would be a migration of the whole schema.
"""

from __future__ import annotations

from django.db import connection, transaction

BLOCK = 4096


class IdBlocks:
    """`take(name)`: the next reserved id for the table of `models[name]`."""

    def __init__(self, models, block=BLOCK):
        self.tables = {name: model._meta.db_table for name, model in models.items()}
        self.block = block
        self.free = {name: [] for name in models}

    def take(self, name):
        free = self.free[name]
        if not free:
            free.extend(reversed(reserve(self.tables[name], self.block)))
        return free.pop()


def reserve(db_table: str, count: int) -> list[int]:
    """`count` ids of `db_table` that no other writer will be given, ascending."""
    quoted = connection.ops.quote_name(db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [quoted, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        with transaction.atomic(), connection.cursor() as cursor:
            # The UPDATE first: it takes SQLite's write lock before anything is read.
            cursor.execute(
                f"UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(id), 0) FROM {quoted})) + %s "
                "WHERE name = %s",
                [count, db_table],
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, COALESCE(MAX(id), 0) + %s FROM {quoted}",
                    [db_table, count],
                )
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [db_table])
            last = cursor.fetchone()[0]
        return list(range(last - count + 1, last + 1))
    raise NotImplementedError(f"reserving ids on {connection.vendor}")
