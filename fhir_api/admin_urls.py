from django.urls import path

from fhir_api import admin_views

app_name = "fhir_clients"
urlpatterns = [
    path("", admin_views.client_list, name="list"),
    path("new/", admin_views.client_create, name="create"),
    path("<uuid:public_id>/revoke/", admin_views.client_revoke, name="revoke"),
]
