from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import ContactPoint


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["name", "phone", "email", "postal_address", "opening_hours", "note_for_patients"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "note_for_patients": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"name": {"required": _("Give the contact point a name, such as “Kreftkoordinator”.")}}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email") or cleaned.get("postal_address")):
            raise forms.ValidationError(
                _("Give at least one way to reach the contact point: phone, e-mail or address.")
            )
        return cleaned


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from directory.models import Organisation

        self.fields["kind"].choices = [("", _("All kinds"))] + list(Organisation.Kind.choices)
