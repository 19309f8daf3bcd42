"""A page's SQL replayed raw: the floor a page's server time and throughput are compared with.

`execute` runs a page's recorded statements on a cursor (Django's, for the in-process floor, or a
plain psycopg one); `load` runs them in a loop from as many concurrent psycopg connections as the
HTTP load has, each in its own process (so the client's Python does not share one interpreter lock,
as gunicorn's workers do not), and counts page loads per second.

Each replay runs in a transaction that is rolled back: the page's own writes (its audit entry) are
not repeated, and the database is left as it was. The audit entry's INSERT takes the chain position
that the replayed head UPDATE hands out (the recorded one is taken), so the floor does the chain's
SQL work too, its row lock included; it skips the commit's WAL flush, which makes the floor a little
faster than the page can be (the ratio errs against Heimveg).
"""

import enum
import re
import time

SKIP = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.I)
AUDIT_INSERT = 'INTO "audit_auditentry" ('
HEAD_UPDATE = 'UPDATE "audit_auditchainhead" SET seq'


def execute(cursor, statements, seq_index):
    """Run the statements (sql, params, many) on the cursor; the caller owns the transaction."""
    seq = None
    for sql, params, many in statements:
        if SKIP.match(sql):
            continue
        if seq is not None and AUDIT_INSERT in sql:
            params = list(params)
            params[seq_index] = seq
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
            if cursor.description:
                rows = cursor.fetchall()
                if sql.startswith(HEAD_UPDATE):
                    seq = rows[0][0]


class _JsonText:
    """A JSON parameter carried to another process as its text (psycopg's Jsonb holds a function)."""

    def __init__(self, text):
        self.text = text


def portable(statements):
    """The statements with JSON parameters as text, so that they can be sent to other processes."""
    from psycopg.types.json import Json, Jsonb

    def convert(value):
        if isinstance(value, Json | Jsonb):
            return _JsonText(value.dumps(value.obj))
        if isinstance(value, enum.Enum):  # Django's choices: their class is not importable without Django
            return value.value
        return value

    result = []
    for sql, params, many in statements:
        if SKIP.match(sql):
            continue
        if params is not None:
            params = [[convert(v) for v in p] for p in params] if many else [convert(v) for v in params]
        result.append((sql, params, many))
    return result


def _restore(statements):
    from psycopg.types.json import Jsonb

    def convert(value):
        return Jsonb(value.text, dumps=str) if isinstance(value, _JsonText) else value

    return [
        (sql, None if params is None else [convert(v) for v in params] if not many else params, many)
        for sql, params, many in statements
    ]


def _client(url, statements, seq_index, ready, start, stop_at, results):
    import psycopg

    # As Django connects: client-side binding (Django's default with psycopg 3), UTC.
    with psycopg.connect(url, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC") as connection:
        statements = _restore(statements)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.rollback()
        ready.put(True)
        start.wait()
        loads, errors = 0, 0
        while time.time() < stop_at.value:
            try:
                with connection.cursor() as cursor:
                    execute(cursor, statements, seq_index)
                loads += 1
            except psycopg.Error:
                errors += 1
            connection.rollback()
    results.put((loads, errors))


def load(url, statements, seq_index, connections, duration):
    """Page loads per second of `statements` from `connections` concurrent clients for `duration`
    seconds, and the number of failed loads."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no Django state, no inherited connection
    start, ready, results = context.Event(), context.Queue(), context.Queue()
    stop_at = context.Value("d", float("inf"))
    statements = portable(statements)
    clients = [
        context.Process(target=_client, args=(url, statements, seq_index, ready, start, stop_at, results))
        for _ in range(connections)
    ]
    for client in clients:
        client.start()
    for _ in clients:  # every client connected and waiting
        ready.get(timeout=60)
    stop_at.value = time.time() + duration
    started = time.monotonic()
    start.set()
    counts = [results.get(timeout=duration + 60) for _ in clients]
    elapsed = time.monotonic() - started
    for client in clients:
        client.join()
    loads = sum(n for n, _ in counts)
    return loads / elapsed, sum(e for _, e in counts)
