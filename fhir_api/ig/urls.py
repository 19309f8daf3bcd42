from django.urls import path, re_path

from fhir_api.ig import views

app_name = "ig"
KEY = r"(?P<key>[A-Za-z]+-[A-Za-z0-9\-\.]{1,80})"
urlpatterns = [
    path("", views.index, name="index"),
    path("bundle.json", views.bundle_json, name="bundle"),
    re_path(rf"^{KEY}\.json$", views.resource_json, name="json"),
    re_path(rf"^{KEY}/$", views.resource_page, name="page"),
]
