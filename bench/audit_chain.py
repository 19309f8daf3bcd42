"""The audit log's hash chain in `make bench`: what one audit write costs, with the chain and
without it, and how many entries per second the chain head's lock lets through when several
writers write at once. Runs inside Django (after django.setup()), on the benchmark's database:
the entries it writes stay (the log is append-only), as a day's use would leave them.

- record: one entry about one patient (the head's lock, the entry, the head);
- record_many: the worklist's one list entry naming as many patients as the largest worklist shows;
- unchained: the same single entry as one plain INSERT, without the head (the floor);
- concurrent: `threads` writers, each writing entries one by one (each in its own transaction,
  as a view does) for `seconds`: entries per second for them all, and the verification's speed.
"""

import statistics
import threading
import time
import uuid

from django.db import connection, transaction


def _actor(user):
    from accounts.actor import Actor
    from accounts.models import Membership

    return Actor(user=user, membership=Membership.objects.filter(user=user).first())


def _median_ms(call, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _rolled_back(call):
    def run():
        with transaction.atomic():
            call()
            transaction.set_rollback(True)

    return run


def _unchained(actor):
    """The floor: the same entry as one plain INSERT, no chain head, no hashes."""
    from audit.models import AuditEntry

    entry = AuditEntry(
        user=actor.user,
        username=actor.user.get_username(),
        organisation=actor.organisation,
        role=actor.role,
        action=AuditEntry.Action.VIEW,
        object_type="patient",
        patient_public_id=uuid.uuid4(),
        detail="bench",
    )
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key and f.name != "occurred_at"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({marks})", values)


def measure(user, repeat, listed=100, threads=4, seconds=3.0):
    """Returns (rows of (measurement, figure, comparison), the verification's line)."""
    from audit import verify
    from audit.models import AuditEntry
    from audit.services import record, record_many

    actor = _actor(user)
    patients = [uuid.uuid4() for _ in range(listed)]

    def one():
        record(actor, AuditEntry.Action.VIEW, patient_public_id=uuid.uuid4(), detail="bench")

    committed = _median_ms(one, repeat)
    many = _median_ms(lambda: record_many(actor, AuditEntry.Action.LIST, patients, detail="bench"), repeat)
    chained = _median_ms(_rolled_back(one), repeat)
    floor = _median_ms(_rolled_back(lambda: _unchained(actor)), repeat)

    counts = [0] * threads
    barrier = threading.Barrier(threads)
    window = {}

    def writer(index):
        try:
            barrier.wait(30)
            window.setdefault("start", time.monotonic())
            stop = window["start"] + seconds
            while time.monotonic() < stop:
                one()
                counts[index] += 1
        finally:
            connection.close()

    pool = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    started = time.monotonic()
    result = verify.verify()
    verified = time.monotonic() - started
    rows = [
        (
            "audit write: one entry (record), committed",
            f"{committed:.2f} ms",
            f"{1000 / committed:.0f} entries/s, one writer",
        ),
        (
            "audit write: one entry, chain vs plain INSERT (rolled back: statements only)",
            f"{chained:.2f} ms",
            f"{floor:.2f} ms (plain INSERT)",
        ),
        (f"audit write: the worklist's list entry naming {listed} patients (record_many)", f"{many:.2f} ms", ""),
        (
            f"audit writes, {threads} writers at once (serialised by the chain head)",
            f"{sum(counts) / seconds:.0f} entries/s",
            "",
        ),
    ]
    line = (
        f"verify_audit: {result.checked:,} entries in {verified:.1f} s "
        f"({result.checked / verified if verified else 0:,.0f} entries/s); chain {'whole' if result.ok else 'BROKEN'}"
    ).replace(",", " ")
    return rows, line
