"""The pathways an organisation's admin enables (pathway.enabling), with what each one holds."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from accounts.models import Role
from pathway import enabling
from pathway.definitions import DEFAULT_DEFINITION_KEY, all_definitions
from pathway.models import CollaborationPoint
from pathway.services import PathwayRuleError


def _text(texts):
    language = translation.get_language() or "nb"
    return texts.get(language) or texts.get("nb") or ""


def _shown(definition, enabled, national):
    events = {event.key: _text(event.title) for event in definition.events}
    points = {point.key: _text(point.title) for point in definition.points}
    care_levels = dict(CollaborationPoint.CareLevel.choices)
    rows = []
    for number, point in enumerate(definition.points, start=1):
        if point.anchor.kind == "event":
            counted_from = _("the event “%(event)s”") % {"event": events.get(point.anchor.ref, point.anchor.ref)}
        elif point.anchor.kind == "point":
            counted_from = _("point “%(point)s”") % {"point": points.get(point.anchor.ref, point.anchor.ref)}
        else:
            counted_from = _("the diagnosis")
        reports_as = ""
        if point.reports_as and national is not None and point.reports_as in national.point_keys:
            reports_as = _("Point %(n)s") % {"n": national.point_keys.index(point.reports_as) + 1}
        rows.append(
            {
                "number": number,
                "title": _text(point.title),
                "care_level": care_levels.get(point.care_level, point.care_level),
                "counted_from": counted_from,
                "opens": point.opens,
                "closes": point.closes,
                "reports_as": reports_as,
            }
        )
    return {
        "key": definition.key,
        "version": definition.version,
        "title": _text(definition.title),
        "description": _text(definition.description),
        "national": not definition.needs_enabling,
        "enabled": enabled,
        "points": rows,
    }


@actor_required(Role.ORG_ADMIN)
def definition_list(request):
    organisation = request.actor.organisation
    enabled = enabling.enabled_keys(organisation)
    definitions = sorted(
        all_definitions().values(), key=lambda d: (d.needs_enabling, d.key != DEFAULT_DEFINITION_KEY, d.key)
    )
    national = all_definitions().get(DEFAULT_DEFINITION_KEY)
    shown = [_shown(d, d.key in enabled, national) for d in definitions]
    return render(request, "pathway/definitions.html", {"organisation": organisation, "definitions": shown})


@require_POST
@actor_required(Role.ORG_ADMIN)
def definition_enable(request, key):
    enable = request.POST.get("enable") == "1"
    try:
        changed = enabling.set_enabled(request.actor, key, enable)
    except PathwayRuleError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed:
            messages.success(request, _("The pathway is enabled.") if enable else _("The pathway is disabled."))
    return redirect("pathway:definitions")
