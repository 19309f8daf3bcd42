from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from audit import services as audit
from audit.models import AuditEntry
from directory import alerts
from handover import services as handover
from heimveg import work
from jobs import health
from patients import emergency


@login_required
def home(request):
    """The start page. Someone is always told: an organisation admin sees the notices that found no
    e-mail address and the messages from the organisation still not delivered; a national admin
    (superuser) sees every organisation's missing addresses. A clinical role sees its work (heimveg.work):
    counts, which show no patient, and the most urgent points, whose patients are audited as a list."""
    actor, context = request.actor, {}
    if actor and actor.is_clinical:
        context["work"] = work.for_actor(actor, timezone.localdate())
    if actor and actor.is_org_admin:
        context["missing_addresses"] = list(alerts.open_alerts(actor.organisation))
        context["undelivered"] = handover.undelivered_count(actor.organisation)
        context["emergency_over_cap"] = emergency.over_cap_waiting(actor.organisation)
    if request.user.is_superuser:
        context["missing_addresses"] = list(alerts.open_alerts()[:200])
    response = render(request, "home.html", context)
    if "work" in context:
        audit.record_many(
            actor, AuditEntry.Action.LIST, context["work"].shown_patients, detail="home page", request=request
        )
    return response


def livez(request):
    """For process supervisors: the process answers (no database). Also the benchmark's floor: a
    request through the whole middleware stack that does no database work."""
    return HttpResponse("ok", content_type="text/plain")


def _health_answer(status, checks):
    response = JsonResponse({"status": status, "checks": checks}, status=200 if status == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def readyz(request):
    """For load balancers: the database answers and every migration is applied (200), or 503."""
    status, checks = health.ready()
    return _health_answer(status, checks)


def healthz(request):
    """For monitoring: /readyz's checks, each worker's heartbeat, the oldest undelivered handover
    and the last run of each recurring job; 503 when any is stale (jobs/health.py)."""
    status, checks = health.health()
    return _health_answer(status, checks)
