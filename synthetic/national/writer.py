"""Writing a month's rows, finding where an earlier run stopped, and removing a generated set.

Rows go in with PostgreSQL's COPY (psycopg 3 `cursor.copy`) and with one `executemany` INSERT per
table on SQLite. Building plain tuples instead of model instances for `bulk_create` saves the
instances' construction and per-field adaptation; with tuples, building a month already takes
about as long as PostgreSQL takes to store it (measured: ~1.8 s to build and ~4 s to write a
month of national volume), so the two run side by side (see the command's writer thread).
(`bulk_create` itself was not measured against this.)
Columns are the models' own (`Model._meta`); fields a table's rows leave out get the field's
default, so a new field with a default needs no change here.

Primary keys: the builder takes them from blocks reserved from each table's own sequence
(ids.py), so other writers at the same time never get the same ids.
"""

from __future__ import annotations

import datetime
import json

from django.db import connection, transaction
from django.db.models import Max

from accounts.models import User
from assessment.models import Assessment, FollowUp, QuestionnaireResponse
from audit import chain
from audit.models import AuditEntry
from handover.models import Delivery, HandoverMessage
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, PathwayEvent
from patients.models import EmergencyAccess, Patient, Relative
from portal.models import Invitation
from synthetic.national.ids import IdBlocks
from synthetic.national.reference import GENERATOR_USERNAME, PATIENT_EMAIL_DOMAIN
from synthetic.national.rows import COLUMNS, WITH_IDS

MODELS = {
    "patient": Patient,
    "enrolment": Enrolment,
    "point": CollaborationPoint,
    "event_with_id": PathwayEvent,
    "event": PathwayEvent,
    "bereavement": BereavementFollowUp,
    "response": QuestionnaireResponse,
    "assessment": Assessment,
    "follow_up": FollowUp,
    "message": HandoverMessage,
    "delivery": Delivery,
    "audit": AuditEntry,
}
ORDER = tuple(MODELS)  # parents before children


class _Table:
    def __init__(self, name):
        model = MODELS[name]
        self.name = name
        self.model = model
        self.db_table = model._meta.db_table
        given = COLUMNS[name]
        fields = [model._meta.get_field(f) for f in given]
        extra, defaults = [], []
        for field in model._meta.concrete_fields:
            if field.name in given or field.primary_key:
                continue
            extra.append(field)
            defaults.append(_default(field))
        self.columns = [f.column for f in fields] + [f.column for f in extra]
        self.attnames = [f.attname for f in fields] + [f.attname for f in extra]
        self.defaults = tuple(defaults)


def _default(field):
    if field.has_default():
        if callable(field.default) and field.default not in (dict, list):
            raise ValueError(f"{field.model.__name__}.{field.name} has a computed default; give it in rows.py")
        value = field.get_default()
    elif field.null:
        value = None
    elif field.empty_strings_allowed:
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.name} is required; give it in rows.py")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


_TABLES = {}


def table(name) -> _Table:
    if name not in _TABLES:
        _TABLES[name] = _Table(name)
    return _TABLES[name]


def id_blocks() -> IdBlocks:
    """Where the builder takes the ids of the tables whose rows it numbers itself."""
    return IdBlocks({name: MODELS[name] for name in WITH_IDS})


def write(tables: dict[str, list]) -> dict[str, int]:
    """Insert one month's rows (inside the caller's transaction); returns rows per table."""
    counts = {}
    postgres = connection.vendor == "postgresql"
    if postgres and not connection.savepoint_ids:
        # Only in a transaction of the month's own: inside a caller's (a test's) the SET LOCALs
        # would outlive the month and leave its foreign keys and audit trigger off.
        _fast_load_settings()
    for name in ORDER:
        rows = tables[name]
        counts[name] = len(rows)
        if not rows:
            continue
        spec = table(name)
        if spec.defaults:
            rows = [row + spec.defaults for row in rows]
        if name == "audit":  # links of the audit log's hash chain, under its head's lock
            rows = chain.seal_rows(connection, spec.attnames, rows)
        columns = ", ".join(connection.ops.quote_name(c) for c in spec.columns)
        if postgres:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(spec.db_table)} ({columns}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(spec.columns))
            connection.ensure_connection()
            connection.connection.executemany(
                f"INSERT INTO {connection.ops.quote_name(spec.db_table)} ({columns}) VALUES ({marks})", rows
            )
    return counts


def _fast_load_settings():
    """For this transaction only: no waiting for the WAL flush at commit (a crash loses at most the
    last months, which a new run writes again), and, where the role may (a superuser, as on a test
    database), no foreign-key triggers: the rows are built consistent, and the SQLite run, which
    checks every key, and the tests keep them so."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role TO replica")


def generated_patients():
    return Patient.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}")


def last_month() -> tuple[int, int] | None:
    """The last month a run committed: the month of the latest generated diagnosis."""
    latest = Enrolment.objects.filter(patient__in=generated_patients()).aggregate(m=Max("diagnosis_date"))["m"]
    return (latest.year, latest.month) if latest else None


def saved_options() -> dict | None:
    """The options of the run that made the generated set (kept on the generator's user)."""
    user = User.objects.filter(username=GENERATOR_USERNAME).first()
    if not user or not user.last_name:
        return None
    return json.loads(user.last_name)


def save_options(options: dict):
    from synthetic.national.reference import generator_user_id

    User.objects.filter(pk=generator_user_id()).update(last_name=json.dumps(options, sort_keys=True))


@transaction.atomic
def reset() -> dict[str, int]:
    """Remove the generated patients and everything about them. The audit log is append-only, so
    its entries stay (as they would for any deleted patient); so do the generated GP offices and
    staff, which those entries refer to."""
    patients = generated_patients()
    enrolments = Enrolment.objects.filter(patient__in=patients)
    points = CollaborationPoint.objects.filter(enrolment__in=enrolments)
    messages = HandoverMessage.objects.filter(enrolment__in=enrolments)
    assessments = Assessment.objects.filter(point__in=points)
    steps = [
        ("delivery", Delivery.objects.filter(message__in=messages)),
        ("message", messages),
        ("follow_up", FollowUp.objects.filter(assessment__in=assessments)),
        ("assessment", assessments),
        ("invitation", Invitation.objects.filter(point__in=points)),
        ("response", QuestionnaireResponse.objects.filter(point__in=points)),
        ("event", PathwayEvent.objects.filter(enrolment__in=enrolments)),
        ("bereavement", BereavementFollowUp.objects.filter(enrolment__in=enrolments)),
        ("point", points),
        ("enrolment", enrolments),
        ("relative", Relative.objects.filter(patient__in=patients)),
        ("emergency_access", EmergencyAccess.objects.filter(patient__in=patients)),
        ("patient", patients),
    ]
    removed = {}
    for name, queryset in steps:
        removed[name] = queryset._raw_delete(queryset.db)
    User.objects.filter(username=GENERATOR_USERNAME).update(last_name="")
    return removed


def months_between(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
