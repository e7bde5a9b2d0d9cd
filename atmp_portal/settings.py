"""The one settings module of the ATMP Danmark portal.

Everything is read from environment variables (README: "Configuration"). There is no
production-only settings file: a laptop and a server run this module, with other values.
"""

from pathlib import Path
from typing import Any

import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from atmp_portal.env import (
    EnvError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Lets Django's generic classes be subscripted at run time as the type stubs describe them
# (budget.models.MoneyField extends DecimalField[_ST, _GT]).
django_stubs_ext.monkeypatch()

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    # A server must never fall back to a key or host list that ships in the repository.
    SECRET_KEY = env_str("SECRET_KEY")
    if not SECRET_KEY:
        raise EnvError("SECRET_KEY must be set when DEBUG is off (on a laptop, set DEBUG=true instead).")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", default="atmp@amgros.dk")
# The address links in emails point to (sent by workers, which have no request to ask).
_site_url = env_url("SITE_URL", schemes=("http", "https"), default="http://127.0.0.1:8000" if DEBUG else None)
if not _site_url:
    raise EnvError("SITE_URL must be set when DEBUG is off (e.g. https://atmp.amgros.dk).")
SITE_URL: str = _site_url.rstrip("/")

INSTALLED_APPS = [
    "accounts.admin_site.PortalAdminConfig",  # django.contrib.admin, its site keeps the app list
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates through the app
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "csp",
    # Our apps, in dependency order: each may import the ones above it, never below.
    "audit",  # the record of changes and the admin's write path: below every app, imports none
    "outbox",  # every email the portal sends (docs/outbox.md)
    "accounts",
    "downloads",  # one-time, owner-only links to files built by a worker (docs/downloads.md)
    "privacy",  # what each app holds about a person (privacy/registry.py): apps above register to it
    "governance",
    "projects",
    "budget",
    "inquiries",
    "knowledge",
    "network",
    "dashboard",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "pages.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pages.middleware.PrivateNoStoreMiddleware",  # after auth: knows who the response is for
    "accounts.middleware.LanguageMiddleware",  # after auth: falls back to the profile's language
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",  # after auth and messages: ends idle, old sessions
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "atmp_portal.urls"
WSGI_APPLICATION = "atmp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
                "pages.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "pages.forms.PortalFormRenderer"

# --- Data -------------------------------------------------------------------------------------

DATABASES = {"default": database_from_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))

if REDIS_URL:
    # Redis, falling back to per-process memory while Redis does not answer (atmp_portal/cache.py):
    # login keeps working in an outage, with rate limits counted per process meanwhile.
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "atmp_portal.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # ModelBackend with the user's second factor, group and permissions read in fewer queries.
    "accounts.backends.PortalModelBackend",
    # Kept so that sessions signed in before it still load (they name the backend they used).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Named explicitly so that a test can prove the portal never hashes with the tests' fast hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.CommonStemValidator"},
    {"NAME": "accounts.passwords.SiteWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:home"

ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# True (allauth's default) answers "if that address has an account, we sent an email" to everyone.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ATMP Danmark] "
# A changed password or email address is told to the person (the email change at the old address).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Rate limits, counted in the cache (Redis in production, so they hold across workers). The
# client's address is the one the trusted proxies report (TRUSTED_PROXY_COUNT below), never the
# proxy's own. Failed logins count per client address (20 a minute) and per client address *and*
# account (5 in 5 minutes): that slows a guesser as much as a per-account limit would, but a
# stranger elsewhere cannot lock a known address out. Guessing from many addresses is met by the
# password rules (length, the breached-password list) and, for the secretariat, the second factor.
# See docs/security.md.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
}
# How many proxies in front of the portal append to X-Forwarded-For (0: none, use the connection's
# address). allauth reads the client address as the n-th entry from the right.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ATMP Danmark"

# --- Language and time ------------------------------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "atmp_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = False  # set below with the other HTTPS switches
TIME_ZONE = "Europe/Copenhagen"
# British-style English dates (day first) instead of Django's American "en" formats.
FORMAT_MODULE_PATH = ["atmp_portal.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# No MEDIA_URL route: uploaded files are only ever served through permission-checked views.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Django's defaults, named on purpose: more fields or files in one POST is a 400, not work.
# tests/test_malformed_input.py holds every admin inline to a max_num far below them.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100


def _static_file_headers(headers, path: str, url: str) -> None:
    """whitenoise answers static files itself; they say nosniff whatever the middleware order."""
    headers["X-Content-Type-Options"] = "nosniff"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers

STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------------------------

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[env_choice("EMAIL_BACKEND", ("console", "file", "smtp"), default="console" if DEBUG else "smtp")]
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "outbox"))
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="ATMP Danmark <atmp@amgros.dk>")
SERVER_EMAIL = env_str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Downloads and privacy (docs/downloads.md, docs/privacy.md) ------------------------------

