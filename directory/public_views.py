"""Public pages for patients and relatives: no sign-in, no personal data."""

from django.http import Http404


def index(request):
    raise Http404


def organisation_page(request, public_id):
    raise Http404
