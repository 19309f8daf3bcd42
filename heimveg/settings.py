"""Django settings for Heimveg.

Every setting that differs between machines comes from an environment variable with a safe
default: DEBUG is off, two-factor sign-in is required and synthetic identity numbers are refused
unless the environment (demo, tests) says otherwise.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lib.env import envbool, envint, envlist, envstr

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
    "lib",
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
    "synthetic",
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
# Django's widget templates rendered in Python, the same HTML (lib/form_renderer.py): form widgets
# were a fifth of the pathway page's server time (issue 18; make bench).
FORM_RENDERER = "lib.form_renderer.WidgetRenderer"

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

# Lockout after repeated failed sign-ins (django-axes), per username AND client address together:
# five wrong passwords for a user from one address lock that user from that address only, so no one
# can lock a named clinician out from elsewhere (and a whole hospital behind one outgoing address
# is not locked out by one mistyped password). Failures from one address across many usernames (a
# password spray) are slowed separately (HEIMVEG_SIGNIN_ADDRESS_FAILURES, the account block below).
AXES_FAILURE_LIMIT = envint("HEIMVEG_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("HEIMVEG_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address: accounts.client_ip, from HEIMVEG_TRUSTED_PROXIES (the account block below).
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
SILENCED_SYSTEM_CHECKS: list[str] = []
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
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
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
# Every handler carries the personal-data filter (lib/logfilter.py): national ids, database
# DETAIL lines and invitation tokens never reach a log. Django's own default handlers
# (django.utils.log.DEFAULT_LOGGING) are replaced, not kept: theirs carry no filter, and its
# mail_admins would e-mail tracebacks with their local variables and the request's POST data.
# Django's loggers (django.request, the worker's django_tasks …) propagate to the root's console;
# django.server (runserver's request lines) keeps its own format.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "lib.logfilter.PersonalDataFilter"}},
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
# Folders of the installation's own pathway definitions (*.yaml), read beside the shipped ones
# (pathway/definitions/); a bad file or a missing folder stops start-up (docs/pathway-definitions.md).
PATHWAY_DEFINITION_DIRS = envlist("HEIMVEG_PATHWAY_DEFINITION_DIRS", "")

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

# Hardening of the API and of what is entered (issue 16, item 7).
# On when the test suite runs (heimveg.settings_test sets HEIMVEG_TESTING).
TESTING = envbool("HEIMVEG_TESTING", False)
# OAuth access and refresh tokens are stored only as a SHA-256 checksum (django-oauth-toolkit's
# RFC 9700 token storage): the database never holds a token that works. Client secrets are hashed
# with the password hasher (Application.hash_client_secret, on for every client).
OAUTH2_PROVIDER["COMPLIANT_BCP_RFC9700_TOKEN_STORAGE"] = True
# The token endpoint (/oauth/token/): at most so many requests per client id, and per client
# address, in a fixed window; more answer 429 {"error": "slow_down"} with Retry-After.
OAUTH_TOKEN_LIMIT_PER_CLIENT = envint("HEIMVEG_OAUTH_TOKEN_LIMIT_PER_CLIENT", 30)
OAUTH_TOKEN_LIMIT_PER_ADDRESS = envint("HEIMVEG_OAUTH_TOKEN_LIMIT_PER_ADDRESS", 60)
OAUTH_TOKEN_LIMIT_WINDOW = timedelta(seconds=envint("HEIMVEG_OAUTH_TOKEN_LIMIT_WINDOW_SECONDS", 60))
# E-mail and text messages: the console backends print invitation links and one-time codes into
# the log, so they are for the demo, debugging and tests only (a system check refuses them
# elsewhere, see heimveg/checks.py). Outside those, e-mail goes by SMTP unless configured, and
# HEIMVEG_SMS_BACKEND must name the SMS gateway's backend.
if not envstr("HEIMVEG_EMAIL_BACKEND") and not (DEMO_MODE or DEBUG or TESTING):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = envstr("HEIMVEG_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("HEIMVEG_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("HEIMVEG_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("HEIMVEG_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("HEIMVEG_EMAIL_USE_TLS", False)
# The audit log's hash chain (audit/chain.py, audit/verify.py, docs/audit.md). verify_audit runs
# nightly, publishes the chain's head to the log and to ADMINS (mail_admins) and stores it as a
# checkpoint signed with HMAC-SHA256 under AUDIT_CHECKPOINT_KEY (SECRET_KEY when empty; a key of
# its own lets SECRET_KEY be rotated without breaking the checkpoints' signatures).
AUDIT_CHECKPOINT_KEY = envstr("HEIMVEG_AUDIT_CHECKPOINT_KEY", "")
# Who receives the published head and the alert of a broken chain: comma-separated e-mail addresses.
ADMINS = [("Heimveg", address) for address in envlist("HEIMVEG_ADMINS", "")]
# Database roles and the audit log's protection (audit/hardening.py, docs/audit-roles.md). On
# PostgreSQL the application connects with DATABASE_URL as the application role, which may only
# SELECT and INSERT on the audit tables; `manage.py migrate` connects with the user, password, host
# and port of HEIMVEG_MIGRATE_DATABASE_URL (the owner; unset: DATABASE_URL's) and, if
# HEIMVEG_DB_OWNER_ROLE is set, does `SET ROLE` to that (NOLOGIN) owner role. Migrations grant the
# application role HEIMVEG_DB_APP_ROLE its privileges (skipped with a warning if it does not exist).
MIGRATE_DATABASE_URL = envstr("HEIMVEG_MIGRATE_DATABASE_URL", "")
DB_OWNER_ROLE = envstr("HEIMVEG_DB_OWNER_ROLE", "")
DB_APP_ROLE = envstr("HEIMVEG_DB_APP_ROLE", "heimveg_app")
# Every refusal (403) of a signed-in user or a FHIR system is audited (audit/refusals.py); last, so
# it sees the view's answer and the exception that refused.
MIDDLEWARE.append("audit.refusals.RefusalAuditMiddleware")
# --- HTTP hardening (issue #16): Content-Security-Policy, Permissions-Policy, HTTPS, caching. ---
# docs/operations.md ("HTTP headers and HTTPS behind a proxy") explains each setting.
from csp.constants import NONE, SELF  # noqa: E402

# Content-Security-Policy (django-csp): no inline script or style anywhere, nothing from another
# origin. Scripts and styles are static files; charts draw through the CSSOM, which the policy
# allows; the authenticator's QR code is inline SVG markup (no style attribute). Designsystemet's
# CSS draws some icons as data: SVG images.
# The app for its system checks (they catch settings in django-csp's old format).
INSTALLED_APPS += ["csp"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page of Heimveg needs a device or sensor, so
# every powerful feature is off for Heimveg and for anything it could ever embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Right after SecurityMiddleware: every response gets the policies and, where it may hold patient
# data, `Cache-Control: no-store` (heimveg/headers.py), error pages and the JSON errors included.
_AFTER_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_AFTER_SECURITY:_AFTER_SECURITY] = [
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "heimveg.headers.NoStoreMiddleware",
]

# HTTPS. Heimveg runs behind a reverse proxy that ends TLS. HEIMVEG_HTTPS=1 says the site is served
# over HTTPS: cookies are sent only over HTTPS, browsers are told to use nothing else (HSTS) and a
# plain-HTTP request is redirected (the load balancer's /livez, /readyz and /healthz excepted).
# HEIMVEG_PROXY_SSL_HEADER=1 trusts the proxy's X-Forwarded-Proto: https, so that Django knows the
# request came over HTTPS (absolute URLs such as the FHIR API's links start with https://). Only turn
# it on when the proxy always sets or strips that header: a client could otherwise claim HTTPS.
HTTPS = envbool("HEIMVEG_HTTPS", False)
if envbool("HEIMVEG_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("HEIMVEG_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^healthz$"]
# One year, the subdomains too; preloading is a decision for the domain's owner (hard to undo).
SECURE_HSTS_SECONDS = envint("HEIMVEG_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HEIMVEG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("HEIMVEG_HSTS_PRELOAD", False)
# Replaces the HEIMVEG_SECURE_COOKIES line above (still honoured): on by default under HTTPS.
SESSION_COOKIE_SECURE = envbool("HEIMVEG_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# OAuth 2.0 (django-oauth-toolkit) as RFC 9700, the OAuth security best current practice, asks:
# no implicit or password grant, no plain PKCE, no access token in a URL (it would land in access
# logs), the `iss` response parameter, refresh-token replay detection and https redirect URIs only.
# The FHIR API uses the client-credentials grant alone, so none of this changes what it does.
# (Token storage, oauth2_provider.W006, is the token-hashing change's.)
OAUTH2_PROVIDER.update(
    {
        "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
        "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
        "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
        "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
        "REFRESH_TOKEN_REUSE_PROTECTION": True,
        "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    }
)

# System checks silenced on purpose, each with its reason; the exact list, every
# reason again, is in heimveg/tests/test_deploy_check.py, which fails when `manage.py check --deploy`
# with production settings shows a warning that is not on it.
SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,
    # HSTS preload is off by default: putting the domain on the browsers' preload list is hard to
    # undo and the domain owner's decision (HEIMVEG_HSTS_PRELOAD=1 turns it on).
    "security.W021",
]
# Patient portal (issue 16): one-time codes sent are limited per invitation and per patient (all
# invitations about the patient, relatives' included), in fixed windows (lib.throttle); past
# a limit no code is sent, the patient is told when to try again, and the refusal is audited.
# The patient's log of who has looked at their information shows this many entries per page.
PORTAL_CODES_PER_INVITATION = envint("HEIMVEG_PORTAL_CODES_PER_INVITATION", 5)
PORTAL_CODES_PER_INVITATION_WINDOW = timedelta(minutes=envint("HEIMVEG_PORTAL_CODES_PER_INVITATION_MINUTES", 60))
PORTAL_CODES_PER_PATIENT = envint("HEIMVEG_PORTAL_CODES_PER_PATIENT", 10)
PORTAL_CODES_PER_PATIENT_WINDOW = timedelta(minutes=envint("HEIMVEG_PORTAL_CODES_PER_PATIENT_MINUTES", 24 * 60))
PORTAL_ACCESS_LOG_PAGE_SIZE = envint("HEIMVEG_PORTAL_ACCESS_LOG_PAGE_SIZE", 25)
# Emergency access and registrations of already-known persons (issue 16, items 2 and 4;
# docs/emergency-access.md). A reason is at least MIN and at most MAX characters after stripping.
# Past DAILY_CAP emergency accesses plus registrations of already-registered persons in one local
# day, a user's access is still granted at once (care cannot wait) but the organisation's admins
# are alerted (e-mail and their start page). Attempts are throttled (lib.throttle) per user,
# per organisation and per FHIR client: LIMIT attempts per WINDOW minutes; over it the attempt is
# refused (429 / a message) and audited.
EMERGENCY_REASON_MIN_LENGTH = envint("HEIMVEG_EMERGENCY_REASON_MIN_LENGTH", 20)
EMERGENCY_REASON_MAX_LENGTH = 1000
EMERGENCY_DAILY_CAP = envint("HEIMVEG_EMERGENCY_DAILY_CAP", 3)
IDENTITY_THROTTLE_WINDOW = timedelta(minutes=envint("HEIMVEG_IDENTITY_THROTTLE_WINDOW_MINUTES", 60))
IDENTITY_THROTTLE_PER_USER = envint("HEIMVEG_IDENTITY_THROTTLE_PER_USER", 30)
IDENTITY_THROTTLE_PER_ORGANISATION = envint("HEIMVEG_IDENTITY_THROTTLE_PER_ORGANISATION", 300)
IDENTITY_THROTTLE_PER_CLIENT = envint("HEIMVEG_IDENTITY_THROTTLE_PER_CLIENT", 600)
# The account life cycle (accounts app, docs/accounts.md): invitations, the idle timeout, password
# strength, sign-in throttling per address, and the sign-in list.
# How many reverse proxies in front of Heimveg append to X-Forwarded-For; the client address is the
# entry the outermost of them wrote. 0: no proxy, the header is ignored (REMOTE_ADDR).
HEIMVEG_TRUSTED_PROXIES = envint("HEIMVEG_TRUSTED_PROXIES", 0)
# A staff invitation or second-factor reset link works once, for this many hours.
HEIMVEG_INVITATION_HOURS = envint("HEIMVEG_STAFF_INVITATION_HOURS", 72)
# Signed out after this many minutes without a request; the page warns this many minutes before.
HEIMVEG_IDLE_TIMEOUT_MINUTES = envint("HEIMVEG_IDLE_TIMEOUT_MINUTES", 30)
HEIMVEG_IDLE_WARNING_MINUTES = envint("HEIMVEG_IDLE_WARNING_MINUTES", 3)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "accounts.middleware.IdleTimeoutMiddleware",
)
# Failed sign-ins from one client address, whatever the usernames: past this many in the window,
# every sign-in from the address is refused (429) until the window has passed (a password spray).
HEIMVEG_SIGNIN_ADDRESS_FAILURES = envint("HEIMVEG_SIGNIN_ADDRESS_FAILURES", 20)
HEIMVEG_SIGNIN_ADDRESS_WINDOW = timedelta(minutes=envint("HEIMVEG_SIGNIN_ADDRESS_WINDOW_MINUTES", 15))
# Sign-ins (the user's list of recent sign-ins) are kept this many days; a nightly job prunes them.
HEIMVEG_SIGN_IN_EVENT_DAYS = envint("HEIMVEG_SIGN_IN_EVENT_DAYS", 90)
# Password strength (zxcvbn, 0–4): 3 refuses "aaaaaaaaaaaa" and "Passord123456". The extra words
# are Norwegian and local ones zxcvbn's English dictionaries lack.
INSTALLED_APPS.append("django_zxcvbn_password_validator")  # its translations
PASSWORD_MINIMAL_STRENGTH = envint("HEIMVEG_PASSWORD_MIN_STRENGTH", 3)
PASSWORD_EXTRA_DICTIONARY = [
    "heimveg", "passord", "hemmelig", "sommer", "vinter", "sykehus", "sjukehus", "kommune", "helse",
    "pasient", "lege", "sykepleier", "norge", "bergen", "oslo",
]  # fmt: skip
AUTH_PASSWORD_VALIDATORS.append(
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
)
# Care relations (patients/relations.py, docs/access.md): the hospital or health trust that
# registered a patient keeps its care relation this many calendar months after its last pathway
# for the patient ended (or, without a pathway, after the registration); then it reads only the
# entries it wrote itself.
CARE_RELATION_MONTHS_AFTER_PATHWAY = envint("HEIMVEG_CARE_RELATION_MONTHS_AFTER_PATHWAY", 12)
# hv17-correction
# A completed collaboration point can be corrected by the person who recorded the completion for
# this many hours after recording it (handover/corrections.py): its handover messages are marked
# entered in error and replaced.
HEIMVEG_COMPLETION_CORRECTION_HOURS = envint("HEIMVEG_COMPLETION_CORRECTION_HOURS", 24)

# hv17-admins
# HEIMVEG_BASE_URL: the address people open Heimveg at, e.g. https://heimveg.example.no. Every link
# in an SMS or e-mail (patient and staff invitations, handover notices, reminders) starts with it
# (lib.links.absolute_url). Required, and https, outside the demo and the tests: the system
# check heimveg.E003 and the WSGI start refuse to run without it. The demo and the tests default
# to http://127.0.0.1:8000.
BASE_URL = envstr("HEIMVEG_BASE_URL", "http://127.0.0.1:8000" if (DEMO_MODE or TESTING) else "")

# hv18-robust18
# Log format of the web process and the worker (lib/logformat.py, docs/operations.md "Logs"):
# HEIMVEG_LOG_FORMAT=text (the default: one readable line per record) or json (one JSON object per
# line with time, level, logger, message and, where known, request_id and job; for a log collector).
# The personal-data filter stays on every handler either way. Any other value is refused.
HEIMVEG_LOG_FORMAT = envstr("HEIMVEG_LOG_FORMAT", "text").strip().lower()
if HEIMVEG_LOG_FORMAT not in ("text", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"HEIMVEG_LOG_FORMAT must be text or json, not {HEIMVEG_LOG_FORMAT!r}.")
LOGGING["formatters"]["json"] = {"()": "lib.logformat.JsonFormatter"}
if HEIMVEG_LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
    LOGGING["handlers"]["django.server"]["formatter"] = "json"
# Every request gets an id (the proxy's X-Request-ID, or a new one), logged with each of its lines
# and sent back in the X-Request-ID header. Outermost, so the lines of every other middleware carry it.
MIDDLEWARE.insert(0, "lib.logformat.RequestIdMiddleware")
