"""Forms of the professional's side of the needs assessment.

The questionnaire part is built from the FHIR Questionnaire itself, one field per answerable item
named `<prefix>-<linkId>`, so a new questionnaire version needs no new form code. The posted
answers are read with `answers_from_post` and checked by `services.validate_answers`, the same
rules as the patient's own answers.
"""

import dataclasses

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import FollowUp
from directory.models import ContactPoint, Organisation
from directory.widgets import OrganisationChoiceField
from pathway.forms import HandoverFields

PREFIX = "q"
YES, NO = "yes", "no"
TEXT_MAX = 4000  # as services.validate_answers

# Suggestions for the responsible service when it is not an organisation in the directory.
SERVICE_SUGGESTIONS = (
    _("GP"),
    _("Physiotherapy"),
    _("Frisklivssentral (healthy life centre)"),
    _("Cancer coordinator"),
    _("Psychologist"),
    _("NAV"),
    _("School"),
    _("Vardesenter"),
    _("The Norwegian Cancer Society"),
)


def field_name(prefix, link_id):
    return f"{prefix}-{link_id}" if prefix else link_id


def answers_from_post(questionnaire, data, prefix=PREFIX, *, items=None) -> dict:
    """Yes/no become booleans, numbers integers; an empty field is no answer. A value that does
    not convert is kept as it came, so validation can say what is wrong with it. `items` limits
    the reading to some items (one page of the patient's form)."""
    answers = {}
    for item in items if items is not None else questionnaire.items.values():
        link_id = item.link_id
        if not item.answerable:
            continue
        raw = data.get(field_name(prefix, link_id), "")
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in ("", None):
            continue
        if item.type == "boolean":
            answers[link_id] = {YES: True, NO: False}.get(raw, raw)
        elif item.type == "integer":
            try:
                answers[link_id] = int(raw)
            except ValueError:
                answers[link_id] = raw
        else:
            answers[link_id] = raw
    return answers


def initial_from_answers(questionnaire, answers, prefix=PREFIX) -> dict:
    """The reverse of `answers_from_post`: stored answers as form values."""
    initial = {}
    for link_id, value in answers.items():
        item = questionnaire.items.get(link_id)
        if item is None or not item.answerable:
            continue
        if isinstance(value, bool):
            value = YES if value else NO
        initial[field_name(prefix, link_id)] = str(value)
    return initial


def _is_scale(item):
    return item.type == "integer" and item.min_value is not None and item.max_value is not None


def _radios(label, choices):
    return forms.ChoiceField(
        label=label, required=False, choices=choices, widget=forms.RadioSelect(attrs={"class": "ds-input"})
    )


def _question_field(item, language):
    label = item.text.get(language)
    if item.type == "boolean":
        return _radios(label, [(YES, _("Yes")), (NO, _("No"))])
    if _is_scale(item):
        return _radios(label, [(str(n), str(n)) for n in range(item.min_value, item.max_value + 1)])
    if item.type == "integer":
        return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    if item.type == "choice":
        return _radios(label, [(option.code, option.display.get(language)) for option in item.options])
    widget = forms.Textarea(attrs={"rows": 3}) if item.type == "text" else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=TEXT_MAX, widget=widget)


@dataclasses.dataclass(frozen=True)
class Row:
    """One item of a page: a display text, or a question with its bound field."""

    item: object
    text: str
    field: object = None
    enable_when: str = ""  # the field name of the question this one depends on

    @property
    def as_radios(self):
        return self.item.type in ("boolean", "choice") or _is_scale(self.item)

    @property
    def in_a_row(self):
        """Yes/no and a 0–10 scale fit on one line; the options of a choice are listed."""
        return self.item.type in ("boolean", "integer")

    def widget(self):
        """A text field's input, wired to its error for screen readers (as the {% field %} tag)."""
        attrs = {"class": "ds-input"}
        if self.field.errors:
            attrs.update({"aria-invalid": "true", "aria-describedby": f"{self.field.auto_id}_error"})
        return self.field.as_widget(attrs=attrs)

    @property
    def dependent(self):
        """Asked only after a "yes" (the "wants help" question and the note of an area)."""
        return bool(self.item.enable_when)


@dataclasses.dataclass(frozen=True)
class PageRows:
    link_id: str
    text: str
    rows: tuple[Row, ...]


