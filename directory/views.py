"""The directory for everyone signed in, and contact-point upkeep for organisation admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from accounts.models import Role
from directory.forms import ContactPointForm, OrganisationSearchForm
from directory.models import Organisation


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


@actor_required(Role.ORG_ADMIN)
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


@actor_required(Role.ORG_ADMIN)
@require_POST
def contact_point_delete(request, public_id):
    organisation = request.actor.organisation
    get_object_or_404(organisation.contact_points, public_id=public_id).delete()
    messages.success(request, _("The contact point is removed."))
    return redirect("directory:detail", public_id=organisation.public_id)
