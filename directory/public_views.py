"""The public "standard information for patients": no sign-in, and never any personal data.

Every municipality and hospital has a page: the national text (the same everywhere, in the
template), then what the organisation adds itself — an introduction, its contact points and its
local offers. The index lets a patient find their municipality or hospital.
"""

import unicodedata

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from directory.forms import PublicSearchForm
from directory.models import PUBLIC_PAGE_KINDS, Organisation

PAGE_SIZE = 25
PUBLIC_MAX_AGE = 300  # seconds: a changed offer shows within five minutes


def _cached(request, response):
    """Short public caching for visitors who are not signed in. The language comes from a cookie,
    and LanguageMiddleware adds `Vary: Cookie`, so a cache keeps one copy per language. A signed-in
    user sees their name and organisation in the header, and a first visit gets its CSRF cookie
    (for the language switch) with the page: those stay private."""
    if request.user.is_authenticated or settings.CSRF_COOKIE_NAME not in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def fold(text):
    """Lower case without accents, æ/ø/å spelt out, so "alesund" and "ÅLESUND" both find Ålesund.

    Done in Python because SQLite's LIKE folds only ASCII letters; the list searched (municipalities
    and hospitals, some 420 rows) is small.
    """
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).strip()


def index(request):
    """Find your municipality or hospital, by name or municipality number."""
    form = PublicSearchForm(request.GET or None)
    organisations = list(
        Organisation.objects.filter(kind__in=PUBLIC_PAGE_KINDS)
        .select_related("county", "municipality", "parent")
        .order_by("name", "kind")
    )
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if text:
        wanted = fold(text)
        organisations = [
            org
            for org in organisations
            if wanted in fold(org.name)
            or text in (org.municipality_number, org.municipality.municipality_number if org.municipality else None)
        ]
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "directory/public/index.html",
        {"form": form, "page": page, "query": query.urlencode(), "searched": text, "count": len(organisations)},
    )
    return _cached(request, response)


def organisation_page(request, public_id):
    """One municipality's or hospital's page: the national text, then what is local."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("health_trust", "parent", "municipality", "public_information"),
        public_id=public_id,
        kind__in=PUBLIC_PAGE_KINDS,
    )
    information = getattr(organisation, "public_information", None)
    if organisation.is_municipality:
        hospitals = Organisation.objects.filter(
            kind=Organisation.Kind.HOSPITAL, parent_id=organisation.health_trust_id
        ).order_by("name")
        municipalities = Organisation.objects.none()
    else:
        hospitals = Organisation.objects.none()
        municipalities = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, health_trust_id=organisation.parent_id
        ).order_by("name")
    response = render(
        request,
        "directory/public/page.html",
        {
            "organisation": organisation,
            "intro": information.intro if information else None,
            "contact_points": organisation.contact_points.order_by("name"),
            # In the admin's order, each with its kind: most places have one offer of each kind.
            "offers": organisation.local_offers.order_by("sort_order", "name_nb"),
            "hospitals": hospitals if organisation.health_trust_id else Organisation.objects.none(),
            "municipalities": municipalities if organisation.parent_id else Organisation.objects.none(),
        },
    )
    return _cached(request, response)
