"""The audit log's hash chain: every entry is sealed to the one before it as it is written.

Each entry carries its place in the chain (`seq`, 1, 2, 3 …), the hash of the entry before it
(`prev_hash`; 64 zeros before the first) and its own `hash`: sha256 over a canonical form of the
entry (every column that says who did what, when, to which patients, the patients of a list entry
included, in the order shown) followed by `prev_hash`. `manage.py verify_audit` (audit/verify.py)
recomputes the chain.

The lock: one chain-head row (`AuditChainHead`, pk 1) that holds the newest link's seq, hash and
time. An entry is written as:

1. UPDATE the head (seq + 1) RETURNING its previous hash, its time and the database's clock: the
   UPDATE takes the head's row lock on PostgreSQL (the write lock on SQLite, whose IMMEDIATE
   transactions already serialise writers), and the clock is read after the lock is held;
2. INSERT the entry (and the patients of a list entry) with that seq, time and hashes, and
   UPDATE the head to the new hash and time (on PostgreSQL all three in one statement).

Why a chain head and not a single sealer that chains committed rows afterwards: an entry is sealed
in the same transaction that writes it, so there is no window in which a written entry is not yet
in the chain (a sealer's backlog could be deleted unnoticed), no second writer to run and watch,
and no out-of-order commits to handle (PostgreSQL ids are taken before commit, so a sealer walking
ids could pass over a row that commits later). The order of the chain is the order in which
audit writes took the lock, and because the entry's id and time are taken under the lock, ids and
times rise with `seq`: verify_audit checks both, which is what finds a reordered or back-dated
entry.

The price: audit writes are serialised. The head stays locked from the audit write until the
writing transaction ends, so record() runs outside long transactions (views write their entries
in autocommit, a short transaction of their own) and, inside a service's transaction, as the last
thing before it commits, after the row locks of the change: a transaction that took the head and
then waited for a patient's row would hold every other audit writer up, and could deadlock with
one that holds that row and waits for the head. `make bench` measures the cost.

Time: the database's clock (PostgreSQL clock_timestamp(), SQLite strftime('%f', 'now'); never the
application server's, which tests pin with time-machine), and never earlier than the head's time,
so a clock that steps back does not make an honest entry look back-dated.
"""

import datetime
import hashlib
import ipaddress
import json
import uuid

from django.db import connections, router, transaction
from django.utils.dateparse import parse_datetime

from audit.models import AuditChainHead, AuditEntry, AuditEntryPatient

GENESIS = "0" * 64

# The columns the hash covers, by attribute name, and how the canonical form is made.
FIELDS = (
    "seq",
    "occurred_at",
    "user_id",
    "username",
    "organisation_id",
    "role",
    "client",
    "patient_public_id",
    "action",
    "object_type",
    "detail",
    "emergency",
    "reason",
    "ip_address",
)


def _canonical_value(name, value):
    if value is None:
        return None
    if name == "occurred_at":
        if isinstance(value, str):
            value = parse_datetime(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name == "ip_address":
        return ipaddress.ip_address(str(value)).compressed
    if name in ("seq", "user_id", "organisation_id"):
        return int(value)
    if name == "emergency":
        return bool(value)
    if name == "patient_public_id":
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    return str(value)


def canonical(values, patients):
    """The bytes an entry's hash is taken over (without the previous hash): a JSON object with
    sorted keys and no spaces. `values` maps FIELDS to the entry's values (as the ORM reads them),
    `patients` lists a list entry's patients in the order shown."""
    data = {name: _canonical_value(name, values[name]) for name in FIELDS}
    data["patients"] = [str(p if isinstance(p, uuid.UUID) else uuid.UUID(str(p))) for p in patients]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(values, patients, prev_hash):
    return hashlib.sha256(canonical(values, patients) + prev_hash.encode()).hexdigest()


def _clock_sql(connection):
    if connection.vendor == "postgresql":
        return "clock_timestamp()"
    return "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')"  # '%%': the statement has parameters


def _as_datetime(value):
    if value is None or isinstance(value, datetime.datetime):
        dt = value
    else:
        dt = parse_datetime(value)
    if dt is not None and dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.UTC)
    return dt


