"""WSGI entry point (gunicorn heimveg.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimveg.settings")
application = get_wsgi_application()
