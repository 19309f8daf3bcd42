"""Report pages: the report for a chosen organisation and period, its tables as CSV, a printable
page, and the capacity forecast. Every view and export writes an audit entry about the report
(organisation and period, never a patient)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.decorators import actor_required
from audit import services as audit
from reports import csv_export, forms
from reports import report as reports
from reports import scope as scopes
from reports.forecast import forecast, forecast_table

REPORT = "report"
EXPORT = "report_export"


def reports_required(view):
    """Signed in, in a report role, and acting where reports are kept (scope.may_see_reports).
    Anyone else (a GP, say) is told which reports there are and who sees them (403), not the
    patient record's "no care relation" page."""

    @wraps(view)
    @actor_required()
    def wrapper(request, *args, **kwargs):
        if not scopes.may_see_reports(request.actor):
            return render(request, "reports/no_access.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _resolve(request):
    """The bound picker form (defaults when nothing was chosen) and, if valid, the report."""
    actor, today = request.actor, timezone.localdate()
    data = request.GET
    if "scope" not in data:
        kind, organisation = scopes.default_for(actor)
        start, end = forms.default_period(today)
        key = scopes.NORWAY if kind == scopes.NORWAY else f"{kind}:{organisation.public_id}"
        data = {"scope": key, "start": forms.month_value(start), "end": forms.month_value(end)}
    form = forms.ReportForm(data, actor=actor)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    scope = scopes.build(cleaned["scope_kind"], cleaned["scope_organisation"])
    return form, reports.build(scope, cleaned["start"], cleaned["end"])


def _detail(result, extra=""):
    return f"{extra}{result.scope.key} {result.start:%Y-%m-%d}/{result.end:%Y-%m-%d}".strip()


def _query(form):
    """The picker's values for links to the exports: the scope by its key, not as typed."""
    values = {name: form.data.get(name, "") for name in ("scope", "start", "end")}
    if form.is_valid():
        values["scope"] = form.cleaned_data["scope"]
    return urlencode(values)


def _refused(request, form):
    """The form again with its errors: 403 for an organisation the actor may not report on."""
    status = 403 if "scope" in form.errors else 400
    return render(request, "reports/report.html", {"form": form, "report": None}, status=status)


@reports_required
def report(request):
    form, result = _resolve(request)
    if result is None:
        return _refused(request, form)
    audit.record(request.actor, audit.Action.VIEW, object_type=REPORT, detail=_detail(result), request=request)
    return render(request, "reports/report.html", {"form": form, "report": result, "query": _query(form)})


@reports_required
def printable(request):
    form, result = _resolve(request)
    if result is None:
        return _refused(request, form)
    audit.record(
        request.actor, audit.Action.VIEW, object_type=EXPORT, detail=_detail(result, "print "), request=request
    )
    return render(request, "reports/print.html", {"report": result, "query": _query(form)})


def _csv_response(table, label, start, end):
    response = HttpResponse(csv_export.table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_export.filename(table, label, start, end)}"'
    return response


@reports_required
def export(request, slug):
    form, result = _resolve(request)
    if result is None:
        return _refused(request, form)
    table = result.table(slug)
    if table is None:
        raise Http404
    audit.record(
        request.actor, audit.Action.VIEW, object_type=EXPORT, detail=_detail(result, f"{slug}.csv "), request=request
    )
    return _csv_response(table, result.scope.label, result.start, result.end)


def _forecast(request):
    form = forms.ForecastForm(request.GET or None, actor=request.actor)
    if not form.is_bound:
        values = [str(value) for value, _label in form.fields["municipality"].choices]
        chosen = scopes.forecast_default(request.actor, values)
        form = forms.ForecastForm({"municipality": chosen}, actor=request.actor)
    if not form.is_valid():
        return form, None, None
    municipality = form.cleaned_data["municipality"]
    today = timezone.localdate()
    result = forecast(municipality, today)
    return form, municipality, (result, forecast_table(result))


@reports_required
def forecast_view(request):
    form, municipality, computed = _forecast(request)
    context = {"form": form, "municipality": municipality}
    if computed is None:  # a municipality the actor may not see, or none at all
        return render(request, "reports/forecast.html", context, status=403 if form.errors else 200)
    context["forecast"], context["table"] = computed
    context["forecast_query"] = urlencode({"municipality": municipality.public_id})
    audit.record(
        request.actor,
        audit.Action.VIEW,
        object_type=REPORT,
        detail=f"forecast {scopes.ORGANISATION}:{municipality.public_id}",
        request=request,
    )
    return render(request, "reports/forecast.html", context)


@reports_required
def forecast_export(request):
    form, municipality, computed = _forecast(request)
    if computed is None:
        raise Http404
    result, table = computed
    audit.record(
        request.actor,
        audit.Action.VIEW,
        object_type=EXPORT,
        detail=f"forecast.csv {scopes.ORGANISATION}:{municipality.public_id}",
        request=request,
    )
    return _csv_response(table, municipality.name, result.weeks[0], result.weeks[-1])
