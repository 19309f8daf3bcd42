"""The form renderer (settings.FORM_RENDERER): Django's widget templates for inputs, selects,
radios, checkboxes and text areas written out in Python, giving the same HTML byte for byte.

Why: a form field's widget is rendered through Django's template engine, and every input, every
option of a select and every radio includes `attrs.html` again. On the pathway page, which shows
the forms of each collaboration point the user's organisation holds, that was a fifth of the server
time (issue 18, item 7; `make bench`). Django's Jinja2 renderer would save part of it, but Jinja2
is not a dependency. The widget templates this module knows are the ones in Django 5.2's
django/forms/templates; any other template (a form's own layout, a widget of an app such as
directory's type-ahead) goes through the template engine as before. lib/tests/test_form_renderer.py
renders every kind of widget both ways and compares.
"""

from collections.abc import Callable
from typing import Any, cast

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"

# A widget's context as Django builds it (Widget.get_context()["widget"], or one option of it).
Widget = dict[str, Any]


def _stringformat(value: object) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: the filter keeps a safe string safe."""
    try:
        text = "%s" % value  # noqa: UP031  (the filter's own formatting, tuples included)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def _text(value: object) -> str:
    """`{{ value }}` under autoescape: localised, then escaped unless safe."""
    # Any value (conditional_escape turns what is not safe into text), whatever the stubs say.
    return conditional_escape(cast("str", localize(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_text(name)}")
            if value is not True:
                parts.append(f'="{_stringformat(value)}"')
    return "".join(parts)


# Each function gives what its template gives, the file's closing newline included: an included
# template's output is not stripped (only the widget's whole HTML is), so the newlines show between
# a select's options and inside a radio's <div>.


def _input(widget: Widget) -> str:
    """django/forms/widgets/input.html."""
    value = f' value="{_stringformat(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _including_input(widget: Widget) -> str:
    """text.html, date.html, checkbox.html …: `{% include "django/forms/widgets/input.html" %}`."""
    return _input(widget) + "\n"


def _input_option(widget: Widget) -> str:
    """django/forms/widgets/input_option.html."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _including_input_option(widget: Widget) -> str:
    """radio_option.html, checkbox_option.html: `{% include "…/input_option.html" %}`."""
    return _input_option(widget) + "\n"


def _option(widget: Widget) -> str:
    """django/forms/widgets/select_option.html."""
    value, attrs, label = _stringformat(widget["value"]), _attrs(widget["attrs"]), _text(widget["label"])
    return f'<option value="{value}"{attrs}>{label}</option>\n'


# The option templates the select and the multiple inputs include for each option.
OPTIONS: dict[str, Callable[[Widget], str]] = {
    WIDGETS + "select_option.html": _option,
    WIDGETS + "radio_option.html": _including_input_option,
    WIDGETS + "checkbox_option.html": _including_input_option,
    WIDGETS + "input_option.html": _input_option,
}


def _render_option(option: Widget) -> str:
    return OPTIONS[option["template_name"]](option)


def _select(widget: Widget) -> str:
    """django/forms/widgets/select.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f"\n  {_render_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget: Widget) -> str:
    """django/forms/widgets/multiple_input.html."""
    id_ = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    parts = ["<div"]
    if id_:
        parts.append(f' id="{_text(id_)}"')
    parts.append(f' class="{_text(css)}">' if css else ">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_render_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _including_multiple_input(widget: Widget) -> str:
    """radio.html, checkbox_select.html: `{% include "…/multiple_input.html" %}`."""
    return _multiple_input(widget) + "\n"


def _textarea(widget: Widget) -> str:
    """django/forms/widgets/textarea.html."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
RENDER: dict[str, Callable[[Widget], str]] = {
    **{f"{WIDGETS}{name}.html": _including_input for name in (*INPUTS, "checkbox", "color")},
    WIDGETS + "input.html": _input,
    **OPTIONS,
    WIDGETS + "select.html": _select,
    WIDGETS + "radio.html": _including_multiple_input,
    WIDGETS + "checkbox_select.html": _including_multiple_input,
    WIDGETS + "multiple_input.html": _multiple_input,
    WIDGETS + "textarea.html": _textarea,
}


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the common widget templates rendered in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        render = RENDER.get(template_name)
        if render is not None:
            try:
                return mark_safe(render(context["widget"]).strip())
            except KeyError:  # an option template of its own: the engine renders it
                pass
        return super().render(template_name, context, request)
