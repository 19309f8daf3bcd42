"""Public pages (no sign-in): the standard information for patients, per municipality and hospital."""

from django.urls import path

from directory import public_views

app_name = "public_info"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<uuid:public_id>/", public_views.organisation_page, name="page"),
]
