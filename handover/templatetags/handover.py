"""For handover's own templates: whether a message is late, and who a completion will be handed
over to (beside the completion forms, handover/completion_fields.html)."""

from django import template
from django.utils import timezone

from handover import services

register = template.Library()


@register.filter
def is_late(message):
    """Not acknowledged by its date (HandoverMessage.is_overdue, today)."""
    return message.is_overdue(timezone.localdate())


@register.simple_tag
def handover_recipients(point, actor):
    """Who the rule hands this point over to if it is completed now (names, in order)."""
    patient = point.enrolment.patient
    recipients = services.rule_recipients(actor, point)
    names = {patient.municipality_id: patient.municipality.name}
    if patient.gp_office_id:
        names[patient.gp_office_id] = patient.gp_office.name
    return [names[r.organisation_id] for r in recipients]
