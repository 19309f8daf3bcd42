"""The organisation picker and the period of a report."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from reports import scope as scopes

Kind = Organisation.Kind
MAX_MONTHS = 36


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 whole months."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1) - relativedelta(months=11)
    return start, end


def scope_choices(actor):
    """Grouped choices for the picker: what this actor may report on."""
    if scopes.is_national(actor):
        organisations = list(
            Organisation.objects.filter(kind__in=scopes.REPORTED_KINDS)
            .order_by("name")
            .values_list("public_id", "name", "kind")
        )
        trusts = [(pid, name) for pid, name, kind in organisations if kind == Kind.HEALTH_TRUST]
        groups = [(_("Country"), [(scopes.NORWAY, _("All of Norway"))])]
        groups.append(
            (
                _("Health communities"),
                [
                    (f"{scopes.COMMUNITY}:{pid}", _("Health community of %(trust)s") % {"trust": name})
                    for pid, name in trusts
                ],
            )
        )
        for kind, label in ((Kind.HEALTH_TRUST, _("Health trusts")), (Kind.HOSPITAL, _("Hospitals")),
                            (Kind.MUNICIPALITY, _("Municipalities"))):  # fmt: skip
            groups.append(
                (label, [(f"{scopes.ORGANISATION}:{pid}", name) for pid, name, k in organisations if k == kind])
            )
        return groups
    choices = []
    for kind, organisation in scopes.own_choices(actor):
        if kind == scopes.COMMUNITY:
            choices.append(
                (f"{kind}:{organisation.public_id}", _("Health community of %(trust)s") % {"trust": organisation.name})
            )
        else:
            choices.append((f"{kind}:{organisation.public_id}", organisation.name))
    return choices


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
    municipality = forms.ChoiceField(label=_("Municipality"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["municipality"].choices = [(str(pid), name) for pid, name in forecast_municipalities(actor)]

    def clean_municipality(self):
        value = self.cleaned_data["municipality"]
        municipality = Organisation.objects.filter(public_id=value, kind=Kind.MUNICIPALITY).first()
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
    return list(queryset.order_by("name").values_list("public_id", "name"))
