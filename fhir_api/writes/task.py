"""Task update (PUT of the whole Task, or PATCH): closing a collaboration point.

Status completed completes the point (through the assessment when one was started, so the
handover goes out exactly as from the web page; otherwise pathway.services.close_point);
cancelled cancels it (statusReason.text is the reason, required); rejected records that the
patient did not want it. executionPeriod.end is the date (default today), the first note is
where. Nothing else of a Task can be changed through the API."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from assessment import services as assessment_services
from assessment.models import Assessment
from audit.models import AuditEntry
from fhir_api import errors
from fhir_api.mapping.pathway import task, task_status
from fhir_api.resources.common import POINT_RELATED
from fhir_api.writes.common import rule_error, validated
from pathway import services
from pathway.models import CollaborationPoint
from patients import access

Outcome = CollaborationPoint.Outcome
DOCUMENTATION = (
    "Closes a collaboration point: status completed (through the assessment when one was started, which "
    "hands over as in the web page; executionPeriod.end = the date, note[0].text = where), cancelled "
    "(statusReason.text = the reason) or rejected (not wanted by the patient). PUT the whole Task or PATCH "
    "it (JSON Patch on /status, /statusReason, /note, /executionPeriod, or a JSON merge patch). Other "
    "elements cannot be changed. A point already closed, or closed by another request at the same moment, "
    "is 409 Conflict."
)
CLOSING = {"completed": Outcome.COMPLETED, "cancelled": Outcome.CANCELLED, "rejected": Outcome.NOT_WANTED}
PATCHABLE = {"status", "statusReason", "note", "executionPeriod", "businessStatus"}


def apply_patch(current: dict, patch) -> dict:
    """A JSON Patch (list of operations) or a JSON merge patch (object) applied to `current`."""
    result = dict(current)
    if isinstance(patch, dict):
        for key, value in patch.items():
            if key in ("resourceType", "id"):
                continue
            if key not in PATCHABLE:
                raise errors.unprocessable(_("%(field)s of a Task cannot be changed.") % {"field": key[:40]})
            if value is None:
                result.pop(key, None)
            else:
                result[key] = value
        return result
    if not isinstance(patch, list):
        raise errors.bad_request(_("Send a JSON Patch (a list of operations) or a JSON merge patch (an object)."))
    for operation in patch:
        if not isinstance(operation, dict) or operation.get("op") not in ("add", "replace", "remove", "test"):
            raise errors.bad_request(_("Each JSON Patch operation needs op add, replace, remove or test and a path."))
        path = str(operation.get("path", ""))
        top = path.strip("/").split("/")[0]
        if top not in PATCHABLE:
            raise errors.unprocessable(_("%(field)s of a Task cannot be changed.") % {"field": path[:40]})
        if operation["op"] == "test":
            if result.get(top) != operation.get("value"):
                raise errors.precondition_failed(_("The JSON Patch test failed: %(path)s differs.") % {"path": path})
            continue
        if operation["op"] == "remove":
            result.pop(top, None)
        elif path.strip("/") == top:
            result[top] = operation.get("value")
        else:
            raise errors.unprocessable(_("Patch whole elements only (for example /status)."))
    return result


def _on_date(resource):
    period = resource.executionPeriod
    end = period.end if period else None
    if end is None:
        return None
    return end.date() if isinstance(end, datetime.datetime) else end


def update(context, point, body, *, patch=False):
    """`point` has been opened for the caller already (read_task)."""
    current = task(point, context.today).model_dump(mode="json", by_alias=True, exclude_none=True)
    if patch:
        wanted = apply_patch(current, body)
    else:
        if isinstance(body, dict) and body.get("id") not in (None, str(point.public_id)):
            raise errors.bad_request(_("The id in the body does not match the id in the URL."))
        wanted = body
    resource = validated(wanted, "Task")
    status = resource.status
    if status == task_status(point, context.today):
        # Nothing changes, but the answer shows the Task (and its patient): that is a view.
        access.record(
            context.actor,
            point.enrolment.patient,
            AuditEntry.Action.VIEW,
            object_type="collaboration_point",
            detail="FHIR API",
            request=context.request,
        )
        return point
    outcome = CLOSING.get(status)
    if outcome is None:
        raise errors.unprocessable(
            _("A Task can only be completed, cancelled or rejected through the API."), expression="Task.status"
        )
    if point.outcome:
        raise errors.conflict(
            _("This collaboration point is already closed: %(outcome)s.")
            % {"outcome": point.get_outcome_display().lower()}
        )
    reason = resource.statusReason.text if resource.statusReason and resource.statusReason.text else ""
    place = resource.note[0].text if resource.note else ""
    try:
        with transaction.atomic():
            services.lock_point(point)  # an assessment started at this moment is seen, or waits
            assessment = Assessment.objects.filter(point=point).first()
            if outcome == Outcome.COMPLETED and assessment is not None and not assessment.is_completed:
                assessment_services.complete_assessment(
                    context.actor,
                    assessment,
                    on_date=_on_date(resource),
                    place=place or "",
                    reason=reason,
                    request=context.request,
                )
            else:
                services.close_point(
                    context.actor,
                    point,
                    outcome,
                    on_date=_on_date(resource),
                    place=place or "",
                    reason=reason,
                    request=context.request,
                )
    except services.PathwayRuleError as error:
        raise rule_error(error) from None
    return CollaborationPoint.objects.select_related(*POINT_RELATED).get(pk=point.pk)