def take_head(connection, count=1):
    """Lock the chain head and move it on by `count` links. Returns (first seq, previous hash,
    previous time, the database's clock). Creates the head from the newest entry if it is missing
    (a fresh or flushed database)."""
    quote = connection.ops.quote_name
    table = quote(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                f"UPDATE {table} SET seq = seq + %s WHERE id = 1 "
                f"RETURNING seq, {quote('hash')}, occurred_at, {_clock_sql(connection)}",
                [count],
            )
            row = cursor.fetchone()
            if row is not None:
                seq, prev_hash, prev_at, now = row
                return seq - count + 1, prev_hash or GENESIS, _as_datetime(prev_at), _as_datetime(now)
            newest = (
                AuditEntry.objects.filter(seq__isnull=False)
                .order_by("-seq")
                .values_list("seq", "hash", "occurred_at")[:1]
            )
            seq, hash_, at = newest[0] if newest else (0, "", None)
            at = connection.ops.adapt_datetimefield_value(at) if at is not None else None
            cursor.execute(
                f"INSERT INTO {table} (id, seq, {quote('hash')}, occurred_at) VALUES (1, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [seq, hash_, at],
            )
    raise RuntimeError("the audit chain head could not be created")


def append(entry, patients=()):
    """Write `entry` (an unsaved AuditEntry) and, for a list entry, its `patients`, as the next
    link of the chain; returns the entry, saved. Runs in the caller's transaction if there is one
    (the head stays locked until it ends), otherwise in a short one of its own."""
    patients = list(patients)
    db = router.db_for_write(AuditEntry)
    connection = connections[db]
    with transaction.atomic(using=db, savepoint=False):
        seq, prev_hash, prev_at, now = take_head(connection)
        entry.seq = seq
        entry.prev_hash = prev_hash
        entry.occurred_at = max(now, prev_at) if prev_at else now
        values = {name: getattr(entry, name) for name in FIELDS}
        entry.hash = link_hash(values, patients, prev_hash)
        entry.pk = _insert(connection, entry, patients)
    entry._state.adding = False
    entry._state.db = db
    return entry


def seal_rows(connection, columns, rows):
    """Chain rows that a bulk loader (manage.py generate_national) writes itself: `rows` are
    tuples of `columns` (attribute names of AuditEntry, `seq`, `prev_hash` and `hash` among them,
    entries about one patient each). They are put in time order, take the next places of the
    chain under the head's lock (held until the caller's transaction ends) and come back with
    their links filled in; the caller inserts them. Their times are the loader's (UTC text), except
    that a row never goes back in time: one older than the chain's newest entry (a later month's
    rows reach back before the latest events of the month before) takes that entry's time."""
    if not rows:
        return rows
    at = {name: i for i, name in enumerate(columns)}
    rows = sorted(rows, key=lambda row: str(row[at["occurred_at"]]))
    first, prev_hash, prev_at, _now = take_head(connection, len(rows))
    sealed = []
    for seq, row in enumerate(rows, first):
        row = list(row)
        when = _as_datetime(str(row[at["occurred_at"]]))
        if prev_at is not None and when < prev_at:
            when = prev_at
            row[at["occurred_at"]] = when.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        prev_at = when
        row[at["seq"]], row[at["prev_hash"]] = seq, prev_hash
        values = {name: row[at[name]] for name in FIELDS}
        row[at["hash"]] = prev_hash = link_hash(values, [], prev_hash)
        sealed.append(tuple(row))
    last_at = prev_at
    head = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {head} SET {connection.ops.quote_name('hash')} = %s, occurred_at = %s WHERE id = 1",
            [prev_hash, connection.ops.adapt_datetimefield_value(last_at)],
        )
    return sealed


def _insert(connection, entry, patients):
    quote = connection.ops.quote_name
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    entries = quote(AuditEntry._meta.db_table)
    through = quote(AuditEntryPatient._meta.db_table)
    head = quote(AuditChainHead._meta.db_table)
    occurred_at = connection.ops.adapt_datetimefield_value(entry.occurred_at)
    patient = AuditEntryPatient._meta.get_field("patient_public_id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
            cursor.execute(
                f"WITH e AS (INSERT INTO {entries} ({columns}) VALUES ({casts}) RETURNING id), "
                f"p AS (INSERT INTO {through} (entry_id, position, patient_public_id) "
                "SELECT e.id, u.position, u.patient "
                "FROM e, unnest(%s::uuid[]) WITH ORDINALITY AS u(patient, position)), "
                f"h AS (UPDATE {head} SET {quote('hash')} = %s, occurred_at = %s WHERE id = 1) "
                "SELECT id FROM e",
                [*values, patients, entry.hash, occurred_at],
            )
            return cursor.fetchone()[0]
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.execute(f"INSERT INTO {entries} ({columns}) VALUES ({placeholders}) RETURNING id", values)
        pk = cursor.fetchone()[0]
        if patients:
            cursor.executemany(
                f"INSERT INTO {through} (entry_id, position, patient_public_id) VALUES (%s, %s, %s)",
                [(pk, position, patient.get_db_prep_save(p, connection)) for position, p in enumerate(patients, 1)],
            )
        cursor.execute(
            f"UPDATE {head} SET {quote('hash')} = %s, occurred_at = %s WHERE id = 1", [entry.hash, occurred_at]
        )
        return pk
