"""The organisation admin's page of the audit log: what users acting for the organisation did,
filtered by user, patient, action and date range, with patients' names where the organisation has
a care relation with them (patients.access) and their public id otherwise.

Showing names is itself a read of patient data: the page audits it (one VIEW_AUDIT_TRAIL entry for
the patients named on the page; one LIST entry for the patients a lookup found)."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.decorators import actor_required
from accounts.models import Role
from audit import services as audit
from lib.paging import CappedPaginator, page_number
from patients import access
from patients.audit_log import viewer
from patients.audit_log.forms import LogFilterForm, PatientLookupForm
from patients.views import _search as search_patients

PAGE_SIZE = 50
LOOKUP_LIMIT = 20
FILTERS = ("user", "action", "date_from", "date_to", "emergency", "patient")


def _query(params, **changes):
    """The filter part of the URL (no page), with `changes` applied (None removes)."""
    values = {key: params.get(key) for key in FILTERS}
    values.update(changes)
    return urlencode({key: value for key, value in values.items() if value})


def _lookup(request, actor):
    """A POSTed patient lookup: one match filters the log by it (a redirect to its public id), more
    are offered to choose from, none is said so, in the same words for an unknown person."""
    lookup = PatientLookupForm(request.POST)
    if not lookup.is_valid():
        return lookup, None, None
    found = list(
        search_patients(access.audit_log_patients(actor), lookup.cleaned_data["q"].strip()).order_by(
            "family_name", "given_name", "id"
        )[:LOOKUP_LIMIT]
    )
    if not found:
        lookup.add_error("q", _("No patient your organisation has a care relation with matches."))
        return lookup, None, None
    audit.record_many(
        actor, audit.Action.LIST, [p.public_id for p in found], detail="audit log lookup", request=request
    )
    if len(found) == 1:
        target = f"{reverse('audit:organisation_log')}?{_query(request.GET, patient=found[0].public_id)}"
        return lookup, None, redirect(target)
    return lookup, found, None


@actor_required(Role.ORG_ADMIN)
def organisation_log(request):
    actor = request.actor
    lookup, matches = PatientLookupForm(), None
    if request.method == "POST":
        lookup, matches, answer = _lookup(request, actor)
        if answer is not None:
            return answer
    users = list(viewer.members(actor.organisation))
    form = LogFilterForm(request.GET, users=users)
    entries = viewer.log_entries(actor.organisation)
    entries = viewer.filtered(entries, form.cleaned_data, users) if form.is_valid() else entries.none()
    page = CappedPaginator(entries, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    patient_id = form.cleaned_data.get("patient") if form.is_valid() else None
    named = viewer.names_shown(actor, [patient_id, *(p for e in page.object_list for p in e.patient_ids)])
    for entry in page.object_list:
        # One row per entry; a list entry names every patient the list showed.
        entry.shown = [(public_id, named.get(public_id)) for public_id in entry.patient_ids]
    if named:
        audit.record_many(
            actor, audit.Action.VIEW_AUDIT_TRAIL, sorted(named), detail=f"audit log page {page.number}", request=request
        )
    return render(
        request,
        "patients/audit_log.html",
        {
            "page": page,
            "form": form,
            "lookup": lookup,
            "matches": matches,
            "patient_id": patient_id,
            "filtered_patient": named.get(patient_id),
            "query": _query(request.GET),
            "query_without_patient": _query(request.GET, patient=None),
            "others_emergency": viewer.others_emergency_count(actor.organisation),
        },
    )