class QuestionsForm(forms.Form):
    """Questions of a questionnaire as form fields named by linkId (after `question_prefix`): the
    whole questionnaire for the professional's record, one page of it for the patient's form."""

    def __init__(self, *args, questionnaire, language, pages=None, question_prefix=PREFIX, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire, self.language, self.question_prefix = questionnaire, language, question_prefix
        self.shown_pages = tuple(pages) if pages is not None else questionnaire.pages
        for page in self.shown_pages:
            for item in page.items:
                if item.answerable:
                    self.fields[self.name(item.link_id)] = _question_field(item, language)

    def name(self, link_id):
        return field_name(self.question_prefix, link_id)

    def pages(self):
        """The shown pages, each with its display texts and questions in order."""
        for page in self.shown_pages:
            rows = tuple(
                Row(
                    item=item,
                    text=item.text.get(self.language),
                    field=self[self.name(item.link_id)] if item.answerable else None,
                    enable_when=self.name(item.enable_when[0][0]) if item.enable_when else "",
                )
                for item in page.items
            )
            yield PageRows(link_id=page.link_id, text=page.text.get(self.language), rows=rows)

    def answers(self):
        items = [item for page in self.shown_pages for item in page.items]
        return answers_from_post(self.questionnaire, self.data, self.question_prefix, items=items)

    def add_answer_errors(self, errors: dict):
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        for link_id, message in errors.items():
            self.add_error(self.name(link_id), message)


class AssessmentForm(HandoverFields, QuestionsForm):
    """The whole questionnaire in one form, with the summary, where and when the conversation took
    place, and the hand-over choices (used when the assessment is completed)."""

    summary = forms.CharField(
        label=_("Summary of the conversation"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What matters to the patient and what you agreed. Needed to complete; it is handed over."),
    )
    on_date = forms.DateField(
        label=_("Date of the conversation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used when you complete the assessment. Today if left empty."),
    )
    place = forms.CharField(
        label=_("Where"),
        required=False,
        max_length=200,
        help_text=_("For example “Kreftkoordinator's office” or “at home”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = ["summary", "on_date", "place", *HandoverFields.base_fields]
        questions = [name for name in self.fields if name not in record]
        self.order_fields([*questions, *record])


def responsible_organisations(point):
    """A short list of likely responsible services: the patient's municipality, its health trust,
    the patient's GP office, the enrolling and the responsible organisation, and the hospitals of
    the health trust that keep a contact point for the pathway."""
    patient = point.enrolment.patient
    trust_id = patient.municipality.health_trust_id
    ids = {patient.municipality_id, point.responsible_organisation_id, point.enrolment.enrolling_organisation_id}
    ids |= {pk for pk in (trust_id, patient.gp_office_id) if pk}
    with_contact_point = ContactPoint.objects.filter(
        organisation__parent_id=trust_id, organisation__kind=Organisation.Kind.HOSPITAL
    ).values("organisation_id")
    return (
        Organisation.objects.filter(Q(pk__in=ids) | Q(pk__in=with_contact_point))
        .select_related("county")
        .order_by("name")
    )


class FollowUpForm(forms.Form):
    area = forms.ChoiceField(
        label=_("Marked area"),
        required=False,
        help_text=_("The need is taken from the area if you do not write one."),
    )
    need = forms.CharField(label=_("Need"), required=False, max_length=200)
    action = forms.CharField(
        label=_("Action"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what will be done.")},
    )
    responsible_organisation = OrganisationChoiceField(
        label=_("Responsible service from the directory"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not in this list"),
    )
    responsible_service = forms.CharField(
        label=_("Responsible service"),
        required=False,
        max_length=200,
        help_text=_("Write it if it is not in the list, or to name a service of the organisation chosen."),
        widget=forms.TextInput(attrs={"list": "responsible-services", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices, initial=FollowUp.Status.PLANNED)

    def __init__(self, *args, areas=(), organisations=None, form_id="", **kwargs):
        """`form_id`: the id of the draft's form, which the fields then belong to (the HTML form
        attribute), so that adding an action posts the unsaved draft along (see views)."""
        kwargs.setdefault("prefix", "follow-up")
        super().__init__(*args, **kwargs)
        self.area_labels = dict(areas)
        self.fields["area"].choices = [("", _("None"))] + list(areas)
        if not areas:
            del self.fields["area"]
        if organisations is not None:
            self.fields["responsible_organisation"].queryset = organisations
        _belong_to(self, form_id)

    def clean(self):
        data = super().clean()
        if not data.get("need", "").strip() and data.get("area"):
            data["need"] = self.area_labels[data["area"]]
        if not data.get("need", "").strip():
            self.add_error("need", _("Write the need, or choose a marked area."))
        return data


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FollowUp.Status.choices,
        widget=forms.Select(attrs={"class": "ds-input", "data-size": "sm"}),
    )

    def __init__(self, *args, follow_up, form_id="", **kwargs):
        kwargs.setdefault("prefix", f"status-{follow_up.pk}")
        kwargs.setdefault("initial", {"status": follow_up.status})
        super().__init__(*args, **kwargs)
        self.follow_up, self.form_id = follow_up, form_id
        _belong_to(self, form_id)


def _belong_to(form, form_id):
    """Make the fields part of the HTML form `form_id` wherever they stand on the page."""
    if form_id:
        for field in form.fields.values():
            field.widget.attrs["form"] = form_id
