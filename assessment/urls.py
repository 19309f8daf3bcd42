from django.urls import path

from assessment import views

app_name = "assessment"
urlpatterns = [
    path("points/<uuid:public_id>/", views.point_page, name="point"),
    path("points/<uuid:public_id>/note/", views.note, name="note"),
    path("points/<uuid:public_id>/draft/", views.autosave, name="autosave"),
    path("points/<uuid:public_id>/follow-ups/", views.add_follow_up, name="add_follow_up"),
    path("follow-ups/<uuid:public_id>/status/", views.follow_up_status, name="follow_up_status"),
    path("responses/<uuid:public_id>/fhir/", views.response_fhir, name="response_fhir"),
]
