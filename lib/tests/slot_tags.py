"""`{% slot s ... %}` for lib/tests/test_slots.py: an inner app's tag, as pathway's and patients' are."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, s, **arguments):
    return s.render(context, **arguments)
