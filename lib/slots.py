"""Places on an inner app's page that outer apps fill, so that the inner app's templates name
neither the outer apps' templates nor their tags or URLs (docs/architecture.md, "How outer apps
plug into inner ones").

The inner app declares a slot and the arguments its panels get, and renders it with a small tag
of its own; an outer app registers a panel, a template of its own and a function that makes the
template's context (or none: the template gets the slot's arguments), in its AppConfig.ready:

    panels.completion_fields.register("handover.completion_fields", "handover/completion_fields.html", fields)

Panels render in the order they were registered; registering a name again replaces its panel in
its place. A function that returns None leaves its panel out, and a slot nobody filled renders
nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext | None


@dataclass(frozen=True)
class Filled:
    """A panel's template with the context its function made, ready to render."""

    template: str
    values: dict[str, Any]


class Slot:
    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: dict[str, Panel] = {}

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def register(self, name: str, template: str, context: PanelContext | None = None) -> None:
        """`context` is called with the slot's arguments; without one, the template gets the
        arguments themselves."""
        self._panels[name] = Panel(template, context)

    def names(self) -> list[str]:
        return list(self._panels)

    def fill(self, **arguments: Any) -> list[Filled]:
        """Each panel's context for these arguments, in order, without the panels left out. For a
        page whose view needs to know what the panels show before the page renders."""
        filled = []
        for panel in self._panels.values():
            values = panel.context(**arguments) if panel.context else dict(arguments)
            if values is not None:
                filled.append(Filled(panel.template, values))
        return filled

    def render(self, context: Context, **arguments: Any) -> SafeString:
        """The panels for these arguments, rendered in the page's `context` (render_filled)."""
        return render_filled(context, self.fill(**arguments))


def render_filled(context: Context, filled: list[Filled]) -> SafeString:
    """Filled panels rendered one after the other, each with its own values in a new context of
    the page (as an inclusion tag renders: the page's autoescaping and its CSRF token, none of its
    variables)."""
    engine = context.template.engine if context.template is not None else Engine.get_default()
    parts = []
    for panel in filled:
        values = dict(panel.values)
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            values.setdefault("csrf_token", csrf_token)
        parts.append(engine.get_template(panel.template).render(context.new(values)))
    return mark_safe("".join(conditional_escape(part) for part in parts))
