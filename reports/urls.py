from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("print/", views.printable, name="print"),
    path("export/<slug:slug>.csv", views.export, name="export"),
    path("forecast/", views.forecast_view, name="forecast"),
    path("forecast/export.csv", views.forecast_export, name="forecast_export"),
]
