"""The professionals' side of invitations (signed-in staff, two-factor enforced)."""

from django.urls import path

from portal import staff_views

app_name = "invitations"
urlpatterns = [
    path("points/<uuid:public_id>/send/", staff_views.send, name="send"),
]
