from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("contact-points/new/", views.contact_point_edit, name="contact_point_create"),
    path("contact-points/<uuid:public_id>/", views.contact_point_edit, name="contact_point_edit"),
    path("contact-points/<uuid:public_id>/remove/", views.contact_point_delete, name="contact_point_delete"),
]
