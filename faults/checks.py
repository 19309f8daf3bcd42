"""What the database says after a fault run, read with a connection of the harness's own (named,
so that the fault that ends every application connection spares it)."""

import time

import psycopg

from faults import config

APPLICATION_NAME = "heimveg-faults-harness"


def connect():
    return psycopg.connect(config.DATABASE_URL, autocommit=True, application_name=APPLICATION_NAME)


def terminate_application_connections():
    """pg_terminate_backend for every connection to the database but the harness's; returns how many."""
    with connect() as db:
        return db.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND application_name <> %s",
            [config.DATABASE, APPLICATION_NAME],
        ).fetchone()[0]


def pending_deliveries():
    with connect() as db:
        return db.execute("SELECT count(*) FROM handover_delivery WHERE status = 'pending'").fetchone()[0]


def delivered_deliveries():
    with connect() as db:
        return db.execute("SELECT count(*) FROM handover_delivery WHERE status = 'delivered'").fetchone()[0]


def all_deliveries():
    with connect() as db:
        return db.execute("SELECT count(*) FROM handover_delivery").fetchone()[0]


def queued_outbox_runs():
    """django-tasks rows of the outbox task waiting to run (not those left RUNNING by a killed worker)."""
    with connect() as db:
        return db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY' AND task_path LIKE %s",
            ["handover.tasks.%"],
        ).fetchone()[0]


def wait_for_outbox(timeout=config.DRAIN_SECONDS):
    """Until no delivery is pending, or the timeout; returns the seconds it took (None: timed out)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if pending_deliveries() == 0:
            return time.monotonic() - started
        time.sleep(0.25)
    return None


def now():
    with connect() as db:
        return db.execute("SELECT now()").fetchone()[0]


def outcome(tasks, acknowledged, since):
    """Counts for the points `tasks` (public ids) of one scenario, which began at `since` (the
    database's clock). `acknowledged`: the points whose completion the client saw answered 2xx."""
    with connect() as db:
        points = db.execute(
            "SELECT p.id, p.public_id::text, p.outcome, "
            " (SELECT count(*) FROM pathway_pathwayevent e WHERE e.point_id = p.id AND e.kind = 'point_completed'), "
            " (SELECT count(*) FROM pathway_pathwayevent e WHERE e.point_id = p.id AND e.kind = 'point_completed' "
            "  AND e.occurred_at < %s) "
            "FROM pathway_collaborationpoint p WHERE p.public_id::text = ANY(%s)",
            [since, list(tasks)],
        ).fetchall()
        ids = [row[0] for row in points]
        messages = db.execute(
            "SELECT m.point_id, m.recipient_id, m.delivered_at IS NOT NULL, "
            " count(d.id) FILTER (WHERE d.status = 'delivered'), count(d.id) FILTER (WHERE d.status = 'pending') "
            "FROM handover_handovermessage m LEFT JOIN handover_delivery d ON d.message_id = m.id "
            "WHERE m.point_id = ANY(%s) GROUP BY m.id",
            [ids],
        ).fetchall()
    completed = {row[0] for row in points if row[2] == "completed"}
    completed_public = {row[1] for row in points if row[2] == "completed"}
    per_pair = {}
    for point_id, recipient_id, *_rest in messages:
        per_pair[(point_id, recipient_id)] = per_pair.get((point_id, recipient_id), 0) + 1
    # Each completion of the hospital's point is handed over to the patient's municipality and GP.
    expected = 2 * len(completed)
    delivered_once = sum(
        1
        for point_id, recipient_id, in_inbox, delivered, _ in messages
        if in_inbox and delivered == 1 and per_pair[(point_id, recipient_id)] == 1
    )
    undelivered = sum(1 for _p, _r, in_inbox, delivered, _ in messages if not in_inbox or delivered != 1)
    receivers = {}
    for point_id, _recipient_id in per_pair:
        receivers[point_id] = receivers.get(point_id, 0) + 1
    missing_messages = sum(max(0, 2 - receivers.get(point_id, 0)) for point_id in completed)
    completions_lost = len(set(acknowledged) - completed_public)
    duplicated = sum(n - 1 for n in per_pair.values()) + sum(max(0, row[3] - 1) for row in points)
    return {
        # The harness's own check: every point it completes must have been open when it began.
        "points completed before the scenario began": sum(1 for row in points if row[4]),
        "completions answered 2xx": len(set(acknowledged)),
        "points completed": len(completed),
        "messages expected": expected,
        "messages written": len(messages),
        "delivered exactly once to the inbox": delivered_once,
        "lost": completions_lost + missing_messages + undelivered,
        "duplicated": duplicated,
    }
