"""Handover boxes on other modules' pages: the worklist's summary, the enrolment page's messages,
and who a completion will be handed over to (beside the completion forms)."""

from django import template
from django.utils import timezone

from handover import services
from lib.paging import SIDE_LIST_SIZE, side_list

register = template.Library()


@register.inclusion_tag("handover/worklist_box.html")
def handover_summary(actor):
    """Counts only (no patient is shown), with links to the messages."""
    return services.summary(actor.organisation, timezone.localdate())


@register.inclusion_tag("handover/handed_over_section.html", takes_context=True)
def handed_over_lately(context):
    """The municipal worklist's list of patients handed over from the hospital lately, paged by
    its own parameter. The patients shown join the page's `shown` list, which the worklist writes
    to the audit log once it has rendered."""
    request, actor = context["request"], context["actor"]
    page = side_list(services.handed_over_lately(actor.organisation), request.GET.get("handed_page"), SIDE_LIST_SIZE)
    query = request.GET.copy()
    query.pop("handed_page", None)
    context["shown"].extend(m.enrolment.patient.public_id for m in page)
    return {"handed_over": page, "query": query.urlencode()}


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
