from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from fhir_api.token import TokenView
from heimveg import views

admin.site.site_header = _("Heimveg administration")
admin.site.site_title = _("Heimveg administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("readyz", views.readyz, name="readyz"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("accounts/", include("accounts.urls")),
    path("directory/", include("directory.urls")),
    path("info/figures/", include("reports.public.urls")),
    path("info/", include("directory.public_urls")),
    path("patients/", include("patients.urls")),
    path("pathway/", include("pathway.urls")),
    path("assessment/", include("assessment.urls")),
    path("audit/", include("patients.audit_log.urls")),
    path("p/", include("portal.urls")),
    path("invitations/", include("portal.staff_urls")),
    path("handover/", include("handover.urls")),
    path("reports/", include("reports.urls")),
    path("fhir/", include("fhir_api.urls")),
    path("fhir-clients/", include("fhir_api.admin_urls")),
    path("ig/", include("fhir_api.ig.urls")),
    path("oauth/token/", TokenView.as_view(), name="oauth_token"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
