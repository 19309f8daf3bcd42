"""WSGI entry point (gunicorn heimveg.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimveg.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse the console e-mail and SMS backends outside the demo, and a
# missing or plain-http HEIMVEG_BASE_URL, here.
from heimveg.checks import refuse_misconfiguration  # noqa: E402

refuse_misconfiguration()
