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


def cache_publicly(request, response):
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


def _matching(organisations, text):
    """Those whose folded name contains the folded text, or whose municipality number is the text.
    Folded over names and numbers only; the page then loads just the matches."""
    wanted = fold(text)
    rows = organisations.values_list("pk", "name", "municipality_number", "municipality__municipality_number")
    return organisations.filter(pk__in=[pk for pk, name, *numbers in rows if wanted in fold(name) or text in numbers])


def index(request):
    """Find your municipality or hospital, by name or municipality number."""
    form = PublicSearchForm(request.GET or None)
    organisations = Organisation.objects.filter(kind__in=PUBLIC_PAGE_KINDS).order_by("name", "kind")
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if text:
        organisations = _matching(organisations, text)
    organisations = organisations.select_related("county", "municipality", "parent")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "directory/public/index.html",
        {"form": form, "page": page, "query": query.urlencode(), "searched": text, "count": page.paginator.count},
    )
    return cache_publicly(request, response)


def organisation_page(request, public_id):
    """One municipality's or hospital's page: the national text, then what is local."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("health_trust", "parent", "municipality", "public_information"),
        public_id=public_id,
        kind__in=PUBLIC_PAGE_KINDS,
    )
    information = getattr(organisation, "public_information", None)
    # A municipality links to its health trust's hospitals; a hospital to the municipalities its
    # health trust serves.
    none = Organisation.objects.none()
    if organisation.is_municipality:
        trust = organisation.health_trust
        hospitals = trust.children.filter(kind=Organisation.Kind.HOSPITAL).order_by("name") if trust else none
        municipalities = none
    else:
        trust = organisation.parent
        hospitals = none
        municipalities = trust.served_municipalities.order_by("name") if trust else none
    response = render(
        request,
        "directory/public/page.html",
        {
            "organisation": organisation,
            "intro": information.intro if information else None,
            "contact_points": organisation.contact_points.order_by("name"),
            # In the admin's order, each with its kind: most places have one offer of each kind.
            "offers": organisation.local_offers.order_by("sort_order", "name_nb"),
            "hospitals": hospitals,
            "municipalities": municipalities,
        },
    )
    return cache_publicly(request, response)
