from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("contact-points/new/", views.contact_point_edit, name="contact_point_create"),
    path("contact-points/<uuid:public_id>/", views.contact_point_edit, name="contact_point_edit"),
    path("contact-points/<uuid:public_id>/remove/", views.contact_point_delete, name="contact_point_delete"),
    path("public-page/", views.public_page_manage, name="public_page"),
    path("public-page/introduction/", views.public_information_edit, name="public_information_edit"),
    path("public-page/offers/new/", views.local_offer_edit, name="local_offer_create"),
    path("public-page/offers/<uuid:public_id>/", views.local_offer_edit, name="local_offer_edit"),
    path("public-page/offers/<uuid:public_id>/remove/", views.local_offer_delete, name="local_offer_delete"),
    path("public-page/offers/<uuid:public_id>/move/", views.local_offer_move, name="local_offer_move"),
]
