"""The professionals' side of the portal: invitations, and answering requests for the pathway
(signed-in staff, two-factor enforced)."""

from django.urls import path

from portal import staff_views

app_name = "invitations"
urlpatterns = [
    path("points/<uuid:public_id>/send/", staff_views.send, name="send"),
    # A request for the pathway from a person signed in with ID-porten (the worklist links here).
    path("requests/<uuid:public_id>/", staff_views.pathway_request, name="pathway_request"),
]
