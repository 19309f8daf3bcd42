"""Changes that cannot be taken back are confirmed: the first POST shows what will happen, and
only a second POST carrying a token of what was shown makes the change.

What will happen is not predicted by a copy of the rules: the page runs the service itself in a
transaction that is always rolled back (`preview`) and reads what it did — the points closed or
cancelled, windows given, the pathway ended, the handover messages written by the handover
module with their receivers and content (read through `register_messages`, the hook the handover
app fills, so that the pathway does not import it). The token is a signed digest of that and of
the state the change started from. On the second POST (`confirm`) the service runs for real; inside its
transaction, after it took the row locks, `watched` computes the same digest and refuses with
`Stale` if it differs (someone booked, completed or ended something in between): the page then
shows the new summary instead.

A service marks the part of its work to watch with `with confirmation.watched(...)`; called
outside `preview`/`confirm` (the API, the demo, tests) that does nothing.
"""

import contextlib
import contextvars
import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from pathway.services import PathwayConflict

FIELD = "confirmation"  # the POST field that carries the token
SALT = "heimveg.pathway.confirmation"
MAX_AGE = 2 * 60 * 60  # a confirmation page left open longer than two hours is shown again

_mode = contextvars.ContextVar("pathway_confirmation", default=None)
_NOT_DIGESTED = ("recipient", "reason_label", "kind_label")
# Ids the database gives rows written by the change itself (a message's content may name its
# timeline event): a PostgreSQL sequence is not rolled back with the preview, so the same change
# gets other ids when confirmed. They say nothing about what happens and are left out.
_ASSIGNED_IDS = ("event",)


def _digested(message):
    shown = {k: v for k, v in message.items() if k not in _NOT_DIGESTED}
    if isinstance(shown.get("content"), dict):
        shown["content"] = {k: v for k, v in shown["content"].items() if k not in _ASSIGNED_IDS}
    return shown


@dataclasses.dataclass(frozen=True)
class MessageSource:
    """The handover messages a change writes, as the handover app reads them (handover/previews.py,
    registered in HandoverConfig.ready). `newest()` marks the moment before the change;
    `written(enrolment_ids, mark)` lists what the change wrote for those enrolments since, each a
    dict (recipient, recipient_id, reason, reason_label, kind, kind_label, note, sharing_declined,
    content); `shown(messages, language)` gives each its readable `body` for the page."""

    newest: Callable[[], Any]
    written: Callable[[list, Any], list]
    shown: Callable[[list, str], list]


_message_source = None


def register_messages(source):
    """Without a source, a change is shown and digested without messages ("No handover message is
    sent")."""
    global _message_source
    _message_source = source


class Stale(PathwayConflict):
    """What the user confirmed is no longer what would happen."""


