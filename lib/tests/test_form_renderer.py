"""lib.form_renderer renders Django's widget templates in Python: for every kind of widget, with
the values that exercise each branch of the templates (none, true and false attributes, text to
escape, safe text, numbers, lazy labels, option groups, selected options, wrapped labels), its HTML
is byte for byte what Django's template renderer makes."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from lib.form_renderer import RENDER, WidgetRenderer

TRICKY = 'Ola "Nordmann" <ola@example.org> & co'
CHOICES = [("", "–"), ("a", "Alpha & <b>"), (3, gettext_lazy("Yes")), ("s", mark_safe("<em>safe</em>"))]
GROUPED = [("", "–"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Zed")]


class Everything(forms.Form):
    text = forms.CharField(max_length=30, help_text="help", widget=forms.TextInput(attrs={"autofocus": True}))
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False, "data-n": 5}))
    safe = forms.CharField(required=False)
    number = forms.IntegerField(required=False)
    email = forms.EmailField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    empty_note = forms.CharField(required=False, widget=forms.Textarea)
    tick = forms.BooleanField(required=False)
    pick = forms.ChoiceField(required=False, choices=CHOICES)
    grouped = forms.ChoiceField(required=False, choices=GROUPED)
    many = forms.MultipleChoiceField(required=False, choices=CHOICES[1:])
    radio = forms.ChoiceField(required=False, choices=CHOICES[1:], widget=forms.RadioSelect)
    grouped_radio = forms.ChoiceField(required=False, choices=GROUPED[1:], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(required=False, choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple)
    upload = forms.FileField(required=False)  # not one of lib.form_renderer's: the engine renders it


INITIAL = {
    "text": TRICKY,
    "safe": mark_safe("<i>already safe</i>"),
    "number": 1200,
    "hidden": "h&h",
    "password": "p<w>",
    "day": datetime.date(2026, 1, 5),
    "when": datetime.datetime(2026, 1, 5, 13, 30),
    "note": "line one\n<line two>",
    "tick": True,
    "pick": "a",
    "grouped": "y",
    "many": ["a", "s"],
    "radio": "3",
    "grouped_radio": "x",
    "boxes": ["a", "3"],
}


def render_both(form):
    """Every field of the form, every radio and box alone too, by Django's renderer and by ours."""
    pages = []
    for renderer in (DjangoTemplates(), WidgetRenderer()):
        form.renderer = renderer
        parts = []
        for bound in form:
            parts.append(str(bound))
            parts.append(bound.as_widget(attrs={"class": "ds-input", "aria-describedby": "x_help"}))
            parts.extend(radio.tag() for radio in bound.subwidgets if len(bound.subwidgets) > 1)
        pages.append(parts)
    return pages


@pytest.mark.parametrize("initial", [{}, INITIAL], ids=["empty", "filled"])
def test_every_widget_renders_as_with_djangos_templates(initial):
    django_html, ours = render_both(Everything(initial=initial, prefix="p"))
    for theirs, mine in zip(django_html, ours, strict=True):
        assert mine == theirs


def test_bound_forms_with_errors_render_as_with_djangos_templates():
    data = {"p-text": TRICKY * 2, "p-number": "x<y", "p-pick": "nope", "p-radio": "a", "p-boxes": ["a", "s"]}
    django_html, ours = render_both(Everything(data=data, prefix="p"))
    assert django_html == ours


def test_the_renderer_knows_the_widgets_of_the_forms():
    rendered = {widget().template_name for widget in (forms.TextInput, forms.Select, forms.RadioSelect)}
    assert rendered <= set(RENDER)
