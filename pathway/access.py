"""Care relations that come from the pathway: the organisation that enrolled the patient, and
the organisation responsible for each open collaboration point of an open enrolment."""

from django.db.models import Q

from patients.access import register_care_relation


def enrolment_relations(organisation):
    return Q(enrolments__enrolling_organisation=organisation) | Q(
        enrolments__ended_at__isnull=True,
        enrolments__points__responsible_organisation=organisation,
        enrolments__points__outcome="",
    )


def register():
    register_care_relation(enrolment_relations)
