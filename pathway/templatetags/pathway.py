from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import people
from accounts.templatetags import people as people_tags
from lib.slots import render_filled
from pathway import icd10, panels
from pathway.models import PathwayEvent

register = template.Library()

# A point's status as a Designsystemet tag: colour and label. Anything else is a cancelled point.
STATUS_TAGS = {
    "overdue": ("danger", _("Overdue")),
    "due": ("warning", _("Due")),
    "planned": ("info", _("Coming up")),
    "waiting": ("neutral", _("Waiting")),
    "declined": ("neutral", _("Declined: ask again later")),
    "ask_again": ("warning", _("Ask again")),
    "completed": ("success", _("Completed")),
    "not_wanted": ("neutral", _("Not wanted")),
}
CANCELLED_TAG = ("neutral", _("Cancelled"))


@register.filter
def status_tag(status):
    """`{{ status|status_tag }}`: a filter rather than an included template, as a worklist shows
    one per row."""
    color, label = STATUS_TAGS.get(status, CANCELLED_TAG)
    return format_html('<span class="ds-tag" data-color="{}">{}</span>', color, label)


@register.simple_tag(takes_context=True)
def pathway_panels(context, slot, **arguments):
    """`{% pathway_panels "completion_fields" point=point form=form actor=actor %}`: what outer apps
    registered for one of pathway.panels' slots, in order; nothing if none did. With `as name`, the
    page can tell an empty slot from a filled one."""
    return panels.SLOTS[slot].render(context, **arguments)


@register.simple_tag(takes_context=True)
def filled_panels(context, filled):
    """`{% filled_panels worklist_alerts %}`: panels the view has filled (lib.slots.Slot.fill)."""
    return render_filled(context, filled or [])


@register.filter
def diagnosis_label(code, english_name=""):
    """`{{ code|diagnosis_label:name }}`: an ICD-10 code with its title in the user's language, as
    `Enrolment.diagnosis_label` shows a pathway's (pathway.icd10.label)."""
    return icd10.label(code, english_name)


@register.simple_tag
def with_people(events):
    """`{% with_people events as entries %}`: the timeline's events with the name and role of
    who wrote each (accounts.people), never a username."""
    return people.describe_events(events)


# `{{ point.assigned_to|person }}`, `{{ entry|who }}`: accounts' filters (tag library `people`),
# offered here too so that the pathway's templates load one library.
register.filter("person", people_tags.person)
register.filter("who", people_tags.who)


_KIND_LABELS: dict[str, dict[str, str]] = {}  # language -> {kind: label}


@register.filter
def kind_label(kind):
    """`{{ event.kind|kind_label }}`: a timeline entry's kind in the active language, as
    `get_kind_display` gives it, from a dictionary made once per language (get_kind_display builds
    the choices anew for every entry of a long timeline)."""
    language = translation.get_language()
    labels = _KIND_LABELS.get(language)
    if labels is None:
        labels = _KIND_LABELS[language] = {value: str(label) for value, label in PathwayEvent.Kind.choices}
    return labels.get(kind, kind)
