"""The organisation admin's view of the audit log: what users acting for the organisation did."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import actor_required
from accounts.models import Role
from audit.services import entries_for_organisation
from patients.emergency import emergency_entries_for_organisation


@actor_required(Role.ORG_ADMIN)
def organisation_log(request):
    entries = entries_for_organisation(request.actor.organisation)
    emergency_only = request.GET.get("emergency") == "1"
    if emergency_only:
        entries = entries.filter(emergency=True)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Emergency access by others to patients the organisation has a care relation with (issue 16).
    others = list(emergency_entries_for_organisation(request.actor.organisation)[:100])
    return render(
        request,
        "audit/organisation_log.html",
        {"page": page, "emergency_only": emergency_only, "others_emergency": others},
    )