@dataclasses.dataclass
class Effects:
    """What a change did, as read inside its transaction."""

    before: dict
    points: list  # dicts: point, outcome (new), outcome_on, window (opens, closes) given, …
    enrolments: list  # dicts: enrolment, end_reason, offer change
    messages: list  # dicts: recipient, reason, kind, note, sharing_declined, content
    died_on: object = None
    reason_needed: str = ""

    def digest(self):
        state = {
            "before": self.before,
            "points": [{k: v for k, v in p.items() if k != "point"} for p in self.points],
            "enrolments": [{k: v for k, v in e.items() if k != "enrolment"} for e in self.enrolments],
            # Labels are left out: they follow the reader's language, not what happens.
            "messages": [_digested(m) for m in self.messages],
            "died_on": self.died_on,
        }
        text = json.dumps(state, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def token(self, kind):
        return signing.dumps({"kind": kind, "digest": self.digest()}, salt=SALT)


class _Previewing:
    def __init__(self):
        self.effects = None
        self.reason_needed = ""


class _Confirming:
    def __init__(self, token, kind):
        self.token, self.kind, self.checked = token, kind, False


class _Rollback(Exception):
    pass


def _point_state(point):
    return {
        "key": point.key,
        "outcome": point.outcome,
        "outcome_on": point.outcome_on,
        "booked_for": point.booked_for,
        "assigned_to": point.assigned_to_id,
        "responsible": point.responsible_organisation_id,
        "opens": point.window_opens,
        "closes": point.window_closes,
    }


def _died_on(patient):
    """As stored (a form may have set the instance's field already)."""
    if patient is None:
        return None
    return type(patient)._base_manager.filter(pk=patient.pk).values_list("date_of_death", flat=True).first()


def _snapshot(patient, enrolments):
    state = {"died_on": _died_on(patient), "enrolments": {}}
    for enrolment in enrolments:
        state["enrolments"][str(enrolment.pk)] = {
            "offer": enrolment.offer,
            "ended_at": enrolment.ended_at,
            "contact_person": enrolment.contact_person_id,
            "points": {str(p.pk): _point_state(p) for p in enrolment.points.order_by("sequence")},
        }
    return state


def _effects(patient, enrolments, before, last_message_id):
    from pathway.models import CollaborationPoint, Enrolment

    points, ended = [], []
    ids = [e.pk for e in enrolments]
    for enrolment in Enrolment.objects.filter(pk__in=ids).order_by("pk"):
        was = before["enrolments"][str(enrolment.pk)]
        change = {"enrolment": enrolment, "pk": enrolment.pk}
        if enrolment.ended_at and not was["ended_at"]:
            change["end_reason"] = enrolment.end_reason
        if enrolment.offer != was["offer"]:
            change["offer"] = [was["offer"], enrolment.offer]
        if len(change) > 2:
            ended.append(change)
        for point in CollaborationPoint.objects.filter(enrolment=enrolment).order_by("sequence"):
            old = was["points"].get(str(point.pk), {})
            line = {"point": point, "pk": point.pk}
            if point.outcome != old.get("outcome"):
                line.update(outcome=point.outcome, outcome_on=point.outcome_on, place=point.place)
            if point.window_opens and not old.get("opens"):
                line.update(opens=point.window_opens, closes=point.window_closes)
            if len(line) > 2:
                points.append(line)
    messages = _message_source.written(ids, last_message_id) if _message_source else []
    died_on = None
    if patient is not None and _died_on(patient) != before["died_on"]:
        died_on = _died_on(patient)
    return Effects(before=before, points=points, enrolments=ended, messages=messages, died_on=died_on)


@contextlib.contextmanager
def watched(*, enrolments=(), patient=None):
    """Watch a change of `enrolments` (and, for a death, `patient`): call it inside the service's
    transaction after the row locks, around the writes. Previewing, it records what the writes
    did; confirming, it refuses with `Stale` unless that is what the token says was shown."""
    state = _mode.get()
    if state is None:
        yield
        return
    enrolments = list(enrolments)
    if patient is not None and not enrolments:
        enrolments = list(patient.enrolments.open())
    before = _snapshot(patient, enrolments)
    last = _message_source.newest() if _message_source else None
    yield
    effects = _effects(patient, enrolments, before, last)
    if isinstance(state, _Previewing):
        effects.reason_needed = state.reason_needed
        state.effects = effects
        return
    state.checked = True
    try:
        shown = signing.loads(state.token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        shown = {}
    if shown.get("kind") != state.kind or shown.get("digest") != effects.digest():
        raise Stale(_("Something changed since you opened this summary. Check what will happen now, then confirm."))


def defer_reason(why):
    """A rule needs a reason that was not given. Previewing, the confirmation page asks for it
    (True: go on); otherwise the caller refuses (False)."""
    state = _mode.get()
    if isinstance(state, _Previewing):
        state.reason_needed = str(why)
        return True
    return False


def preview(call):
    """Run `call` (a service call) in a transaction that is always rolled back; return what it
    did (`Effects`). A rule error propagates as from the real call."""
    state = _Previewing()
    reset = _mode.set(state)
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        pass
    finally:
        _mode.reset(reset)
    if state.effects is None:
        raise RuntimeError("the service called for a confirmation does not watch its change")
    return state.effects


def confirm(token, kind, call):
    """Run `call` for real, checked against the `token` the confirmation page carried."""
    state = _Confirming(token, kind)
    reset = _mode.set(state)
    try:
        result = call()
    finally:
        _mode.reset(reset)
    if not state.checked:
        raise RuntimeError("the service called for a confirmation does not watch its change")
    return result


# --- The confirmation page ---------------------------------------------------------------------


def _lines(effects):
    """What will happen, as sentences in the user's language."""
    from pathway.models import CollaborationPoint, Enrolment, Offer

    outcomes, ends, offers = (
        dict(CollaborationPoint.Outcome.choices),
        dict(Enrolment.EndReason.choices),
        dict(Offer.choices),
    )
    lines = []
    if effects.died_on:
        lines.append(_("The date of death, %(date)s, is recorded.") % {"date": effects.died_on.strftime("%d.%m.%Y")})
    for change in effects.enrolments:
        if "offer" in change:
            old, new = change["offer"]
            lines.append(
                _("The patient's answer to the offer changes from “%(old)s” to “%(new)s”.")
                % {"old": offers.get(old, old), "new": offers.get(new, new)}
            )
    for line in effects.points:
        title = line["point"].display_title
        if "outcome" in line:
            values = {"title": title, "outcome": str(outcomes.get(line["outcome"], "")).lower()}
            values["date"] = line["outcome_on"].strftime("%d.%m.%Y") if line["outcome_on"] else "–"
            lines.append(_("%(title)s is recorded as %(outcome)s on %(date)s.") % values)
        if "opens" in line:
            lines.append(
                _("%(title)s gets its window: %(opens)s–%(closes)s.")
                % {
                    "title": title,
                    "opens": line["opens"].strftime("%d.%m.%Y"),
                    "closes": line["closes"].strftime("%d.%m.%Y"),
                }
            )
    for change in effects.enrolments:
        if "end_reason" in change:
            lines.append(
                _("The pathway ends: %(reason)s.") % {"reason": str(ends.get(change["end_reason"], "")).lower()}
            )
    if not effects.messages:
        lines.append(_("No handover message is sent."))
    return lines


def _shown_messages(effects):
    from django.utils import translation

    if _message_source is None:
        return []
    return _message_source.shown(effects.messages, translation.get_language() or "nb")


def page(request, effects, kind, *, patient, title, back_url, confirm_label, reason_field="", reason_label=""):
    """The confirmation page: what will happen, and a form that posts the same request again with
    the token of what was shown (and the reason, when a rule asks for one)."""
    from django.shortcuts import render

    from audit.models import AuditEntry
    from patients import access

    asked = bool(effects.reason_needed and reason_field)
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", FIELD) and not (asked and name == reason_field)
        for value in values
    ]
    response = render(
        request,
        "pathway/confirm.html",
        {
            "patient": patient,
            "title": title,
            "lines": _lines(effects),
            "handover_messages": _shown_messages(effects),
            "hidden": hidden,
            "token": effects.token(kind),
            "field": FIELD,
            "action": request.get_full_path(),
            "back_url": back_url,
            "confirm_label": confirm_label,
            "reason_needed": effects.reason_needed,
            "reason_field": reason_field if asked else "",
            "reason_label": reason_label or _("Reason"),
            "reason_value": request.POST.get(reason_field, "") if asked else "",
        },
    )
    access.record(
        request.actor,
        patient,
        AuditEntry.Action.VIEW,
        object_type="enrolment",
        detail=f"confirmation {kind.split(':')[0]}",
        request=request,
    )
    return response


def handle(
    request,
    *,
    kind,
    call,
    patient,
    title,
    back_url,
    done_url,
    success,
    confirm_label,
    on_rule_error=None,
    **page_options,
):
    """The two POSTs of a change that cannot be taken back. Without a token: the summary page.
    With one: the change, checked against it; if what would happen changed, the new summary
    (with a message), and on a rule error the summary again with the error. A conflict (someone
    closed or ended it just now) goes back to `back_url` with its message; a rule error found
    before anything is shown goes to `on_rule_error(error)` if given (the page with its form),
    else back with the message."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from pathway.services import PathwayRuleError

    token = request.POST.get(FIELD)
    if token:
        try:
            confirm(token, kind, call)
        except Stale as error:
            messages.warning(request, " ".join(error.messages))
        except PathwayConflict as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back_url)
        except PathwayRuleError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
            return redirect(done_url)
    try:
        effects = preview(call)
    except PathwayConflict as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back_url)
    except PathwayRuleError as error:
        if on_rule_error is not None:  # the page shows the error on its form, with what was typed
            return on_rule_error(error)
        messages.error(request, " ".join(error.messages))
        return redirect(back_url)
    return page(
        request,
        effects,
        kind,
        patient=patient,
        title=title,
        back_url=back_url,
        confirm_label=confirm_label,
        **page_options,
    )


# --- A patient's death (patients.deaths; registered in PathwayConfig.ready) ----------------------


def watch_death(patient):
    """Around the patient form's save that records a death (patients.services.update_patient)."""
    return watched(patient=patient)


def confirm_death(request, patient, *, save, refused, **page_options):
    """The death's two POSTs (`handle`): `save` records it, a rule's refusal goes to `refused`."""
    from pathway.services import PathwayRuleError
    from patients.services import PatientRuleError

    def call():
        try:
            save()
        except PatientRuleError as error:
            raise PathwayRuleError(error.messages, field=error.field) from None

    return handle(
        request, kind=f"death:{patient.pk}", call=call, patient=patient, on_rule_error=refused, **page_options
    )
