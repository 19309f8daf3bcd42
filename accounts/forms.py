from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lib.validators import validate_name_characters


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Check them and try again. After %(limit)s failed "
            "attempts the account is locked for a while."
        ),
        "inactive": _("This account is deactivated. Ask your organisation's administrator."),
        "provider_required": _(
            "Your organisation requires sign-in through its identity provider, not with a password. Use the "
            "button “Sign in with …” below."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from accounts.oidc import policy

        if policy.provider_required(user):
            raise forms.ValidationError(self.error_messages["provider_required"], code="provider_required")

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"] % {"limit": settings.AXES_FAILURE_LIMIT}, code="invalid_login"
        )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
        error_messages={
            "required": _("Enter the six-digit code from your authenticator app."),
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has only digits."))
        return code


class InvitationForm(forms.Form):
    """An organisation admin invites a person to a role in the organisation."""

    name = forms.CharField(label=_("Full name"), max_length=150, validators=[validate_name_characters])
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The one-time link goes here."))
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)
    hpr_number = forms.CharField(
        label=_("HPR number"),
        required=False,
        max_length=9,
        help_text=_("Health personnel number, if the person has one. Used for sign-in with HelseID later."),
    )
    national_id = forms.CharField(
        label=_("National identity number"),
        required=False,
        help_text=_(
            "Only if known, for sign-in with ID-porten later. It is stored as a code that cannot be read back."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"))

    def __init__(self, *args, organisation, covered=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from accounts.models import ROLE_ORGANISATION_KINDS, Role

        # A health trust's admin also invites to its hospitals: then the organisation is chosen too,
        # and the roles offered are those that fit any of them (the service checks the pair).
        organisations = list(covered) or [organisation]
        kinds = {o.kind for o in organisations}
        self.fields["role"].choices = [
            (role.value, role.label) for role in Role if kinds & set(ROLE_ORGANISATION_KINDS[role])
        ]
        self.organisations = {str(o.public_id): o for o in organisations}
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("Organisation"),
                choices=[(key, o.name) for key, o in self.organisations.items()],
                initial=str(organisation.public_id),
            )
        self.fields["language"].choices = [(code, _(name)) for code, name in settings.LANGUAGES]

    def chosen_organisation(self):
        key = self.cleaned_data.get("organisation")
        return self.organisations[key] if key else next(iter(self.organisations.values()))

    def clean_hpr_number(self):
        value = self.cleaned_data["hpr_number"].strip()
        if value and not (value.isdigit() and 6 <= len(value) <= 9):
            raise forms.ValidationError(_("An HPR number has 6 to 9 digits."))
        return value

    def clean_national_id(self):
        value = self.cleaned_data["national_id"].strip()
        if not value:
            return ""
        from django.conf import settings

        from lib import nin  # the one place that parses national ids

        try:
            return nin.parse(value, allow_synthetic=settings.ALLOW_SYNTHETIC_NATIONAL_IDS).number
        except nin.InvalidNationalId as error:
            raise forms.ValidationError(error.message) from error


class RedeemForm(forms.Form):
    """First use of an invitation link: a password and the code from the new authenticator."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 12 characters and hard to guess: a few unusual words together are good."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    code = OneTimeCodeForm.base_fields["code"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    clean_code = OneTimeCodeForm.clean_code

    def clean_password2(self):
        from django.contrib.auth import password_validation

        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("The two passwords are not the same."))
        if first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return second


class ResetRedeemForm(forms.Form):
    """First use of a second-factor reset link: the member's password and the new code."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = OneTimeCodeForm.base_fields["code"]
    clean_code = OneTimeCodeForm.clean_code
