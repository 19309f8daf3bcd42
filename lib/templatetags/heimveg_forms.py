"""Render a form field the Designsystemet way, with label, description and error wired up for
screen readers (aria-describedby, aria-invalid)."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("heimveg/field.html")
def field(bound_field: forms.BoundField, **extra: str) -> dict[str, object]:
    widget = bound_field.field.widget
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    if is_checkbox:
        attrs["class"] = "ds-input"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    attrs.update(extra)
    return {
        "field": bound_field,
        "widget_html": bound_field.as_widget(attrs=attrs),
        "is_checkbox": is_checkbox,
    }
