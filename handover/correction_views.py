"""The page where the person who recorded a completion corrects it (handover.corrections): what
was recorded, the messages that will be marked entered in error and replaced, and the form. The
pathway and assessment pages show a small panel with the same form (handover/correction_panel.html)
that posts here; a refusal is shown here with everything typed kept."""

from django import forms
from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import actor_required
from audit.models import AuditEntry
from handover import corrections
from pathway.services import PathwayConflict, PathwayRuleError
from pathway.views import open_point
from patients.access import CARE_ROLES

Action = AuditEntry.Action


class CompletionCorrectionForm(forms.Form):
    on_date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=gettext_lazy("Where"), required=False, max_length=200)
    note = forms.CharField(
        label=gettext_lazy("Note to the receivers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    declined = forms.BooleanField(
        label=gettext_lazy("The patient does not want the assessment shared"),
        required=False,
        help_text=gettext_lazy(
            "The GP and the receivers you chose then get no replacement; their message is withdrawn."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The receivers see it with the replacement."),
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, point=None, declined=False, **kwargs):
        super().__init__(*args, **kwargs)
        if point is not None:  # one panel per point on a page: ids of their own
            self.auto_id = f"correct-{point.key}-%s"
        if declined:  # declined sharing is never taken back by a correction
            del self.fields["declined"]


def initial(point):
    """The form as first shown: what was recorded, and the note the standing messages carry."""
    message = corrections.current_messages(point).first()
    return {
        "on_date": point.outcome_on,
        "place": point.place,
        "note": message.note if message else "",
        "seen": corrections.corrections_made(point),
    }


def _open_point(request, public_id, action):
    return open_point(request, public_id, action, object_type="enrolment", what="completion correction")


@actor_required(*CARE_ROLES)
def correct_completion(request, public_id):
    posted = request.method == "POST"
    point = _open_point(request, public_id, None if posted else Action.VIEW)
    declined = corrections.sharing_declined(point)
    status = 200
    if posted:
        form = CompletionCorrectionForm(request.POST, point=point, declined=declined)
        if form.is_valid():
            data = form.cleaned_data
            try:
                corrections.correct_completion(
                    request.actor,
                    point,
                    on_date=data["on_date"],
                    place=data["place"],
                    note=data["note"],
                    declined=data.get("declined", False),
                    reason=data["reason"],
                    seen=data["seen"],
                    request=request,
                )
            except PathwayRuleError as error:
                status = 409 if isinstance(error, PathwayConflict) else 200  # form errors: 200, as elsewhere
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.messages)
                if isinstance(error, PathwayConflict):
                    point, form = _after_conflict(request, form, public_id, error)
                    declined = corrections.sharing_declined(point)
            else:
                flash.success(
                    request, _("The completion is corrected. The receivers get the corrected message to acknowledge.")
                )
                return redirect("pathway:enrolment", public_id=point.enrolment.public_id)
    else:
        form = CompletionCorrectionForm(initial=initial(point), point=point, declined=declined)
    return render(
        request,
        "handover/correction.html",
        {
            "point": point,
            "patient": point.enrolment.patient,
            "form": form,
            "can_correct": corrections.can_correct(request.actor, point),
            "until": corrections.correctable_until(point),
            "standing": list(corrections.current_messages(point)),
            "declined": declined,
            "hours": corrections.period().total_seconds() // 3600,
            "now": timezone.now(),
        },
        status=status,
    )


def _after_conflict(request, form, public_id, error):
    """Someone corrected (or changed) the completion since the form was shown: the page shows the
    facts as they are now, and the form keeps what was typed with the new token, so that sending it
    again is a decision made on what is recorded now."""
    point = _open_point(request, public_id, None)
    data = request.POST.copy()
    data["seen"] = str(corrections.corrections_made(point))
    fresh = CompletionCorrectionForm(data, point=point, declined=corrections.sharing_declined(point))
    fresh.is_valid()
    fresh.add_error(None, error.messages)
    return point, fresh
