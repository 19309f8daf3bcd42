"""The organisation picker and the period of a report."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from directory.widgets import Entry, TypeAheadChoiceField, organisation_entry
from reports import scope as scopes

Kind = Organisation.Kind
MAX_MONTHS = 36


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 whole months."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1) - relativedelta(months=11)
    return start, end


def scope_choices(actor, organisations=None):
    """Grouped choices for the picker: what this actor may report on. Municipalities are named
    with their county (Organisation.label): two are called Herøy. `organisations`: the reported
    organisations (national), if already fetched."""
    if scopes.is_national(actor):
        organisations = _reported_organisations() if organisations is None else organisations
        groups = [(_("Country"), [(scopes.NORWAY, _("All of Norway"))])]
        groups.append(
            (
                _("Health communities"),
                [
                    (f"{scopes.COMMUNITY}:{org.public_id}", _("Health community of %(trust)s") % {"trust": org.name})
                    for org in organisations
                    if org.kind == Kind.HEALTH_TRUST
                ],
            )
        )
        for kind, label in ((Kind.HEALTH_TRUST, _("Health trusts")), (Kind.HOSPITAL, _("Hospitals")),
                            (Kind.MUNICIPALITY, _("Municipalities"))):  # fmt: skip
            groups.append(
                (
                    label,
                    [
                        (f"{scopes.ORGANISATION}:{org.public_id}", org.choice_label)
                        for org in organisations
                        if org.kind == kind
                    ],
                )
            )
        return groups
    choices = []
    for kind, organisation in scopes.own_choices(actor):
        if kind == scopes.COMMUNITY:
            choices.append(
                (f"{kind}:{organisation.public_id}", _("Health community of %(trust)s") % {"trust": organisation.name})
            )
        else:
            choices.append((f"{kind}:{organisation.public_id}", organisation.label))
    return choices


def _reported_organisations():
    return list(
        Organisation.objects.filter(kind__in=scopes.REPORTED_KINDS)
        .select_related("county")
        .only("public_id", "name", "kind", "municipality_number", "county__name")
        .order_by("name", "municipality_number")
    )


def scope_entries(actor):
    """The national picker as type-ahead entries: each choice by its label, and an organisation
    also by its name (a name shared by two municipalities is refused, see directory.widgets)."""
    reported = _reported_organisations()
    organisations = {f"{scopes.ORGANISATION}:{org.public_id}": org for org in reported}
    entries = []
    for _group, choices in scope_choices(actor, reported):
        for key, label in choices:
            organisation = organisations.get(key)
            if organisation is not None:
                entries.append(organisation_entry(organisation, key=key))
            else:
                entries.append(Entry(key=key, label=str(label)))
    return entries


class MonthField(forms.Field):
    """A month as YYYY-MM (an <input type="month">), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": "[0-9]{4}-[0-9]{2}", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month as year and month, for example 2025-01.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            year, month = (int(part) for part in str(value).split("-")[:2])
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def month_value(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def last_day(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


class ReportForm(forms.Form):
    scope = forms.ChoiceField(label=_("Report for"))
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month (inclusive)"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if scopes.is_national(actor):
            # Every organisation in the country: chosen by typing, not from a list of 450.
            field = TypeAheadChoiceField(
                label=self.fields["scope"].label,
                entries=scope_entries(actor),
                help_text=_("Type the first letters and choose from the list: names that repeat show their county."),
            )
            self.fields["scope"] = field
        else:
            self.fields["scope"].choices = scope_choices(actor)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end:
            end = data["end"] = last_day(end)
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period comes before its start. Choose a later end date."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("end", _("Choose a period of at most %(n)s months.") % {"n": MAX_MONTHS})
        parsed = scopes.parse(data.get("scope", ""))
        if parsed is None or not scopes.allowed(self.actor, *parsed):
            self.add_error("scope", _("Choose an organisation from the list."))
        else:
            data["scope_kind"], data["scope_organisation"] = parsed
        return data


class ForecastForm(forms.Form):
    municipality = TypeAheadChoiceField(
        label=_("Municipality"),
        help_text=_("Type the first letters and choose from the list: names that repeat show their county."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.municipalities = {str(org.public_id): org for org in forecast_municipalities(actor)}
        self.fields["municipality"].set_entries(
            organisation_entry(org, key=key) for key, org in self.municipalities.items()
        )

    def clean_municipality(self):
        municipality = self.municipalities.get(self.cleaned_data["municipality"])
        if municipality is None:
            raise forms.ValidationError(_("Choose a municipality from the list."))
        return municipality


def forecast_municipalities(actor):
    """Municipalities whose forecast this actor may see: any for analysts; otherwise their own
    municipality and the municipalities of their health community."""
    queryset = Organisation.objects.filter(kind=Kind.MUNICIPALITY)
    if not scopes.is_national(actor):
        mine = Q(pk=actor.organisation.pk)
        trust = actor.organisation.owning_health_trust()
        if trust is not None:
            mine |= Q(health_trust=trust)
        queryset = queryset.filter(mine)
    return list(queryset.select_related("county").order_by("name", "municipality_number"))
