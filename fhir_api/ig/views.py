"""The implementation guide's pages (no sign-in; no personal data: the examples are synthetic):
the index, one page per resource and each resource's JSON."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from fhir_api.ig import guide, profiles
from fhir_api.mapping.common import BASE
from fhir_api.profile_rules import Binding, Cardinality, Extension, Fixed

RULE_KINDS = {
    Cardinality: _("Cardinality"),
    Fixed: _("Fixed value"),
    Binding: _("Bound to a value set"),
    Extension: _("Extension"),
}
FHIR_JSON = "application/fhir+json; charset=utf-8"
PUBLIC_MAX_AGE = 3600  # seconds: the guide changes with a release, or a new day's date


def _cached(request, response):
    """Public caching for visitors who are not signed in, as the public information pages do: the
    language comes from a cookie (LanguageMiddleware adds `Vary: Cookie`); a signed-in user's page
    shows their name, and a first visit gets its CSRF cookie with the page, so those stay private
    (NoStoreMiddleware makes a signed-in user's answers no-store in any case)."""
    if request.user.is_authenticated or settings.CSRF_COOKIE_NAME not in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _entries(request):
    return guide.entries(request.build_absolute_uri("/fhir/").rstrip("/"), timezone.localdate())


def _entry(request, key):
    found = guide.find(_entries(request), key)
    if found is None:
        raise Http404(key)
    return found


def _rule_rows(entry, keys):
    profile = (
        next((p for p in profiles.PROFILES if p.id == entry.id), None) if entry.type == "StructureDefinition" else None
    )
    rows = []
    for rule in profile.rules if profile else ():
        if isinstance(rule, Extension):
            element, detail = rule.element_path, f"{rule.url} ({rule.min}..{rule.max})"
            key = f"StructureDefinition-{rule.url.rsplit('/', 1)[-1]}"
            link = key if rule.url.startswith(BASE) and key in keys else None
        elif isinstance(rule, Cardinality):
            element, detail, link = rule.path, f"{rule.min}..{rule.max}", None
            if rule.targets:
                detail += " → " + ", ".join(p for _t, p in rule.targets)
        elif isinstance(rule, Fixed):
            element, detail, link = rule.path, json.dumps(rule.value, ensure_ascii=False), None
        else:
            element, detail = rule.path, rule.value_set
            key = f"ValueSet-{rule.value_set.rsplit('/', 1)[-1]}"
            link = key if key in keys else None
        rows.append({"element": element, "kind": RULE_KINDS[type(rule)], "detail": detail, "link": link})
    return rows


def index(request):
    entries = _entries(request)
    sections = [
        {"section": section, "entries": [e for e in entries if e.section == section.key]} for section in guide.SECTIONS
    ]
    context = {"guide": entries[0], "sections": sections, "version": guide.IG_VERSION}
    return _cached(request, render(request, "fhir_api/ig/index.html", context))


def resource_page(request, key):
    entry = _entry(request, key)
    keys = {e.key for e in _entries(request)}
    section = next((s for s in guide.SECTIONS if s.key == entry.section), None)
    context = {
        "entry": entry,
        "section": section,
        "rules": _rule_rows(entry, keys),
        "concepts": entry.json().get("concept", []) if entry.type == "CodeSystem" else [],
        "text": json.dumps(entry.json(), ensure_ascii=False, indent=2),
    }
    return _cached(request, render(request, "fhir_api/ig/resource.html", context))


def _download(data, filename):
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=FHIR_JSON)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def resource_json(request, key):
    entry = _entry(request, key)
    return _download(entry.json(), f"{entry.key}.json")


def bundle_json(request):
    """Every resource of the guide in one collection Bundle."""
    entries = _entries(request)
    bundle = {
        "resourceType": "Bundle",
        "id": guide.IG_ID,
        "type": "collection",
        "entry": [{"fullUrl": f"{BASE}/{e.type}/{e.id}", "resource": e.json()} for e in entries],
    }
    return _download(bundle, f"{guide.PACKAGE_ID}-{guide.IG_VERSION}.json")
