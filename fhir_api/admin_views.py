"""The organisation admin's page for the systems that use the FHIR API on the organisation's
behalf: register one (its secret is shown once), see them, revoke one."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from accounts.models import Role
from fhir_api import clients
from lib.validators import validate_name_characters


class ClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the system"),
        max_length=100,
        help_text=gettext_lazy("For example “DIPS Arena” or “Gerica”. It names the system in the audit log."),
        error_messages={"required": gettext_lazy("Enter the name of the system.")},
        validators=[validate_name_characters],
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Acts as"),
        help_text=gettext_lazy(
            "The system sees and does what a person in this role at your organisation may. "
            "Choose the admin role only for a system that reads the audit log."
        ),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        roles = clients.roles_for(organisation)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["role"].initial = roles[0].value


@actor_required(Role.ORG_ADMIN)
def client_list(request):
    organisation = request.actor.organisation
    return render(
        request,
        "fhir_api/client_list.html",
        {"organisation": organisation, "clients": clients.clients_of(organisation), "roles": dict(Role.choices)},
    )


@actor_required(Role.ORG_ADMIN)
def client_create(request):
    organisation = request.actor.organisation
    form = ClientForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        client, secret = clients.register_client(
            request.actor, form.cleaned_data["name"], form.cleaned_data["role"], request=request
        )
        response = render(
            request,
            "fhir_api/client_created.html",
            {"client": client, "client_id": client.application.client_id, "secret": secret},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "fhir_api/client_form.html", {"form": form, "organisation": organisation})


@actor_required(Role.ORG_ADMIN)
@require_POST
def client_revoke(request, public_id):
    client = get_object_or_404(clients.clients_of(request.actor.organisation), public_id=public_id)
    clients.revoke_client(request.actor, client, request=request)
    messages.success(request, _("The system's access is revoked. Its tokens no longer work."))
    return redirect("fhir_clients:list")
