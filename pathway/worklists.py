"""Worklist queries. Each returns a queryset with everything the page shows joined in, so a page
makes the same few queries however many rows it has (tests count them)."""

import datetime

from django.db.models import Case, CharField, Q, Value, When

from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer, PathwayEvent


def not_yet_offered(organisation, today):
    """Open enrolments of this hospital whose patient has not been asked, or declined and is due
    to be asked again."""
    return (
        Enrolment.objects.open()
        .filter(enrolling_organisation__in=organisation.covered())
        .filter(Q(offer=Offer.NOT_ASKED) | Q(offer=Offer.DECLINED, ask_again_on__lte=today))
        .select_related("patient", "patient__municipality")
        .order_by("diagnosis_date", "id")
    )


STATUS_ORDER = ["overdue", "due", "planned", "ask_again"]

# The hospital's point is where the offer is made, so it counts whatever the answer; the
# municipality's points count only once the patient has accepted the pathway.
ACTIVE_FOR_RESPONSIBLE = Q(care_level=CollaborationPoint.CareLevel.HOSPITAL) | Q(enrolment__offer=Offer.ACCEPTED)

# A hospital point of a patient who declined the offer (schedule.offer_status).
DECLINED = Q(care_level=CollaborationPoint.CareLevel.HOSPITAL, enrolment__offer=Offer.DECLINED)


def _ask_again(today):
    return DECLINED & Q(enrolment__ask_again_on__lte=today)


def _waiting_to_ask_again(today):
    """Declined, and the day to ask again has not come: the point is on no list and in no reminder."""
    return DECLINED & (Q(enrolment__ask_again_on__isnull=True) | Q(enrolment__ask_again_on__gt=today))


def with_status(points, today):
    """Annotate `current_status` (ask_again/overdue/due/planned) in SQL, as `CollaborationPoint.status`
    does in Python for open points with a window (a test keeps the two in step)."""
    return points.annotate(
        current_status=Case(
            When(_ask_again(today), then=Value("ask_again")),
            When(_waiting_to_ask_again(today), then=Value("declined")),
            When(window_closes__lt=today, then=Value("overdue")),
            When(window_opens__lte=today, then=Value("due")),
            default=Value("planned"),
            output_field=CharField(),
        )
    )


def active_open_points(today):
    """Open points of open pathways that the responsible organisation should act on today: not
    the hospital's point of a patient who declined, until the day to ask again."""
    return (
        CollaborationPoint.objects.filter(outcome="", enrolment__ended_at__isnull=True, window_opens__isnull=False)
        .filter(ACTIVE_FOR_RESPONSIBLE)
        .exclude(_waiting_to_ask_again(today))
    )


def status_filter(status, today):
    """Open points with a window that stand at `status` today, as plain conditions (kept in step
    with `CollaborationPoint.status` by a test). Lists filter with these rather than with
    `with_status`, whose CASE costs the ORM more to compile than the page costs the database.
    A declined patient's hospital point is never due or overdue: it is "ask again" from the day
    to ask again (and on no list before)."""
    return {
        "overdue": Q(window_closes__lt=today) & ~DECLINED,
        "due": Q(window_opens__lte=today) & (Q(window_closes__gte=today) | Q(window_closes__isnull=True)) & ~DECLINED,
        "planned": Q(window_opens__gt=today) & ~DECLINED,
        "ask_again": _ask_again(today),
        "declined": _waiting_to_ask_again(today),
    }[status]


# What a side list's row links to and shows of the patient (and its audit entry needs).
PATIENT_LINK = (
    "enrolment__public_id",
    "enrolment__patient__public_id",
    "enrolment__patient__family_name",
    "enrolment__patient__given_name",
    "enrolment__patient__date_of_birth",
)

# What a worklist row shows (and its audit entry needs), so that ten years of columns are not read.
POINT_ROW = (
    "public_id",
    "key",
    "title",
    "care_level",
    "window_opens",
    "window_closes",
    "outcome",
    "enrolment__public_id",
    "enrolment__offer",
    "enrolment__ask_again_on",
    "enrolment__patient__public_id",
    "enrolment__patient__family_name",
    "enrolment__patient__given_name",
    "enrolment__patient__date_of_birth",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)

# How far ahead the worklist looks: "Coming up" (and "All open") holds the points whose window
# opens within this many weeks; the filter's label says so (pathway.forms.WorklistFilterForm).
HORIZON_WEEKS = 4

SORTS = {
    "window": ("window_closes", "id"),
    "opens": ("window_opens", "id"),
    "name": ("enrolment__patient__family_name", "enrolment__patient__given_name", "id"),
}


def open_points(organisation, today, *, horizon_weeks=HORIZON_WEEKS, status="", point_key="", week=None, sort="window"):
    """Open points this organisation is responsible for: overdue, due, and those whose window
    opens within `horizon_weeks`. `status` narrows to one of overdue/due/planned; `week` (the
    Monday of an ISO week) to points whose window is open some day that week."""
    horizon = today + datetime.timedelta(weeks=horizon_weeks)
    if week is not None:
        horizon = max(horizon, week + datetime.timedelta(days=6))
    points = (
        active_open_points(today)
        .filter(responsible_organisation__in=organisation.covered_ids(), window_opens__lte=horizon)
        .select_related("enrolment__patient", "assigned_to")
        .only(*POINT_ROW)
        .order_by(*SORTS.get(sort, SORTS["window"]))
    )
    if week is not None:
        points = points.filter(window_opens__lte=week + datetime.timedelta(days=6), window_closes__gte=week)
    if status in STATUS_ORDER:
        points = points.filter(status_filter(status, today))
    if point_key:
        points = points.filter(key=point_key)
    return points


def contact_person_wanted(organisation):
    """Open pathways of patients living in this municipality who accepted the offer and have no
    fixed contact person here yet (also those who moved here with one from their old
    municipality), oldest diagnosis first: the municipality names one."""
    return (
        Enrolment.objects.open()
        .filter(
            offer=Offer.ACCEPTED,
            contact_person__isnull=True,
            patient__municipality__in=organisation.covered_ids(),
        )
        .select_related("patient")
        .only(
            "public_id",
            "diagnosis_date",
            "previous_contact_municipality_id",
            "patient__public_id",
            "patient__family_name",
            "patient__given_name",
            "patient__date_of_birth",
        )
        .order_by("diagnosis_date", "id")
    )


def bereavement_follow_ups(organisation):
    return (
        BereavementFollowUp.objects.filter(municipality=organisation, contacted_on__isnull=True)
        .select_related("enrolment__patient")
        .only("created_at", *PATIENT_LINK)
        .order_by("created_at", "id")
    )


def gp_patients(organisation):
    """The GP office's listed patients with an open pathway, with their points."""
    return (
        Enrolment.objects.open()
        .filter(patient__gp_office=organisation)
        .select_related("patient", "patient__municipality")
        .prefetch_related("points")
        .order_by("patient__family_name", "patient__given_name", "id")
    )


def recently_moved_in(organisation, today, days=60):
    """Open pathways of patients who moved here lately (their points moved with them)."""
    return (
        PathwayEvent.objects.filter(
            kind=PathwayEvent.Kind.MOVED,
            data__to_id=organisation.pk,
            on_date__gte=today - datetime.timedelta(days=days),
            enrolment__ended_at__isnull=True,
        )
        .select_related("enrolment__patient")
        .only("on_date", "data", *PATIENT_LINK)
        .order_by("-on_date", "id")
    )
