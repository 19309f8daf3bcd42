"""The panel "Correct the completion" on the pathway and assessment pages, shown only to the person
who recorded the completion, while it can still be corrected (handover.corrections)."""

from django import template

from handover import corrections
from handover.correction_views import CompletionCorrectionForm, initial

register = template.Library()


@register.inclusion_tag("handover/correction_panel.html", takes_context=True)
def correction_panel(context, point):
    actor = context.get("actor")
    if actor is None or not corrections.can_correct(actor, point):
        return {"show": False}
    declined = corrections.sharing_declined(point)
    return {
        "show": True,
        "point": point,
        "until": corrections.correctable_until(point),
        "form": CompletionCorrectionForm(initial=initial(point), point=point, declined=declined),
        "declined": declined,
        "csrf_token": context.get("csrf_token"),
    }
