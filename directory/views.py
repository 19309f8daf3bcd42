"""The directory for everyone signed in; contact points, local offers and the public page's
introduction kept by organisation admins, each for their own organisation only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.forms import ContactPointForm, LocalOfferForm, OrganisationSearchForm, PublicInformationForm
from directory.guards import organisation_admin_required
from directory.models import PUBLIC_PAGE_KINDS, Organisation, PublicInformation


@login_required
def organisation_list(request):
    form = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.select_related("county", "health_trust", "parent").order_by("name")
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            organisations = organisations.filter(
                Q(name__icontains=text) | Q(municipality_number=text) | Q(org_number=text.replace(" ", ""))
            )
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/organisation_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def organisation_detail(request, public_id):
    organisation = get_object_or_404(
        Organisation.objects.select_related("county", "health_trust", "parent", "municipality"), public_id=public_id
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "contact_points": organisation.contact_points.all(),
            "served_municipalities": organisation.served_municipalities.order_by("name"),
            "hospitals": organisation.children.filter(kind=Organisation.Kind.HOSPITAL).order_by("name"),
        },
    )


@organisation_admin_required
def contact_point_edit(request, public_id=None):
    """Add or change one of the acting organisation's own contact points."""
    organisation = request.actor.organisation
    contact_point = get_object_or_404(organisation.contact_points, public_id=public_id) if public_id else None
    form = ContactPointForm(request.POST or None, instance=contact_point)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        saved.save()
        messages.success(request, _("The contact point is saved."))
        return redirect("directory:detail", public_id=organisation.public_id)
    return render(
        request,
        "directory/contact_point_form.html",
        {
            "form": form,
            "contact_point": contact_point,
            "organisation": organisation,
        },
    )


@organisation_admin_required
@require_POST
def contact_point_delete(request, public_id):
    organisation = request.actor.organisation
    get_object_or_404(organisation.contact_points, public_id=public_id).delete()
    messages.success(request, _("The contact point is removed."))
    return redirect("directory:detail", public_id=organisation.public_id)


def _own_public_organisation(request):
    """The acting admin's organisation, if it has a public page (municipalities and hospitals)."""
    organisation = request.actor.organisation
    if organisation.kind not in PUBLIC_PAGE_KINDS:
        raise Http404("Only municipalities and hospitals have a public page.")
    return organisation


def _ordered_offers(organisation):
    return organisation.local_offers.order_by("sort_order", "name_nb", "pk")


@organisation_admin_required
def public_page_manage(request):
    """The admin's overview of what their organisation adds to its public page."""
    organisation = _own_public_organisation(request)
    return render(
        request,
        "directory/public/manage.html",
        {
            "organisation": organisation,
            "information": PublicInformation.objects.filter(organisation=organisation).first(),
            "offers": _ordered_offers(organisation),
        },
    )


@organisation_admin_required
def public_information_edit(request):
    """The organisation's own introduction, shown after the national text."""
    organisation = _own_public_organisation(request)
    information = PublicInformation.objects.filter(organisation=organisation).first()
    form = PublicInformationForm(request.POST or None, instance=information)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        saved.save()
        messages.success(request, _("The introduction is saved."))
        return redirect("directory:public_page")
    return render(request, "directory/public/information_form.html", {"form": form, "organisation": organisation})


@organisation_admin_required
def local_offer_edit(request, public_id=None):
    """Add or change one of the acting organisation's own local offers; a new one goes last."""
    organisation = _own_public_organisation(request)
    offer = get_object_or_404(organisation.local_offers, public_id=public_id) if public_id else None
    form = LocalOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        if offer is None:
            last = organisation.local_offers.aggregate(last=Max("sort_order"))["last"]
            saved.sort_order = 10 if last is None else last + 10
        saved.save()
        messages.success(request, _("The offer is saved."))
        return redirect("directory:public_page")
    return render(
        request, "directory/public/offer_form.html", {"form": form, "offer": offer, "organisation": organisation}
    )


@organisation_admin_required
@require_POST
def local_offer_delete(request, public_id):
    organisation = _own_public_organisation(request)
    get_object_or_404(organisation.local_offers, public_id=public_id).delete()
    messages.success(request, _("The offer is removed."))
    return redirect("directory:public_page")


@organisation_admin_required
@require_POST
def local_offer_move(request, public_id):
    """Move an offer one place up or down; the positions are then renumbered 10, 20, 30, …"""
    organisation = _own_public_organisation(request)
    with transaction.atomic():
        offers = list(_ordered_offers(organisation).select_for_update())
        index = next((i for i, offer in enumerate(offers) if str(offer.public_id) == str(public_id)), None)
        if index is None:
            raise Http404("No such offer.")
        other = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= other < len(offers):
            offers[index], offers[other] = offers[other], offers[index]
        for position, offer in enumerate(offers, start=1):
            offer.sort_order = position * 10
        type(offers[0]).objects.bulk_update(offers, ["sort_order"])
    return redirect("directory:public_page")
