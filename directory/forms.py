from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import ContactPoint, LocalOffer, PublicInformation


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


class LocalOfferForm(forms.ModelForm):
    """One local offer. Bokmål is required; nynorsk and English are shown when given, bokmål otherwise."""

    LANGUAGE_GROUPS = (
        ("nb", _("In bokmål"), ["name_nb", "description_nb"]),
        ("nn", _("In nynorsk (optional: bokmål is shown when empty)"), ["name_nn", "description_nn"]),
        ("en", _("In English (optional: bokmål is shown when empty)"), ["name_en", "description_en"]),
    )

    web_address = forms.URLField(
        label=LocalOffer._meta.get_field("web_address").verbose_name,
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For example https://www.kreftforeningen.no/"),
    )

    class Meta:
        model = LocalOffer
        fields = [
            "kind",
            "name_nb",
            "description_nb",
            "name_nn",
            "description_nn",
            "name_en",
            "description_en",
            "phone",
            "email",
            "web_address",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "description_nb": forms.Textarea(attrs={"rows": 4}),
            "description_nn": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name_nb": _("For example “Frisklivssentralen” or “Samtalegruppe for pårørende”."),
            "description_nb": _("What the offer is, who it is for and how to get it, in plain language."),
        }
        error_messages = {
            "name_nb": {"required": _("Give the offer a name in bokmål. Nynorsk and English are optional.")},
            "kind": {"required": _("Choose what kind of offer this is.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + list(LocalOffer.Kind.choices)

    def language_groups(self):
        """(language code, legend, bound fields) for a fieldset per language."""
        return [(code, legend, [self[name] for name in names]) for code, legend, names in self.LANGUAGE_GROUPS]

    def reach_fields(self):
        return [self["phone"], self["email"], self["web_address"]]


class PublicInformationForm(forms.ModelForm):
    """The organisation's own introduction on its public page."""

    class Meta:
        model = PublicInformation
        fields = ["intro_nb", "intro_nn", "intro_en"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in ["intro_nb", "intro_nn", "intro_en"]}
        help_texts = {
            "intro_nb": _("A few sentences on how the pathway works here: who you meet, where, and how to reach you."),
            "intro_nn": _("Optional: the bokmål text is shown when this is empty."),
            "intro_en": _("Optional: the bokmål text is shown when this is empty."),
        }

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("intro_nn", "").strip() or cleaned.get("intro_en", "").strip()) and not cleaned.get(
            "intro_nb", ""
        ).strip():
            self.add_error(
                "intro_nb", _("Write the introduction in bokmål too: it is shown when a translation is missing.")
            )
        return cleaned


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Municipality or hospital, name or municipality number"), required=False, max_length=100
    )
