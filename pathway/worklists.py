"""Worklist queries. Each returns a queryset with everything the page shows joined in, so a page
makes the same few queries however many rows it has (tests count them)."""

import datetime

from django.db.models import Case, CharField, Q, Value, When

from directory.models import Organisation
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer

Kind = Organisation.Kind


def _organisations(organisation):
    """A health trust's worklist covers its hospitals."""
    if organisation.kind == Kind.HEALTH_TRUST:
        return Q(pk=organisation.pk) | Q(parent=organisation)
    return Q(pk=organisation.pk)


def not_yet_offered(organisation, today):
    """Open enrolments of this hospital whose patient has not been asked, or declined and is due
    to be asked again."""
    return (
        Enrolment.objects.open()
        .filter(enrolling_organisation__in=Organisation.objects.filter(_organisations(organisation)))
        .filter(Q(offer=Offer.NOT_ASKED) | Q(offer=Offer.DECLINED, ask_again_on__lte=today))
        .select_related("patient", "patient__municipality")
        .order_by("diagnosis_date", "id")
    )


STATUS_ORDER = ["overdue", "due", "planned"]

# The hospital's point is where the offer is made, so it counts whatever the answer; the
# municipality's points count only once the patient has accepted the pathway.
ACTIVE_FOR_RESPONSIBLE = Q(care_level=CollaborationPoint.CareLevel.HOSPITAL) | Q(enrolment__offer=Offer.ACCEPTED)


def open_points(organisation, today, *, horizon_weeks=4, status="", point_key=""):
    """Open points this organisation is responsible for: overdue, due, and those whose window
    opens within `horizon_weeks`. `status` narrows to one of overdue/due/planned."""
    horizon = today + datetime.timedelta(weeks=horizon_weeks)
    points = (
        CollaborationPoint.objects.filter(
            responsible_organisation__in=Organisation.objects.filter(_organisations(organisation)),
            outcome="",
            enrolment__ended_at__isnull=True,
            window_opens__isnull=False,
            window_opens__lte=horizon,
        )
        .annotate(
            current_status=Case(
                When(window_closes__lt=today, then=Value("overdue")),
                When(window_opens__lte=today, then=Value("due")),
                default=Value("planned"),
                output_field=CharField(),
            )
        )
        .select_related("enrolment", "enrolment__patient", "assigned_to")
        .order_by("window_closes", "id")
    )
    points = points.filter(ACTIVE_FOR_RESPONSIBLE)
    if status in STATUS_ORDER:
        points = points.filter(current_status=status)
    if point_key:
        points = points.filter(key=point_key)
    return points


def bereavement_follow_ups(organisation):
    return (
        BereavementFollowUp.objects.filter(municipality=organisation, contacted_on__isnull=True)
        .select_related("enrolment", "enrolment__patient")
        .order_by("created_at")
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
