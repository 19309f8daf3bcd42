"""Django settings for Heimveg.

Every setting that differs between machines comes from an environment variable with a safe
default: DEBUG is off, two-factor sign-in is required and synthetic identity numbers are refused
unless the environment (demo, tests) says otherwise.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from heimveg.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("HEIMVEG_DEBUG", False)
SECRET_KEY = envstr("HEIMVEG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not envbool("HEIMVEG_DEMO", False) and not envbool("HEIMVEG_TESTING", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set HEIMVEG_SECRET_KEY (or HEIMVEG_DEMO=1 for the demo).")
    SECRET_KEY = "insecure-demo-key-never-use-in-production"

ALLOWED_HOSTS = envlist("HEIMVEG_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("HEIMVEG_CSRF_TRUSTED_ORIGINS", "")

# Demo mode: synthetic data, printed logins, second factor optional.
DEMO_MODE = envbool("HEIMVEG_DEMO", False)
# Synthetic national identity numbers (Test-Norge, month + 80) are accepted only when this is on.
ALLOW_SYNTHETIC_NATIONAL_IDS = envbool("HEIMVEG_ALLOW_SYNTHETIC_IDS", DEMO_MODE)
# A time-based one-time code is required for every staff role unless this is turned off (demo).
REQUIRE_TWO_FACTOR = envbool("HEIMVEG_REQUIRE_2FA", not DEMO_MODE)
# How long an emergency access ("break the glass") lasts.
EMERGENCY_ACCESS_DURATION = timedelta(hours=envint("HEIMVEG_EMERGENCY_ACCESS_HOURS", 4))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "oauth2_provider",
    "directory",
    "accounts",
    "patients",
    "pathway",
    "assessment",
    "portal",
    "handover",
    "audit",
    "reports",
    "fhir_api",
    "jobs",
    "heimveg",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Errors on machine paths (/readyz, /healthz, /oauth/token/, /fhir/) as JSON, never HTML.
    "heimveg.middleware.JsonErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "heimveg.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heimveg.urls"
WSGI_APPLICATION = "heimveg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "heimveg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heimveg.context_processors.heimveg",
            ],
        },
    },
]

# SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'heimveg.sqlite3'}",
        conn_max_age=envint("HEIMVEG_DB_CONN_MAX_AGE", 60),
        # A persistent connection is checked before each request reuses it, so a restarted
        # database or a terminated connection costs no 500s.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failed sign-ins (django-axes), per username.
AXES_FAILURE_LIMIT = envint("HEIMVEG_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("HEIMVEG_LOCKOUT_MINUTES", 15))
# Per username only: a whole hospital often shares one outgoing IP address, and locking by IP would
# lock out every nurse on the ward because of one mistyped password.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Heimveg"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("HEIMVEG_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = envbool("HEIMVEG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "heimveg_language"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    ("designsystemet", BASE_DIR / "node_modules" / "@digdir" / "designsystemet-css" / "dist"),
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO_MODE or envbool("HEIMVEG_TESTING", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

# Application logs carry no personal data: no national ids, no names, no request bodies.
# Patient references in logs are the public UUID at most.
# Every handler carries the personal-data filter (heimveg/logfilter.py): national ids, database
# DETAIL lines and invitation tokens never reach a log. Django's own default handlers
# (django.utils.log.DEFAULT_LOGGING) are replaced, not kept: theirs carry no filter, and its
# mail_admins would e-mail tracebacks with their local variables and the request's POST data.
# Django's loggers (django.request, the worker's django_tasks …) propagate to the root's console;
# django.server (runserver's request lines) keeps its own format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "heimveg.logfilter.PersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("HEIMVEG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # axes would log usernames and IP addresses of failed sign-ins at INFO.
        "axes": {"level": "WARNING"},
    },
}

# The pathway: days before a patient who declined is asked again.
PATHWAY_ASK_AGAIN_DAYS = envint("HEIMVEG_ASK_AGAIN_DAYS", 28)

# Background work: django-tasks with its database backend (runs on SQLite and PostgreSQL alike)
# and Heimveg's recurring jobs (jobs/registry.py), both run by `manage.py worker` (make run starts
# one). A task row left RUNNING longer than TASK_STALE_SECONDS (its worker was killed) is queued again.
TASKS = {"default": {"BACKEND": envstr("HEIMVEG_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
TASK_STALE_SECONDS = envint("HEIMVEG_TASK_STALE_SECONDS", 300)
# Local time at which the nightly jobs (status update and reminders, report figures) run.
PATHWAY_NIGHTLY_HOUR = envint("HEIMVEG_NIGHTLY_HOUR", 2)
# /healthz: a worker whose heartbeat is older than this is stale (503 when no worker is fresh); a
# recurring job whose next run is late by more than this is stale (no worker takes it).
HEALTH_WORKER_STALE_SECONDS = envint("HEIMVEG_HEALTH_WORKER_STALE_SECONDS", 120)
HEALTH_JOB_LATE_SECONDS = envint("HEIMVEG_HEALTH_JOB_LATE_SECONDS", 600)
# Links in e-mails point here.
BASE_URL = envstr("HEIMVEG_BASE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = envstr("HEIMVEG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("HEIMVEG_FROM_EMAIL", "heimveg@localhost")
# For the file-based e-mail backend (django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = envstr("HEIMVEG_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Needs assessment: a distress score at or above this is flagged for follow-up.
ASSESSMENT_DISTRESS_THRESHOLD = envint("HEIMVEG_DISTRESS_THRESHOLD", 4)

# The patient's invitation to answer from home. The link is single-use and expires; the one-time
# code goes to the other channel, expires, is slowed after a few wrong tries and then locked.
INVITATION_VALID_DAYS = envint("HEIMVEG_INVITATION_DAYS", 14)
INVITATION_CODE_MINUTES = envint("HEIMVEG_INVITATION_CODE_MINUTES", 10)
INVITATION_CODE_FREE_ATTEMPTS = envint("HEIMVEG_INVITATION_CODE_FREE_ATTEMPTS", 3)
INVITATION_CODE_MAX_ATTEMPTS = envint("HEIMVEG_INVITATION_CODE_MAX_ATTEMPTS", 6)
# How long a patient stays signed in to the form after entering the code.
PORTAL_SESSION_HOURS = envint("HEIMVEG_PORTAL_SESSION_HOURS", 12)
# Text messages: a dotted path to a backend class with send(phone, text). The console backend
# prints them (development); production plugs in the SMS gateway's.
SMS_BACKEND = envstr("HEIMVEG_SMS_BACKEND", "portal.senders.ConsoleSMSBackend")

# Handover messages between care levels. Channels are dotted paths (see handover/channels.py);
# a delivery that fails is tried again after base, 2×base, 4×base … seconds (capped), and given
# up after the maximum number of attempts. A message not acknowledged within so many working
# days (Norwegian public holidays excluded) is an alert for the sender and the receiver.
HANDOVER_CHANNELS = envlist(
    "HEIMVEG_HANDOVER_CHANNELS", "handover.channels.HeimvegChannel,handover.channels.EmailNotificationChannel"
)
HANDOVER_ACKNOWLEDGE_WORKING_DAYS = envint("HEIMVEG_HANDOVER_ACKNOWLEDGE_DAYS", 3)
HANDOVER_MAX_ATTEMPTS = envint("HEIMVEG_HANDOVER_MAX_ATTEMPTS", 8)
HANDOVER_RETRY_BASE_SECONDS = envint("HEIMVEG_HANDOVER_RETRY_BASE_SECONDS", 60)
HANDOVER_RETRY_MAX_SECONDS = envint("HEIMVEG_HANDOVER_RETRY_MAX_SECONDS", 6 * 3600)
# The recurring outbox sweep: deliveries left behind (a killed worker, a retry that is due) are
# picked up within this many seconds even when no new message is written.
HANDOVER_OUTBOX_SWEEP_SECONDS = envint("HEIMVEG_OUTBOX_SWEEP_SECONDS", 60)
# A message not yet in the receiver's inbox this many minutes after it was written is an alert
# for the sender and its organisation's admins (and fails /healthz).
HANDOVER_UNDELIVERED_ALERT_MINUTES = envint("HEIMVEG_HANDOVER_UNDELIVERED_ALERT_MINUTES", 15)
# An e-mail notice whose receiver has no e-mail address waits for one (a missing-address alert for
# the receiver's admins), tried again this often; never marked as sent, never given up.
HANDOVER_NO_ADDRESS_RETRY_SECONDS = envint("HEIMVEG_HANDOVER_NO_ADDRESS_RETRY_SECONDS", 3600)

# The FHIR API (fhir_api app): OAuth 2.0 client credentials through django-oauth-toolkit. Clients are
# registered by an organisation's admin (fhir_api.models.ApiClient); the secret is stored hashed.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": envint("HEIMVEG_FHIR_TOKEN_SECONDS", 3600),
    "SCOPES": {"system/*.*": "Read and write what the organisation may see, as in Heimveg itself"},
    "DEFAULT_SCOPES": ["system/*.*"],
}
# Search results per page when the client does not say (_count), and the most it may ask for.
FHIR_DEFAULT_COUNT = envint("HEIMVEG_FHIR_DEFAULT_COUNT", 20)
FHIR_MAX_COUNT = envint("HEIMVEG_FHIR_MAX_COUNT", 100)
# A FHIR request body larger than this is refused (413), one nested deeper than this many objects
# and arrays too (400), both with an OperationOutcome; a resource Heimveg takes is a few kB.
FHIR_MAX_BODY_BYTES = envint("HEIMVEG_FHIR_MAX_BODY_BYTES", 1_000_000)
FHIR_MAX_JSON_DEPTH = envint("HEIMVEG_FHIR_MAX_JSON_DEPTH", 64)

# Care relations (patients/relations.py, docs/access.md): the hospital or health trust that
# registered a patient keeps its care relation this many calendar months after its last pathway
# for the patient ended (or, without a pathway, after the registration); then it reads only the
# entries it wrote itself.
CARE_RELATION_MONTHS_AFTER_PATHWAY = envint("HEIMVEG_CARE_RELATION_MONTHS_AFTER_PATHWAY", 12)