# A download link works once, for its owner, for this many hours after the file is ready.
DOWNLOAD_LINK_HOURS = env_int("DOWNLOAD_LINK_HOURS", default=72, minimum=1)
# Retention (the daily job, privacy.tasks.retention_run): what expires, and when.
RETENTION_DOWNLOADS_DAYS = env_int("RETENTION_DOWNLOADS_DAYS", default=7, minimum=1)
RETENTION_REQUESTS_YEARS = env_int("RETENTION_REQUESTS_YEARS", default=5, minimum=1)
RETENTION_UNCONFIRMED_DAYS = env_int("RETENTION_UNCONFIRMED_DAYS", default=30, minimum=1)
RETENTION_EMAIL_DAYS = env_int("RETENTION_EMAIL_DAYS", default=90, minimum=1)
# The hour (Copenhagen time) of the daily retention run on beat.
RETENTION_RUN_HOUR = env_int("RETENTION_RUN_HOUR", default=3, minimum=0)
if RETENTION_RUN_HOUR > 23:
    raise EnvError("RETENTION_RUN_HOUR must be a whole number from 0 to 23.")

# --- Tasks (Celery) ---------------------------------------------------------------------------

# Eager tasks still borrow a broker connection; kombu warns "No hostname was supplied" on every
# task when the memory URL names no host, so it names one (the memory transport ignores it).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No result backend: nothing in the portal reads a task's result (the outcome of a send is its
# outbox row). With Redis as result backend, queueing a task also subscribed to its result, and
# with Redis down that retried for ~30 s inside the web request, past gunicorn's timeout.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without Redis there is no worker: tasks run in the web process as soon as they are queued.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must cost a request a moment, not a worker: fail fast when publishing.
# (The outbox keeps the email; the sweeper queues it once the broker is back.)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Periodic jobs have their own queue and worker, so a pile of email sends never delays them.
CELERY_TASK_ROUTES = {
    "outbox.tasks.outbox_sweep": {"queue": "periodic"},
    "governance.tasks.scan_meeting_notices": {"queue": "periodic"},
    "governance.tasks.scan_due_notices": {"queue": "periodic"},
    "network.tasks.close_due_rounds": {"queue": "periodic"},
    "network.tasks.remind_rounds": {"queue": "periodic"},
    "network.tasks.request_confirmations": {"queue": "periodic"},
    "privacy.tasks.retention_daily": {"queue": "periodic"},
    "knowledge.events_tasks.queue_event_reminders": {"queue": "periodic"},
}
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", default=60, minimum=10)
REMINDER_SCAN_SECONDS = env_int("REMINDER_SCAN_SECONDS", default=300, minimum=10)
DUE_SCAN_SECONDS = env_int("DUE_SCAN_SECONDS", default=3600, minimum=10)
ROUND_SCAN_SECONDS = env_int("ROUND_SCAN_SECONDS", default=900, minimum=10)
# Events (knowledge): how long the "confirm your registration" link works (double opt-in), and
# how often beat looks for the day-before reminders (each is claimed, so overlaps are harmless).
EVENT_CONFIRM_LINK_HOURS = env_int("EVENT_CONFIRM_LINK_HOURS", default=48, minimum=1)
EVENT_REMINDER_SCAN_SECONDS = env_int("EVENT_REMINDER_SCAN_SECONDS", default=900, minimum=10)
# The one place periodic jobs are declared; each app's issue adds its entry here. "expires":
# a run still waiting in the queue when the next is due is dropped, so a backlog never turns
# into runs back to back.
CELERY_BEAT_SCHEDULE: dict = {
    # Retention (privacy): what has expired is erased once a day; a second run finds nothing due.
    "privacy-retention": {
        "task": "privacy.tasks.retention_daily",
        "schedule": crontab(minute=17, hour=RETENTION_RUN_HOUR),
        "options": {"expires": 3600},
    },
    # Events (knowledge): the one reminder the day before, claimed per registration.
    "knowledge-event-reminders": {
        "task": "knowledge.events_tasks.queue_event_reminders",
        "schedule": EVENT_REMINDER_SCAN_SECONDS,
        "options": {"expires": EVENT_REMINDER_SCAN_SECONDS},
    },
    # Every email that is due and unsent (outbox): sent or queued again. Idempotent.
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": OUTBOX_SWEEP_SECONDS},
    },
    # Feasibility rounds (network) close at their deadline; closing claims the row, so overlaps are harmless.
    "network-close-rounds": {
        "task": "network.tasks.close_due_rounds",
        "schedule": ROUND_SCAN_SECONDS,
        "options": {"expires": ROUND_SCAN_SECONDS},
    },
    # The one reminder a working day before a round's deadline, and the yearly confirmation
    # requests: each claims its row before it queues the email, so overlaps are harmless.
    "network-remind-rounds": {
        "task": "network.tasks.remind_rounds",
        "schedule": ROUND_SCAN_SECONDS,
        "options": {"expires": ROUND_SCAN_SECONDS},
    },
    "network-request-confirmations": {
        "task": "network.tasks.request_confirmations",
        "schedule": 6 * 3600,
        "options": {"expires": 3600},
    },
    # Meeting reminders and notices (governance): the scan is idempotent, so overlaps are harmless.
    "governance-meeting-notices": {
        "task": "governance.tasks.scan_meeting_notices",
        "schedule": REMINDER_SCAN_SECONDS,
        "options": {"expires": REMINDER_SCAN_SECONDS},
    },
    # What is due (governance.due): the weekly digest and the term-ending and overdue-action
    # notices. Each email's key names its period, so overlaps and re-runs send nothing twice.
    "governance-due-notices": {
        "task": "governance.tasks.scan_due_notices",
        "schedule": DUE_SCAN_SECONDS,
        "options": {"expires": DUE_SCAN_SECONDS},
    },
}

