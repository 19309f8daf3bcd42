from django import template

from pathway.models import Enrolment

register = template.Library()


@register.simple_tag
def own_enrolments(patient, organisation):
    """The patient's enrolments on which `organisation` wrote timeline entries."""
    return (
        Enrolment.objects.filter(patient=patient, events__organisation__in=organisation.covered())
        .distinct()
        .order_by("-diagnosis_date")
    )
