"""Care relations that come from the pathway: the organisation that enrolled the patient, and
the organisation responsible for each open collaboration point of an open enrolment (a
municipality only once the patient has accepted the offer). An organisation that wrote on an
enrolment's timeline (a municipality the patient has moved away from) keeps read access to its
own entries."""

from django.db.models import Q

from patients.access import register_author_relation, register_care_relation


def enrolment_relations(organisation):
    covered = organisation.covered()
    open_point = Q(
        enrolments__ended_at__isnull=True,
        enrolments__points__responsible_organisation__in=covered,
        enrolments__points__outcome="",
    )
    active = Q(enrolments__points__care_level="hospital") | Q(enrolments__offer="accepted")
    return Q(enrolments__enrolling_organisation__in=covered) | (open_point & active)


def timeline_authors(organisation):
    return Q(enrolments__events__organisation__in=organisation.covered())


def register():
    register_care_relation(enrolment_relations)
    register_author_relation(timeline_authors)
