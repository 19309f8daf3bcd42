"""Handover pages: the organisation's messages (received and sent, with alerts), one message with
its content, and the receiver's acknowledgement. Every page that shows a patient opens the patient
through patients.access and is written to the audit log."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from audit import services as audit
from audit.models import AuditEntry
from handover import presentation, services
from handover.models import HandoverMessage
from pathway.services import PathwayRuleError
from patients import access
from patients.access import CARE_ROLES

Action = AuditEntry.Action
PAGE_SIZE = 25


@actor_required(*CARE_ROLES)
def inbox(request):
    """Received (default) or sent messages; received ones can be narrowed to those not yet
    acknowledged. Alerts (late, failed) are listed above."""
    actor, today = request.actor, timezone.localdate()
    box = "sent" if request.GET.get("box") == "sent" else "received"
    show_all = request.GET.get("show") == "all"
    if box == "sent":
        rows = services.sent(actor.organisation)
    else:
        rows = services.inbox(actor.organisation)
        if not show_all:
            rows = rows.filter(**services.OPEN)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    alerts = list(services.alerts(actor.organisation, today)[:PAGE_SIZE])
    shown = [m.enrolment.patient.public_id for m in [*page.object_list, *alerts]]
    audit.record_many(actor, Action.LIST, list(dict.fromkeys(shown)), detail="handover messages", request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "handover/inbox.html",
        {"page": page, "box": box, "show_all": show_all, "alerts": alerts, "query": query.urlencode()},
    )


def _open_message(request, public_id, action):
    message = get_object_or_404(
        HandoverMessage.objects.select_related("enrolment__patient", "sender__county", "recipient__county", "point"),
        public_id=public_id,
    )
    organisation = request.actor.organisation
    is_sender, is_recipient = organisation.covers(message.sender), organisation.covers(message.recipient)
    if not (is_sender or (is_recipient and message.delivered_at)):
        raise Http404  # only the two parties see a message, the receiver once it has arrived
    message.enrolment.patient = access.open_patient(
        request.actor,
        message.enrolment.patient.public_id,
        action,
        request=request,
        object_type="handover_message",
        detail=message.kind,
        own_records=is_sender,  # a sender that has since lost its care relation still reads what it sent
    )
    message.is_sender, message.is_recipient = is_sender, is_recipient
    return message


@actor_required(*CARE_ROLES)
def message_detail(request, public_id):
    message = _open_message(request, public_id, Action.VIEW)
    language = translation.get_language() or "nb"
    return render(
        request,
        "handover/message.html",
        {
            "message": message,
            "patient": message.enrolment.patient,
            "body": presentation.readable(message, language),
            "deliveries": message.deliveries.order_by("channel") if message.is_sender else None,
            "can_acknowledge": message.is_recipient
            and not message.acknowledged_at
            and message.delivered_at
            and not message.entered_in_error_at,
        },
    )


def _post(request, public_id, call, success):
    message = _open_message(request, public_id, None)
    try:
        call(request.actor, message, request=request)
    except PathwayRuleError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, success)
    return redirect("handover:message", public_id=message.public_id)


@actor_required(*CARE_ROLES)
@require_POST
def acknowledge(request, public_id):
    return _post(request, public_id, services.acknowledge, _("The message is acknowledged. The sender can see it."))


@actor_required(*CARE_ROLES)
@require_POST
def resend(request, public_id):
    return _post(request, public_id, services.resend, _("The message will be sent again."))
