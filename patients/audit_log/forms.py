"""The filters of the organisation's audit log. None holds a name or a national id: a patient is
looked up by a POST (patients.access decides whom), and the filter carries the public id."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry


class LogFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("All actions")), *AuditEntry.Action.choices]
    )
    date_from = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    emergency = forms.BooleanField(label=_("Emergency access only"), required=False)
    patient = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("All users")), *((str(u.public_id), _label(u)) for u in users)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def _label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class PatientLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Patient: national identity number or name"),
        help_text=_("Only patients your organisation has a care relation with are found."),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Write a national identity number or a name.")},
    )
