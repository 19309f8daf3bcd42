"""Reading a page of answers from a form post. Field names are the questionnaire's linkIds."""

from django import forms
from django.utils.translation import gettext_lazy as _


def answers_from_post(page, data) -> dict:
    """Yes/no become booleans, numbers integers; an empty field is no answer."""
    answers = {}
    for item in page.items:
        if not item.answerable:
            continue
        raw = data.get(item.link_id, "")
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in ("", None):
            continue
        if item.type == "boolean":
            answers[item.link_id] = {"yes": True, "no": False}.get(raw, raw)
        elif item.type == "integer":
            try:
                answers[item.link_id] = int(raw)
            except ValueError:
                answers[item.link_id] = raw  # validation names the problem
        else:
            answers[item.link_id] = raw
    return answers


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
        choices = [("patient", _("The patient") if not patient.is_child else _("The patient, with a parent"))]
        choices += [(str(r.public_id), _("Relative: %(name)s") % {"name": r.name}) for r in patient.relatives.all()]
        self.fields["respondent"].choices = choices
        self.fields["respondent"].initial = "patient"
