import datetime
from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from directory.widgets import OrganisationMultipleChoiceField
from pathway.definitions import DEFAULT_DEFINITION_KEY
from pathway.enabling import available_definitions
from pathway.models import CollaborationPoint, Offer, TreatmentIntent
from pathway.services import HandoverChoice
from pathway.worklists import HORIZON_WEEKS

if TYPE_CHECKING:
    from accounts.models import User


class EnrolmentForm(forms.Form):
    diagnosis_date = forms.DateField(
        label=_("Date of diagnosis"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The windows of all collaboration points are counted from this date."),
        error_messages={
            "required": _("Enter the date of diagnosis."),
            "invalid": _("Enter a date such as 2026-11-23."),
        },
    )
    icd10_code = forms.CharField(
        label=_("Diagnosis (ICD-10)"),
        max_length=8,
        help_text=_("A code from C00–C97 or D00–D09, for example C50.9. The name is shown when you save."),
        widget=forms.TextInput(attrs={"list": "icd10-codes", "autocomplete": "off"}),
        error_messages={"required": _("Enter the ICD-10 code of the cancer diagnosis.")},
    )
    treatment_intent = forms.ChoiceField(
        label=_("Treatment intent"), choices=TreatmentIntent.choices, initial=TreatmentIntent.NOT_KNOWN
    )
    diagnosis_specific_pathway = forms.CharField(
        label=_("Also in a diagnosis-specific cancer pathway"),
        required=False,
        max_length=200,
        help_text=_("Which one, if any (for example “Brystkreft”)."),
    )
    offer = forms.ChoiceField(
        label=_("Offer of the pathway"), choices=Offer.choices, initial=Offer.NOT_ASKED, widget=forms.RadioSelect
    )
    # Only when the organisation has enabled a pathway beside the national one (pathway.enabling).
    definition_key = forms.ChoiceField(
        label=_("Which pathway"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the pathway."), "invalid_choice": _("Choose one of the pathways.")},
    )
    is_relapse = forms.BooleanField(
        label=_("Relapse: start the pathway again"),
        required=False,
        help_text=_("Ends the patient's open pathway, if there is one, and starts a new one."),
    )
    # Only when a municipality enrols (the patient came to it directly): who holds the hospital's
    # point, or why it is not held (pathway.services.enrol).
    sp1_choice = forms.ChoiceField(
        label=_("The first conversation, at the hospital"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the hospital that should hold the first conversation, or that it is not held.")
        },
    )
    sp1_not_held_reason = forms.CharField(
        label=_("Why the first conversation is not held"),
        required=False,
        max_length=300,
        help_text=_("Needed when it is not held, for example “Had the conversation at the hospital already”."),
    )

    NOT_HELD = "not_held"

    def __init__(self, *args, organisation=None, patient=None, **kwargs):
        """`organisation` enrols `patient`; a municipality chooses among the hospitals of the
        patient's health trust, or records that the first conversation is not held."""
        super().__init__(*args, **kwargs)
        self.hospitals = {}
        self._definition_choices(organisation)
        if organisation is None or organisation.kind != Organisation.Kind.MUNICIPALITY or patient is None:
            del self.fields["sp1_choice"], self.fields["sp1_not_held_reason"]
            return
        from pathway.services import first_point_hospitals

        self.hospitals = {str(h.pk): h for h in first_point_hospitals(patient)}
        self.fields["sp1_choice"].choices = [
            *[(pk, hospital.name) for pk, hospital in self.hospitals.items()],
            (self.NOT_HELD, _("Not held: record why below")),
        ]

    def _definition_choices(self, organisation):
        """The pathways the organisation enrols on; no choice when only the national one."""
        available = available_definitions(organisation) if organisation is not None else []
        if len(available) < 2:
            del self.fields["definition_key"]
            return
        language = translation.get_language() or "nb"
        field = self.fields["definition_key"]
        field.choices = [(d.key, d.title.get(language) or d.title["nb"]) for d in available]
        field.initial = DEFAULT_DEFINITION_KEY

    def clean(self):
        data = super().clean()
        if "sp1_choice" not in self.fields:
            return data
        choice = data.pop("sp1_choice", None)
        data["sp1_hospital"] = self.hospitals.get(choice)
        if choice == self.NOT_HELD:
            if not data.get("sp1_not_held_reason", "").strip():
                self.add_error("sp1_not_held_reason", _("Write why the first conversation is not held."))
        else:
            data["sp1_not_held_reason"] = ""
        return data


class OfferForm(forms.Form):
    offer = forms.ChoiceField(
        label=_("The patient's answer"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the patient accepted or declined.")},
        choices=[(Offer.ACCEPTED, Offer.ACCEPTED.label), (Offer.DECLINED, Offer.DECLINED.label)],
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Needed when a collaboration point has already been held."),
    )


class BookForm(forms.Form):
    booked_for = forms.DateTimeField(
        label=_("Time of the conversation"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label=_("Reason for moving it"),
        required=False,
        max_length=300,
        help_text=_("Needed when the conversation was booked before."),
    )


def fetched_choices(field, objects):
    """Give a model choice field the choices of `objects`, fetched once for several forms on one
    page (a ModelChoiceField queries its queryset again for every form it renders). A submitted
    value is still looked up in the field's queryset."""
    choice = field.iterator(field).choice
    blank = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = blank + [choice(obj) for obj in objects]


def handover_candidates(point, sender):
    """Organisations a professional may add as receivers of a point's hand-over: the enrolling
    hospital, the hospitals of the patient's health trust, the patient's municipality and GP
    office; never the sender's own."""
    patient = point.enrolment.patient
    ids = {point.enrolment.enrolling_organisation_id, patient.municipality_id}
    if patient.gp_office_id:
        ids.add(patient.gp_office_id)
    trust_id = patient.municipality.health_trust_id
    hospitals = Organisation.objects.filter(parent_id=trust_id, kind=Organisation.Kind.HOSPITAL).values("pk")
    candidates = Organisation.objects.filter(models.Q(pk__in=ids) | models.Q(pk__in=hospitals))
    return candidates.exclude(pk__in=sender.covered_ids()).select_related("county").order_by("name")


class HandoverFields(forms.Form):
    """The hand-over choices made when completing a point (the completion forms include them)."""

    handover_note = forms.CharField(
        label=_("Note to the receivers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes with the handover message, for example what the patient wants the municipality to know."),
    )
    extra_recipients = OrganisationMultipleChoiceField(
        label=_("Also send to"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sharing_declined = forms.BooleanField(
        label=_("The patient does not want the assessment shared"),
        required=False,
        help_text=_(
            "The municipality is then told only that the point is completed and when the next one is due; "
            "the GP gets nothing."
        ),
    )

    def __init__(self, *args, point=None, sender=None, candidates=None, **kwargs):
        """The receivers to choose from are handover_candidates(point, sender), or `candidates`:
        those already fetched, for a page with a form for each point of an enrolment (the
        candidates are the same for all of them)."""
        super().__init__(*args, **kwargs)
        field = self.fields["extra_recipients"]
        if candidates is not None:
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in candidates])
            fetched_choices(field, candidates)
        elif point is not None and sender is not None:
            field.queryset = handover_candidates(point, sender)

    def handover_choice(self) -> HandoverChoice:
        data = self.cleaned_data
        return HandoverChoice(
            note=data.get("handover_note", "").strip(),
            extra_recipients=tuple(data.get("extra_recipients") or ()),
            sharing_declined=bool(data.get("sharing_declined")),
        )


class CloseForm(HandoverFields):
    # No initial outcome and no initial date: nothing that changes the record is preselected.
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CollaborationPoint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome: completed, not wanted by the patient, or cancelled.")},
    )
    on_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the date the point was held, refused or cancelled.")},
    )
    place = forms.CharField(
        label=_("Where"), required=False, max_length=200, help_text=_("For example “Kreftpoliklinikken” or “at home”.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed when you cancel, and when you complete outside the window or before the patient's answer "
            "to the offer is recorded."
        ),
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _horizon_text(msgid):
    """A worklist filter text naming the look-ahead (pathway.worklists.HORIZON_WEEKS), translated
    when shown (the msgid is marked with gettext_noop where it is written, for makemessages)."""
    return lazy(lambda: gettext(msgid) % {"weeks": HORIZON_WEEKS}, str)()


class WorklistFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _horizon_text(gettext_noop("All open (overdue, due, next %(weeks)s weeks)"))),
            ("overdue", _("Overdue")),
            ("due", _("Due")),
            ("planned", _horizon_text(gettext_noop("Coming up (window opens in the next %(weeks)s weeks)"))),
        ],
        help_text=_horizon_text(gettext_noop("Up to %(weeks)s weeks ahead; choose a week to see later points.")),
    )
    point = forms.ChoiceField(label=_("Collaboration point"), required=False)
    week = forms.CharField(
        label=_("Week"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"type": "week"}),
        help_text=_("Points whose window is open that week."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("window", _("Window closes")), ("opens", _("Window opens")), ("name", _("Patient name"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [("", _("All points")), *point_choices()]

    def clean_week(self):
        """'2026-W48' → the Monday of that ISO week."""
        value = self.cleaned_data["week"].strip()
        if not value:
            return None
        try:
            year, week = value.upper().split("-W")
            return datetime.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            raise forms.ValidationError(_("Choose a week, such as 2026-W48.")) from None


def point_choices() -> list[tuple[str, str]]:
    """The points a worklist can hold: the national pathway's by number, then each other
    definition's own points by the definition's and the point's title (a point a definition shares
    with the national pathway is the national one)."""
    from pathway.definitions import all_definitions

    language = (translation.get_language() or "nb").split("-")[0]
    national = all_definitions()[DEFAULT_DEFINITION_KEY]
    choices = [(key, str(number)) for number, key in enumerate(national.point_keys, start=1)]
    seen = set(national.point_keys)
    for definition in sorted(all_definitions().values(), key=lambda d: d.key):
        for point in definition.points:
            if point.key not in seen:
                seen.add(point.key)
                title = point.title.get(language) or point.title["nb"]
                pathway_title = definition.title.get(language) or definition.title["nb"]
                choices.append((point.key, f"{pathway_title}: {title}"))
    return choices


def colleagues(organisation):
    """Active users with an active membership of the organisation."""
    from accounts.models import User

    return (
        User.objects.filter(memberships__organisation=organisation, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


class AssignForm(forms.Form):
    assigned_to: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody in particular")
    )

    def __init__(self, *args, organisation, people=None, **kwargs):
        """`people`: colleagues(organisation) already fetched, for a page with several forms."""
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = colleagues(organisation)
        if people is not None:
            fetched_choices(self.fields["assigned_to"], people)


class ContactPersonForm(forms.Form):
    contact_person: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Fixed contact person in the municipality"),
        queryset=None,
        required=False,
        empty_label=_("Not chosen yet"),
        help_text=_("The patient and the hospital see this name. The patient keeps the same person over time."),
    )

    def __init__(self, *args, organisation, people=None, **kwargs):
        """`people`: colleagues(organisation) already fetched, for a page with several forms."""
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = colleagues(organisation)
        if people is not None:
            fetched_choices(self.fields["contact_person"], people)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("What the patient said"),
        max_length=300,
        error_messages={"required": _("Write what the patient said about withdrawing.")},
        help_text=_("Kept on the timeline. You see what will happen before it is recorded."),
    )


class EventForm(forms.Form):
    event = forms.ChoiceField(label=_("Event"))
    on_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = events
