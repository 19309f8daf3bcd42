from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from directory.widgets import MunicipalityField
from lib import nin
from patients import services
from patients.models import Patient, Relative

Kind = Organisation.Kind


class NationalIdField(forms.CharField):
    """Validates with python-stdnum (through lib.nin) and returns a `nin.NationalId`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("National identity number"))
        kwargs.setdefault("help_text", _("Fødselsnummer or D-number, 11 digits."))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "13"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return nin.parse(value, allow_synthetic=settings.ALLOW_SYNTHETIC_NATIONAL_IDS)
        except nin.InvalidNationalId as error:
            raise forms.ValidationError(error.message, code="invalid") from None

    def has_changed(self, initial, data):
        def compact(value):
            try:
                return nin.normalise(value or "")
            except nin.InvalidNationalId:
                return value

        return compact(initial) != compact(data)

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(_("Enter the national identity number (11 digits)."), code="required")


class PatientForm(forms.ModelForm):
    national_id = NationalIdField()
    municipality = MunicipalityField(
        label=capfirst(Patient._meta.get_field("municipality").verbose_name),
        help_text=_("Type the first letters and choose from the list: names that repeat show their county."),
        error_messages={"required": _("Choose the municipality the patient lives in.")},
    )

    class Meta:
        model = Patient
        fields = [
            "national_id",
            "given_name",
            "family_name",
            "municipality",
            "gp_office",
            "preferred_language",
            "mobile_phone",
            "email",
            "date_of_death",
        ]
        widgets = {
            "date_of_death": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mobile_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "given_name": {"required": _("Enter the patient's given name.")},
            "family_name": {"required": _("Enter the patient's family name.")},
            "municipality": {"required": _("Choose the municipality the patient lives in.")},
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.duplicate = None
        self.national_id_info = None  # the parsed nin.NationalId once the field validates
        self.fields["gp_office"].queryset = Organisation.objects.filter(kind=Kind.GP_OFFICE).order_by("name")
        self.fields["gp_office"].empty_label = _("No GP office registered")
        self.fields["given_name"].widget.attrs["autocomplete"] = "off"
        self.fields["family_name"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.initial["national_id"] = self.instance.national_id
        else:
            org = actor.organisation
            if org.kind == Kind.MUNICIPALITY:
                self.initial.setdefault("municipality", org.pk)
            elif org.kind == Kind.GP_OFFICE:
                self.initial.setdefault("gp_office", org.pk)
                self.initial.setdefault("municipality", org.municipality_id)

    def clean_national_id(self):
        parsed = self.cleaned_data["national_id"]
        # A new registration never says whether the number is registered (no existence oracle:
        # patients.services.register_patient answers both alike). Changing the number of a record
        # one may edit to another registered number is refused.
        existing = None
        if self.instance.pk:
            existing = Patient.objects.filter(national_id=parsed.number).exclude(pk=self.instance.pk).first()
        if existing is not None:
            self.duplicate = existing
            raise forms.ValidationError(
                _("A patient with this national identity number is already registered."), code="duplicate"
            )
        self.national_id_info = parsed
        return parsed.number

    def clean(self):
        cleaned = super().clean()
        parsed = self.national_id_info
        died = cleaned.get("date_of_death")
        if died:
            try:
                services.check_date_of_death(self.instance, died, date_of_birth=parsed.birth_date if parsed else None)
            except services.PatientRuleError as error:
                self.add_error("date_of_death", error.messages)
        if not self.instance.pk:
            self._check_new_patient_stays_visible(cleaned)
        return cleaned

    def _check_new_patient_stays_visible(self, cleaned):
        """Whoever registers a patient must keep a care relation to them: a hospital always does
        (it registered them); a municipality only for its residents; a GP office for its list."""
        org = self.actor.organisation
        if org.kind == Kind.MUNICIPALITY and cleaned.get("municipality") and cleaned["municipality"] != org:
            self.add_error(
                "municipality",
                _(
                    "You act for %(org)s and can register only patients who live there. A patient living "
                    "elsewhere is registered by that municipality or the hospital."
                )
                % {"org": org.name},
            )
        if org.kind == Kind.GP_OFFICE and cleaned.get("gp_office") != org:
            self.add_error(
                "gp_office", _("You act for %(org)s: choose it as the patient's GP office.") % {"org": org.name}
            )

    def validate_unique(self):
        exclude = self._get_validation_exclusions()
        if not self.instance.pk:
            exclude.add("national_id")  # see clean_national_id
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    ENTERED_FIELDS = (
        "given_name",
        "family_name",
        "municipality",
        "gp_office",
        "preferred_language",
        "mobile_phone",
        "email",
        "date_of_death",
    )

    def entered(self):
        """What the user entered, as JSON: kept on the registration (patients.models.Registration)."""
        values = {"national_id": self.national_id_info.number if self.national_id_info else ""}
        for name in self.ENTERED_FIELDS:
            value = self.cleaned_data.get(name)
            if hasattr(value, "pk"):
                value = {"id": value.pk, "name": value.name}
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values[name] = value if value is not None else ""
        return values

    def save(self, commit=True):
        parsed = self.national_id_info
        self.instance.national_id_kind = parsed.kind
        self.instance.date_of_birth = parsed.birth_date
        return super().save(commit=commit)


class RelativeForm(forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["name", "relation", "phone", "email", "is_child", "is_next_of_kin", "note"]
        error_messages = {
            "name": {"required": _("Enter the relative's name.")},
            "relation": {"required": _("Choose how the relative is related to the patient.")},
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }


class NationalIdLookupForm(forms.Form):
    national_id = NationalIdField()


class EmergencyAccessForm(forms.Form):
    national_id = NationalIdField()
    reason = forms.CharField(
        label=_("Why do you need access?"),
        help_text=_("Write the clinical situation. The patient and your organisation's administrator can see it."),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": str(settings.EMERGENCY_REASON_MAX_LENGTH)}),
        error_messages={"required": _("Write why you need emergency access.")},
    )

    def clean_reason(self):
        from patients.emergency import check_reason

        return check_reason(self.cleaned_data["reason"])


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": str(settings.EMERGENCY_REASON_MAX_LENGTH)}),
        help_text=_("For example: checked with the user, the access was needed."),
    )


class PatientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or national identity number"), required=False, max_length=100)
