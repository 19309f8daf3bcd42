"""The public delivery figures: a page per area, its CSV and JSON, and the JSON's schema. No
sign-in and no personal data: each page reads one precomputed document
(`reports.models.PublicFigures`), so it costs one query whatever the size of the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from directory.models import Organisation
from directory.public_views import cache_publicly
from lib.validators import is_uuid
from reports.models import PublicFigures
from reports.public import document as documents
from reports.public.compute import NORWAY

SCHEMA = Path(__file__).resolve().parent / "schema.json"
Kind = Organisation.Kind


def _document(area: str) -> PublicFigures:
    figures = PublicFigures.objects.filter(area=area).first()
    if figures is None:
        raise Http404
    return figures


def _page(request, area: str):
    figures = PublicFigures.objects.filter(area=area).first()
    if figures is None and area != NORWAY:  # an area without figures yet still exists if Norway has none
        if not Organisation.objects.filter(public_id=area, kind__in=(Kind.HEALTH_TRUST, Kind.MUNICIPALITY)).exists():
            raise Http404
    context: dict[str, Any] = {"figures": figures, "area": area}
    if figures is not None:
        document = figures.document
        context |= {
            "document": document,
            "tables": [documents.patients_table(document)]
            + [documents.point_table(document, key) for key in document["points"]],
            "ranking": documents.ranking_table(document),
            "csv_url": reverse("public_figures:csv", args=[area]),
            "json_url": reverse("public_figures:json", args=[area]),
        }
    if area == NORWAY:
        context["choices"] = (
            Organisation.objects.filter(kind__in=(Kind.HEALTH_TRUST, Kind.MUNICIPALITY))
            .order_by("name")
            .values_list("public_id", "name", "kind")
        )
    return cache_publicly(request, render(request, "reports/public/figures.html", context))


def national(request):
    """All of Norway; with ?area=<public id>, the page of that health trust or municipality."""
    chosen = request.GET.get("area", "")
    if chosen:
        if Organisation.objects.filter(
            public_id=chosen if is_uuid(chosen) else None, kind__in=(Kind.HEALTH_TRUST, Kind.MUNICIPALITY)
        ).exists():
            return redirect("public_figures:area", public_id=chosen)
    return _page(request, NORWAY)


def area_page(request, public_id):
    return _page(request, str(public_id))


def _area_key(area: str) -> str:
    if area != NORWAY and not is_uuid(area):
        raise Http404
    return area


def download_csv(request, area):
    figures = _document(_area_key(area))
    response = HttpResponse(documents.csv_text(figures.document), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="heimveg-figures-{area}-{figures.year}.csv"'
    return cache_publicly(request, response)


def download_json(request, area):
    figures = _document(_area_key(area))
    body = {"$schema": request.build_absolute_uri(reverse("public_figures:schema")), **figures.document}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="heimveg-figures-{area}-{figures.year}.json"'
    return cache_publicly(request, response)


def schema(request):
    response = HttpResponse(SCHEMA.read_text(encoding="utf-8"), content_type="application/schema+json")
    return cache_publicly(request, response)


def schema_document() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))
