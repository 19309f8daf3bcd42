from django import template

from patients import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def patient_panels(context, slot, **arguments):
    """`{% patient_panels "patient_sections" patient=patient actor=actor %}`: what outer apps
    registered for one of patients.panels' slots, in order; nothing if none did."""
    return panels.SLOTS[slot].render(context, **arguments)
