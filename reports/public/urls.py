"""Public delivery figures, under /info/figures/ beside the public organisation pages."""

from django.urls import path

from reports.public import views

app_name = "public_figures"
urlpatterns = [
    path("", views.national, name="national"),
    path("schema.json", views.schema, name="schema"),
    path("<uuid:public_id>/", views.area_page, name="area"),
    path("<str:area>.csv", views.download_csv, name="csv"),
    path("<str:area>.json", views.download_json, name="json"),
]
