"""WSGI entry point (gunicorn heimveg.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimveg.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse the console e-mail and SMS backends outside the demo, and a
# missing or plain-http HEIMVEG_BASE_URL, here.
from heimveg.checks import refuse_misconfiguration  # noqa: E402

refuse_misconfiguration()

# Import every view now, as each gunicorn worker boots, rather than on its first request: that
# request, often the load balancer's health check, otherwise waits for the whole URLconf to load
# (over a second on a busy machine, which fails a 1-second check and takes the node out).
from django.urls import get_resolver  # noqa: E402

get_resolver().reverse_dict  # noqa: B018
