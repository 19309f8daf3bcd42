from django.urls import path

from patients.audit_log import views

app_name = "audit"
urlpatterns = [path("", views.organisation_log, name="organisation_log")]
