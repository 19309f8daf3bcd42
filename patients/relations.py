"""Care relations: which organisations may see a patient's record, decided here and nowhere else.

An organisation (the one a user acts for, or a FHIR client's) has a care relation with a patient
exactly as this table says (docs/access.md says the same):

    who                                  | has a care relation
    -------------------------------------+---------------------------------------------------------
    the patient's current municipality   | always
    and GP office                        |
    the hospital or health trust that    | from registration until a period (setting
    registered the patient               | CARE_RELATION_MONTHS_AFTER_PATHWAY, default 12 months)
                                         | after its last pathway for the patient ended; with no
                                         | pathway, that period after the registration
    any organisation                     | while it holds an open collaboration point, a handover
                                         | message addressed to it that is not yet acknowledged,
                                         | or an open follow-up of the bereaved for the patient
    anyone else, including all of the    | only the entries it wrote itself, read-only; or
    above once their relation ended      | emergency access (personal, time limited, reviewed)

Read precisely:

- "Organisation" is the acting organisation and what it covers (`Organisation.covered()`): a
  health trust covers its hospitals, so a trust has every relation its hospitals have.
- Current municipality and GP office: the patient's `municipality` and `gp_office` now. Whoever
  the patient left (moved away, changed GP) has no relation from that any more.
- Registering hospital or health trust: `registered_by` counts only when it is a hospital or a
  health trust; a municipality or GP office that registered a patient has only the first row.
  "Its pathways" are the enrolments an organisation it covers enrolled; an open one keeps the
  relation; an ended one keeps it until the period after `ended_at` has passed. The relation lasts
  at least that period after the registration (`created_at`), pathway or not.
- An open collaboration point: a point without an outcome, of an open enrolment, whose
  responsible organisation it is; a municipal point only once the patient has accepted the offer
  (before that the municipality is not yet part of the pathway).
- A handover message addressed to it (its `recipient`) and not yet acknowledged: acknowledging it
  ends the relation the message gave.
- A follow-up of the bereaved (`pathway.models.BereavementFollowUp`) while it is open: the
  municipality has not yet recorded that it contacted the relatives (`contacted_on`).
- Own entries (`author_relation_q`): the timeline entries of a pathway that the organisation wrote
  (`PathwayEvent.organisation`), handover messages it sent included (each writes a timeline
  entry). They give read access to those entries only, on the pages that show no more than them
  (`patients.access.open_patient(..., own_records=True)`), never a change.
- Emergency access is personal and time limited, and lives in `patients.access`.

"Now" is `timezone.now()` when the query is built, so a relation ends by itself: nothing has to
run on the day it ends.

`care_relation_q` is the whole rule as one filter over Patient: `patients.access` uses it both for
lists (`visible_patients`) and for one patient (`decide`), so a list and a detail page never
disagree. Each relation that lives in another table is a correlated EXISTS on the patient's
enrolments, never a join (no duplicate rows, one query however long the list). The indexes it
relies on: patients by municipality, GP office and registering organisation; enrolments by
patient (the foreign key's index) and by enrolling organisation; points by enrolment (the unique
(enrolment, key)) and by responsible organisation; handover messages by enrolment and the partial
index of unacknowledged ones by recipient; follow-ups of the bereaved by enrolment (one-to-one)
and the partial index of open ones by municipality. PostgreSQL turns each EXISTS in a list query
into a hashed subplan over those indexes when that is cheaper.

The patients app is an inner app: it names the pathway and handover tables through Django's app
registry, not by importing them.
"""

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import Organisation

Kind = Organisation.Kind
REGISTERING_KINDS = (Kind.HOSPITAL, Kind.HEALTH_TRUST)


def _model(label):
    return apps.get_model(label)


def covered(organisation):
    """The organisations `organisation` acts for, for an `__in` filter: a subquery for a health
    trust (itself and its hospitals), the one id otherwise (no query either way)."""
    if organisation.kind == Kind.HEALTH_TRUST:
        return organisation.covered().values("pk")
    return [organisation.pk]


def cutoff(now=None):
    """The moment before which an ended pathway (or a registration) no longer gives the
    registering hospital a relation: `CARE_RELATION_MONTHS_AFTER_PATHWAY` calendar months ago."""
    return (now or timezone.now()) - relativedelta(months=settings.CARE_RELATION_MONTHS_AFTER_PATHWAY)


def residence_q(organisation) -> Q:
    """Row 1: the patient's current municipality and GP office."""
    return Q(municipality=organisation) | Q(gp_office=organisation)


def registration_q(organisation, now=None) -> Q:
    """Row 2: the registering hospital or health trust, until the period after its last pathway
    (or the registration) has passed."""
    if organisation.kind not in REGISTERING_KINDS:
        return Q(pk__in=[])
    since = cutoff(now)
    ours = covered(organisation)
    pathway_not_long_ended = _model("pathway.Enrolment").objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=since),
        patient=OuterRef("pk"),
        enrolling_organisation__in=ours,
    )
    return Q(registered_by__in=ours) & (Q(created_at__gt=since) | Q(Exists(pathway_not_long_ended)))


def open_point_q(organisation) -> Q:
    """Row 3: an open collaboration point it is responsible for (a municipal one once the patient
    accepted the offer)."""
    points = _model("pathway.CollaborationPoint").objects.filter(
        Q(care_level="hospital") | Q(enrolment__offer="accepted"),
        enrolment__patient=OuterRef("pk"),
        enrolment__ended_at__isnull=True,
        outcome="",
        responsible_organisation__in=covered(organisation),
    )
    return Q(Exists(points))


def unacknowledged_handover_q(organisation) -> Q:
    """Row 3: a handover message addressed to it that it has not acknowledged yet (and that was not
    entered in error: a corrected completion's replacement counts instead)."""
    messages = _model("handover.HandoverMessage").objects.filter(
        enrolment__patient=OuterRef("pk"),
        recipient__in=covered(organisation),
        acknowledged_at__isnull=True,
        entered_in_error_at__isnull=True,
    )
    return Q(Exists(messages))


def open_bereavement_q(organisation) -> Q:
    """Row 3: a follow-up of the bereaved it owns and has not yet done."""
    follow_ups = _model("pathway.BereavementFollowUp").objects.filter(
        enrolment__patient=OuterRef("pk"), municipality__in=covered(organisation), contacted_on__isnull=True
    )
    return Q(Exists(follow_ups))


def care_relation_q(organisation, now=None) -> Q:
    """The whole table, rows 1–3, as one filter over Patient."""
    return (
        residence_q(organisation)
        | registration_q(organisation, now)
        | open_point_q(organisation)
        | unacknowledged_handover_q(organisation)
        | open_bereavement_q(organisation)
    )


def author_relation_q(organisation) -> Q:
    """Row 4: the patient's record holds entries the organisation wrote (timeline entries of a
    pathway, handover messages sent included). Read access to those entries only."""
    events = _model("pathway.PathwayEvent").objects.filter(
        enrolment__patient=OuterRef("pk"), organisation__in=covered(organisation)
    )
    return Q(Exists(events))
