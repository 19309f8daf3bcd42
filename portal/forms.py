"""Forms of the portal: the one-time code, the clinician's invitation, and a request for the pathway
with its answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, phone_validator
from lib.validators import validate_name_characters


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("Six digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Enter the code we sent you.")},
    )


class InvitationForm(forms.Form):
    """The clinician's choice of respondent and channel for the link."""

    respondent = forms.ChoiceField(label=_("Who answers"), widget=forms.RadioSelect)
    link_channel = forms.ChoiceField(
        label=_("Send the link by"),
        widget=forms.RadioSelect,
        choices=[("sms", _("Text message (the code by e-mail)")), ("email", _("E-mail (the code by text message)"))],
        initial="sms",
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        if not patient.email:
            # Only a mobile number: the link and the code go as two separate text messages.
            self.fields["link_channel"].choices = [
                ("sms", _("Text message (the link and the code in two separate messages)"))
            ]
        choices = [("patient", _("The patient") if not patient.is_child else _("The patient, with a parent"))]
        choices += [(str(r.public_id), _("Relative: %(name)s") % {"name": r.name}) for r in patient.relatives.all()]
        self.fields["respondent"].choices = choices
        self.fields["respondent"].initial = "patient"


class PathwayRequestForm(forms.Form):
    """A person signed in with ID-porten asks their municipality for the pathway home."""

    municipality = forms.ModelChoiceField(
        label=_("Your municipality"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a municipality"),
        error_messages={
            "required": _("Choose the municipality you live in."),
            "invalid_choice": _("Choose a municipality from the list."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        validators=[validate_name_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    message = forms.CharField(
        label=_("What would you like to tell the municipality?"),
        help_text=_("A few words about your situation, for example your diagnosis and when you would like to talk."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write a few words to the municipality."),
            "max_length": _("Keep the text within %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.no.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if not self.errors.get("phone") and not self.errors.get("email"):
            if not data.get("phone") and not data.get("email"):
                self.add_error(
                    "phone", _("Give a phone number or an e-mail address, so that the municipality can reach you.")
                )
        return data


class RequestAnswerForm(forms.Form):
    """The municipality's answer to a request for the pathway."""

    status = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[
            ("answered", _("Answered (we have been in touch)")),
            ("enrolled", _("Enrolled in the pathway")),
            ("declined", _("Declined")),
        ],
        error_messages={"required": _("Choose what the answer is.")},
    )
    note = forms.CharField(
        label=_("Note to the person"),
        help_text=_("The person sees this note on their page in the portal."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the note within %(limit_value)d characters (it has %(show_value)d).")},
    )