# --- Requests (inquiries) ---------------------------------------------------------------------

# The service clock, in Danish working days (weekends and public holidays off).
REQUESTS_ACK_WORKING_DAYS = env_int("REQUESTS_ACK_WORKING_DAYS", default=2, minimum=1)
REQUESTS_ANSWER_WORKING_DAYS = env_int("REQUESTS_ANSWER_WORKING_DAYS", default=10, minimum=1)
if REQUESTS_ANSWER_WORKING_DAYS < REQUESTS_ACK_WORKING_DAYS:
    raise EnvError("REQUESTS_ANSWER_WORKING_DAYS must not be shorter than REQUESTS_ACK_WORKING_DAYS.")
REQUESTS_MAX_UPLOAD_MB = env_int("REQUESTS_MAX_UPLOAD_MB", default=10, minimum=1)
REQUESTS_MAX_UPLOAD_BYTES = REQUESTS_MAX_UPLOAD_MB * 1024 * 1024
REQUESTS_MAX_UPLOADS = env_int("REQUESTS_MAX_UPLOADS", default=5, minimum=1)
# An Office document (a zip) may unpack to at most this much; more is a zip bomb.
UPLOAD_MAX_UNPACKED_MB = env_int("UPLOAD_MAX_UNPACKED_MB", default=100, minimum=1)
UPLOAD_MAX_UNPACKED_BYTES = UPLOAD_MAX_UNPACKED_MB * 1024 * 1024
# A virus scanner for every upload, off by default: a command that gets the file's path as its last
# argument and exits 0 for clean, 1 for infected (ClamAV: "clamdscan --no-summary --fdpass").
UPLOAD_SCAN_COMMAND = env_str("UPLOAD_SCAN_COMMAND", default="")
UPLOAD_SCAN_TIMEOUT_SECONDS = env_int("UPLOAD_SCAN_TIMEOUT_SECONDS", default=60, minimum=1)
# The secretariat's shared mailbox gets the notices of new requests and applicants' replies.
REQUESTS_NOTIFY_EMAIL = env_str("REQUESTS_NOTIFY_EMAIL", default=CONTACT_EMAIL)
# "Answer due soon" in the weekly digest: within this many calendar days.
REQUESTS_SOON_DUE_DAYS = env_int("REQUESTS_SOON_DUE_DAYS", default=5, minimum=1)

