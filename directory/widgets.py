"""Choosing an organisation by typing: one text input with a <datalist> of unambiguous labels
("Herøy (Møre og Romsdal) – 1515"), used wherever a municipality is chosen among many (the
patient's municipality, the report scope, the capacity forecast).

It works without JavaScript (the browser's own suggestions, chosen with the arrow keys and
Enter) and the server maps what was typed back to one choice: the full label, the municipality
number, the name with its county, or the bare name when only one organisation has it. A bare name
that several municipalities share ("Herøy") is refused with a message naming each with its
county. directory/static/directory/type_ahead.js only adds a hint while typing.

Forms and links that send the choice's own value (a primary key, a public id or a report scope
key) keep working: the exact value is accepted before any label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation

Kind = Organisation.Kind


def _normalise(text) -> str:
    """Case, spacing and dash variants do not matter when matching what was typed."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Entry:
    """One choice: its form value, the label shown in the list, and other spellings accepted."""

    key: str
    label: str
    names: tuple[str, ...] = field(default=())
    municipality: bool = False


def organisation_entry(organisation, key=None) -> Entry:
    """An organisation as a type-ahead entry, keyed by `key` (default: its primary key)."""
    names = [organisation.name, organisation.label]
    if organisation.municipality_number:
        names += [organisation.municipality_number, f"{organisation.name} {organisation.municipality_number}"]
    return Entry(
        key=str(organisation.pk if key is None else key),
        label=organisation.choice_label,
        names=tuple(names),
        municipality=organisation.kind == Kind.MUNICIPALITY,
    )


class Ambiguous(Exception):
    def __init__(self, entries):
        super().__init__()
        self.entries = entries


def resolve(text, entries) -> Entry | None:
    """The entry `text` names: its value, its label, or one of its other names when no other
    entry has that name. Raises Ambiguous with the candidates when several have it."""
    wanted = _normalise(text)
    if not wanted:
        return None
    for entry in entries:
        if wanted in (_normalise(entry.key), _normalise(entry.label)):
            return entry
    matches = [entry for entry in entries if wanted in {_normalise(name) for name in entry.names}]
    if len(matches) > 1:
        raise Ambiguous(matches)
    return matches[0] if matches else None


def _or_list(labels):
    labels = list(labels)
    if len(labels) < 2:
        return "".join(labels)
    return gettext("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def ambiguity_error(text, entries) -> ValidationError:
    options = _or_list(entry.label for entry in entries)
    if all(entry.municipality for entry in entries):
        message = gettext(
            "%(n)s municipalities are called “%(text)s”. Choose the one in the right county: %(options)s."
        )
    else:
        message = gettext("More than one choice matches “%(text)s”. Choose one of %(options)s.")
    return ValidationError(message % {"n": len(entries), "text": text, "options": options}, code="ambiguous")


class TypeAheadInput(forms.TextInput):
    """A text input with a <datalist> of the entries' labels. `entries` is set by the field."""

    template_name = "directory/widgets/type_ahead.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.entries_source = lambda: []

    def format_value(self, value):
        """A choice's value is shown as its label; typed text as typed."""
        if value in (None, ""):
            return None
        for entry in self.entries_source():
            if entry.key == str(value):
                return entry.label
        return str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-options"
        widget["attrs"]["list"] = list_id
        widget["attrs"]["data-type-ahead"] = ""
        widget["attrs"]["data-ambiguous-message"] = gettext(
            "Several are called this. Choose the one with the right county from the list."
        )
        widget["list_id"] = list_id
        widget["options"] = [entry.label for entry in self.entries_source()]
        widget["hint_id"] = f"{list_id}-hint"
        return context


class _TypeAheadMixin(forms.Field):
    # A form field (the base puts Field where it already was in the subclasses' MRO).
    default_error_messages = {
        "not_found": _("Nothing in the list is called “%(text)s”. Type the first letters and choose from the list."),
    }

    def _bind_widget(self):
        self.widget.entries_source = self.entries

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._bind_widget()
        return result

    def find(self, value) -> Entry | None:
        if value in self.empty_values:
            return None
        try:
            entry = resolve(value, self.entries())
        except Ambiguous as error:
            raise ambiguity_error(str(value).strip(), error.entries) from None
        if entry is None:
            raise ValidationError(
                self.error_messages["not_found"], code="invalid_choice", params={"text": str(value).strip()}
            )
        return entry

    def entries(self) -> list[Entry]:
        raise NotImplementedError


class TypeAheadChoiceField(_TypeAheadMixin, forms.ChoiceField):
    """A ChoiceField chosen by typing: set `entries` (a list of Entry); the cleaned value is the
    chosen entry's key."""

    widget = TypeAheadInput

    def __init__(self, *, entries=(), **kwargs):
        super().__init__(**kwargs)
        self.set_entries(entries)
        self._bind_widget()

    def set_entries(self, entries):
        self._entries = list(entries)
        self.choices = [(entry.key, entry.label) for entry in self._entries]

    def entries(self):
        return self._entries

    def to_python(self, value):
        entry = self.find(value)
        return "" if entry is None else entry.key


class MunicipalityField(_TypeAheadMixin, forms.ModelChoiceField):
    """A municipality chosen by typing among all of them (or the field's queryset)."""

    widget = TypeAheadInput

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Municipality"))
        if queryset is None:
            queryset = Organisation.objects.filter(kind=Kind.MUNICIPALITY)
        super().__init__(queryset=queryset, **kwargs)
        self._bind_widget()

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset.select_related("county").order_by("name", "municipality_number"))
        self._entry_cache = None

    # ModelChoiceField's getter is private in Django and absent from django-stubs.
    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def entries(self):
        if getattr(self, "_entry_cache", None) is None:
            self._entry_cache = [organisation_entry(org) for org in self.queryset]
        return self._entry_cache

    def label_from_instance(self, obj):
        return obj.choice_label

    def to_python(self, value):
        if isinstance(value, Organisation):
            return value
        entry = self.find(value)
        if entry is None:
            return None
        return self.queryset.get(pk=entry.key)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        return str(initial if initial not in (None, "") else "") != str(chosen.pk if chosen else "")


class OrganisationChoiceField(forms.ModelChoiceField):
    """A short list of organisations (a select), each named by Organisation.label: a
    municipality with its county. Give it a queryset with select_related("county")."""

    def label_from_instance(self, obj):
        return obj.label


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    """As OrganisationChoiceField, for several (check boxes)."""

    def label_from_instance(self, obj):
        return obj.label
