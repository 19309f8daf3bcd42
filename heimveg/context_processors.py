from django.conf import settings

from reports.scope import may_see_reports


def heimveg(request):
    return {
        "actor": getattr(request, "actor", None),
        "may_see_reports": may_see_reports(getattr(request, "actor", None)),
        "memberships": getattr(request, "memberships", []),
        "demo_mode": settings.DEMO_MODE,
    }