# --- What is due (governance.due) ---------------------------------------------------------------

# The weekly digest goes to the secretariat's shared mailbox on the first scan on or after this day.
DIGEST_EMAIL = env_str("DIGEST_EMAIL", default=REQUESTS_NOTIFY_EMAIL)
DIGEST_WEEKDAY = env_choice(
    "DIGEST_WEEKDAY", ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), "monday"
)
# A member is told once when their term ends within this many days; the digest lists those terms.
TERM_ENDING_DAYS = env_int("TERM_ENDING_DAYS", default=60, minimum=1)

# --- Network (directory and feasibility rounds) ------------------------------------------------

# Each entry's contact is asked to confirm or correct it this often; after the grace period on
# top, the entry is flagged in the admin and marked "not confirmed since …" on its public page.
NETWORK_CONFIRM_EVERY_DAYS = env_int("NETWORK_CONFIRM_EVERY_DAYS", default=365, minimum=1)
NETWORK_CONFIRM_GRACE_DAYS = env_int("NETWORK_CONFIRM_GRACE_DAYS", default=30, minimum=0)
# How long a personal "confirm or correct your entry" link works.
NETWORK_CONFIRM_LINK_DAYS = env_int("NETWORK_CONFIRM_LINK_DAYS", default=60, minimum=1)
# A feasibility round's deadline, in Danish working days on the requests' service clock.
NETWORK_ROUND_WORKING_DAYS = env_int("NETWORK_ROUND_WORKING_DAYS", default=5, minimum=1)
# How long a site's personal answer link works (it reopens the answer until the deadline; a late
# answer after it is kept and marked late).
NETWORK_ANSWER_LINK_DAYS = env_int("NETWORK_ANSWER_LINK_DAYS", default=60, minimum=1)

# --- Budget -----------------------------------------------------------------------------------

# A posting that takes a grant's year to this share of its allocation (committed + spent) warns.
BUDGET_WARNING_PERCENT = env_int("BUDGET_WARNING_PERCENT", default=90, minimum=1)
if BUDGET_WARNING_PERCENT > 100:
    raise EnvError("BUDGET_WARNING_PERCENT must be a whole number from 1 to 100.")

# --- Security ---------------------------------------------------------------------------------

# HTTPS: the portal is reached over TLS, terminated by a proxy that sets X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probes from inside the cluster speak plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": the browser accepts the cookie only if Secure, for Path=/ and without a Domain,
    # so neither a sibling subdomain nor a plain-HTTP page can set or overwrite it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Session lifetimes (accounts.middleware.SessionLifetimeMiddleware): signed out after this many
# minutes without a request (staff, who see everyone's data, sooner), and after SESSION_MAX_HOURS
# whatever the activity. A password change ends every other session of the account (Django
# keeps a hash of the password in each session); the session that changed it continues.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", default=120, minimum=1)
SESSION_IDLE_MINUTES_SECRETARIAT = env_int("SESSION_IDLE_MINUTES_SECRETARIAT", default=30, minimum=1)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", default=12, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The same strict policy in every mode: nothing from another host, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the TOTP QR code allauth draws
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}

# --- Logging ----------------------------------------------------------------------------------

LOG_LEVEL = env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
