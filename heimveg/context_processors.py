from django.conf import settings


def heimveg(request):
    return {
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
        "demo_mode": settings.DEMO_MODE,
    }
