from django.urls import path, re_path

from fhir_api import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi_document, name="openapi"),
    re_path(r"^(?P<type_name>[A-Za-z]+)$", views.type_endpoint, name="type"),
    re_path(r"^(?P<type_name>[A-Za-z]+)/_search$", views.search_endpoint, name="search"),
    re_path(
        r"^(?P<type_name>[A-Za-z]+)/(?P<resource_id>[A-Za-z0-9\-\.]{1,64})$", views.instance_endpoint, name="instance"
    ),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
