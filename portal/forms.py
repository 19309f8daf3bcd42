"""Forms of the portal: the one-time code, and the clinician's invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
