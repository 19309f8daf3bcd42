"""Handover boxes on other modules' pages: the worklist's summary, the enrolment page's messages,
and who a completion will be handed over to (beside the completion forms)."""

from django import template
from django.utils import timezone

from handover import services

register = template.Library()


@register.inclusion_tag("handover/worklist_box.html")
def handover_summary(actor):
    """Counts only (no patient is shown), with links to the messages."""
    organisation = actor.organisation
    today = timezone.localdate()
    return {
        "waiting": services.inbox(organisation).filter(acknowledged_at__isnull=True).count(),
        "alerts": services.alerts(organisation, today).count(),
    }


@register.filter
def is_late(message):
    """Not acknowledged by its date (HandoverMessage.is_overdue, today)."""
    return message.is_overdue(timezone.localdate())


@register.inclusion_tag("handover/enrolment_box.html")
def handover_messages(enrolment, actor):
    return {"handover_list": list(services.for_enrolment(enrolment, actor.organisation))}


@register.simple_tag
def handover_recipients(point, actor):
    """Who the rule hands this point over to if it is completed now (names, in order)."""
    patient = point.enrolment.patient
    recipients = services.rule_recipients(actor, point)
    names = {patient.municipality_id: patient.municipality.name}
    if patient.gp_office_id:
        names[patient.gp_office_id] = patient.gp_office.name
    return [names[r.organisation_id] for r in recipients]
