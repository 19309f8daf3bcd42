from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "home.html")


def livez(request):
    """For process supervisors: the process answers (no database). Also the benchmark's floor: a
    request through the whole middleware stack that does no database work."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    """For load balancers: the process answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
