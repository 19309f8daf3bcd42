from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("emergency-access/", views.emergency_access, name="emergency_access"),
    path("emergency-access/<uuid:public_id>/", views.emergency_grant, name="emergency_grant"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("registrations/<uuid:public_id>/", views.registration_detail, name="registration"),
    path("registrations/<uuid:public_id>/record/", views.registration_record, name="registration_record"),
    path("audit-trail/", views.audit_trail, name="audit_trail"),
    path("<uuid:public_id>/", views.patient_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.patient_edit, name="edit"),
    path("<uuid:public_id>/relatives/new/", views.relative_edit, name="relative_create"),
    path("<uuid:public_id>/relatives/<uuid:relative_id>/", views.relative_edit, name="relative_edit"),
    path("<uuid:public_id>/relatives/<uuid:relative_id>/remove/", views.relative_delete, name="relative_delete"),
]
