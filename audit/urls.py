from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [path("", views.organisation_log, name="organisation_log")]
