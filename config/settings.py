"""Settings for EGM Desk, driven entirely by environment variables.

With no variables set the project runs on its embedded default: SQLite and Celery's
filesystem transport under ``var/``, mail printed to the console (and kept in the outbox).
``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` switch to PostgreSQL, Redis and SMTP.
``DEBUG=false`` is production mode: every secret must then be given explicitly, and a
missing or malformed variable stops start-up with a message that names it.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _read(name: str, cast, default=environ.Env.NOTSET):
    """Read one variable, turning a malformed value into an error that names it."""
    try:
        return cast(name, default=default)
    except Exception as exc:  # environ raises ValueError, KeyError, ImproperlyConfigured...
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _bool(name: str, default: bool) -> bool:
    """A strict boolean: a typo must not quietly switch production mode on or off."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed: {raw!r} is not true or false."
        )
    return raw in _TRUE


DEBUG = _bool("DEBUG", default=True)

_missing = [
    name
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "SITE_URL", "EMAIL_URL")
    if not DEBUG and not env.str(name, default="").strip(" ,")
]
if _missing:
    raise ImproperlyConfigured(
        f"Environment variable{'s' if len(_missing) > 1 else ''} {', '.join(_missing)} "
        f"{'are' if len(_missing) > 1 else 'is'} required when DEBUG is off (production mode)."
    )


def _required_in_production(name: str, cast, dev_default):
    return _read(name, cast, default=dev_default if DEBUG else environ.Env.NOTSET)


# Development keys are fixed so that encrypted fields survive restarts of `make run`;
# production refuses to start without real ones, and refuses these published ones.
_DEVELOPMENT_SECRET_KEY = "django-insecure-egm-desk-development-key-not-for-production"  # noqa: S105
_DEVELOPMENT_FIELD_ENCRYPTION_KEY = "ZWdtLWRlc2stZGV2ZWxvcG1lbnQta2V5LTMyLWJ5dGU="


def _refuse_development_key(name: str, values: list[str], development_key: str) -> None:
    if not DEBUG and development_key in [value.strip() for value in values]:
        raise ImproperlyConfigured(
            f"Environment variable {name} holds the development key, which is published with "
            "the source code: production needs a key of its own."
        )


SECRET_KEY = _required_in_production("SECRET_KEY", env.str, _DEVELOPMENT_SECRET_KEY)
_refuse_development_key("SECRET_KEY", [SECRET_KEY], _DEVELOPMENT_SECRET_KEY)
SECRET_KEY_FALLBACKS = _read("SECRET_KEY_FALLBACKS", env.list, default=[])
_refuse_development_key("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS, _DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = _required_in_production(
    "ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost", "testserver"]
)
if not DEBUG and not [host for host in ALLOWED_HOSTS if host.strip()]:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS lists no host.")
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])

# Fernet keys (urlsafe base64, 32 bytes) for fields encrypted at rest, newest first:
# add a new key in front to rotate; old rows still decrypt with the later keys.
FIELD_ENCRYPTION_KEYS = _required_in_production(
    "FIELD_ENCRYPTION_KEYS", env.list, [_DEVELOPMENT_FIELD_ENCRYPTION_KEY]
)
_refuse_development_key(
    "FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS, _DEVELOPMENT_FIELD_ENCRYPTION_KEY
)
try:
    [Fernet(key) for key in FIELD_ENCRYPTION_KEYS]
except (ValueError, TypeError) as _exc:
    raise ImproperlyConfigured(
        "Environment variable FIELD_ENCRYPTION_KEYS is malformed: each key must be a Fernet "
        "key (32 url-safe base64-encoded bytes; make one with "
        '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"`).'
    ) from _exc

# Links in emails are built on it: in production a wrong default would send people to
# 127.0.0.1, so it is required there, and must be an absolute http(s) address.
SITE_URL = _required_in_production("SITE_URL", env.str, "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname or _site.path:
    raise ImproperlyConfigured(
        f"Environment variable SITE_URL is malformed: {SITE_URL!r} must be an absolute "
        "address with no path, e.g. https://egm.example.org."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_countries",
    "agenda",
    "participants",
    "logistics",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session opened by an invitation link is signed in on that meeting's pages only.
    "participants.middleware.InvitationScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": _read(
        "DATABASE_URL", env.db_url, default=f"sqlite:///{VAR_DIR / 'egm-desk.sqlite3'}"
    )
}
_SUPPORTED_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
if DATABASES["default"].get("ENGINE") not in _SUPPORTED_ENGINES or not DATABASES["default"].get(
    "NAME"
):
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL is malformed: it must be postgres://user:password"
        "@host:5432/name or sqlite:////absolute/path.sqlite3."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", env.int, default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = _read("REDIS_URL", env.str, default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "Environment variable REDIS_URL is malformed: it must start with redis://, rediss:// "
        "or unix://, e.g. redis://127.0.0.1:6379/0."
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _read("CACHE_KEY_PREFIX", env.str, default="egm"),
        }
    }
else:
    # A file cache is shared by web and worker processes, which rate limits need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "participants.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login; participants sign in with an emailed code.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
# Participants arrive through invitations, never by open sign-up.
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[EGM Desk] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ALLAUTH_TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", env.int, default=0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(_read("STATIC_ROOT", env.str, default=str(VAR_DIR / "static")))
if DEBUG:
    # WhiteNoise looks for this folder at start-up even when runserver serves the files.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded files (passports scans, papers, letters) are private: there is no
        # MEDIA_URL route; every download goes through a permission-checked view.
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    # Files that print personal data (visa letters): encrypted at rest with
    # FIELD_ENCRYPTION_KEYS (see participants.privacy.files).
    "encrypted": {
        "BACKEND": "participants.privacy.files.EncryptedFileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
PRIVATE_STORAGE_ROOT = VAR_DIR / "private"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail: every email is an outbox row first; this backend is what the sending task uses.
# Production requires EMAIL_URL: the console default would mark every email sent and lose it
# (``consolemail://`` still chooses the console on purpose).
_email_url = _read("EMAIL_URL", env.str, default="")
if _email_url:
    _email = _read("EMAIL_URL", env.email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "")
    EMAIL_PORT = _email.get("EMAIL_PORT") or 25
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, default="EGM Desk <egm-desk@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
_celery_queue_dir = VAR_DIR / "celery"
CELERY_BROKER_URL = _read("CELERY_BROKER_URL", env.str, default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (_celery_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue_dir / "queue"),
        "data_folder_out": str(_celery_queue_dir / "queue"),
        "processed_folder": str(_celery_queue_dir / "processed"),
        # Exchange tables; kombu's default is ./control, in whatever folder the worker starts.
        "control_folder": str(_celery_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # Retry countdowns stay well below this, so no task is delivered twice by timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = _read("CELERY_RESULT_BACKEND", env.str, default=REDIS_URL or None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# How often changes to an announced agenda are gathered and mailed (one batch each time).
AGENDA_CHANGES_BATCH_MINUTES = _read("AGENDA_CHANGES_BATCH_MINUTES", env.int, default=3)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The outbox's retries and lost tasks: what is due goes to the broker within a minute.
    "outbox-dispatch-due": {
        "task": "notifications.dispatch_due_messages",
        "schedule": timedelta(minutes=1),
    },
    # Deadline reminders: each offset fans out once when due (a row-driven schedule, never
    # long countdowns, which Redis would deliver again after its visibility timeout).
    "notifications-dispatch-reminders": {
        "task": "notifications.dispatch_reminders",
        "schedule": timedelta(minutes=5),
    },
    # Changes to an announced agenda: one email per person per batch.
    "agenda-notify-changes": {
        "task": "agenda.notify_agenda_changes",
        "schedule": timedelta(minutes=AGENDA_CHANGES_BATCH_MINUTES),
    },
    # Passport numbers, dates of birth and emergency contacts deleted on time (organisers
    # warned a week before); idempotent, so an extra or a missed run does no harm.
    "participants-apply-retention": {
        "task": "participants.apply_retention",
        "schedule": timedelta(hours=6),
    },
}

# Outbox: a temporary failure is tried again after OUTBOX_RETRY_BASE_SECONDS, doubling up to
# OUTBOX_RETRY_MAX_SECONDS between attempts, for OUTBOX_RETRY_HOURS; then the message fails
# and an organiser may resend it. Retries wait as rows the beat sweep reads, not in the broker.
OUTBOX_RETRY_HOURS = _read("OUTBOX_RETRY_HOURS", env.int, default=48)
OUTBOX_RETRY_BASE_SECONDS = _read("OUTBOX_RETRY_BASE_SECONDS", env.int, default=60)
OUTBOX_RETRY_MAX_SECONDS = _read("OUTBOX_RETRY_MAX_SECONDS", env.int, default=30 * 60)
if OUTBOX_RETRY_BASE_SECONDS < 1:
    raise ImproperlyConfigured(
        "Environment variable OUTBOX_RETRY_BASE_SECONDS is malformed: it must be at least 1."
    )
if not OUTBOX_RETRY_BASE_SECONDS <= OUTBOX_RETRY_MAX_SECONDS < 3600:
    raise ImproperlyConfigured(
        "Environment variable OUTBOX_RETRY_MAX_SECONDS is malformed: it must be at least "
        "OUTBOX_RETRY_BASE_SECONDS and below 3600 (a step stays below the broker's visibility "
        "timeout of an hour)."
    )

# django-import-export: only organisers with the right permission import or export.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Security: strict in production, relaxed only where plain-HTTP local runs need it.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp): scripts, styles and everything else from the site's
# own origin only. No page has inline script, inline style or on* handlers, so a script
# injected into a page does not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The admin's stylesheets draw a few icons from data: URLs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", env.int, default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY must be at least 50 characters in production."
        )

LOG_LEVEL = _read("LOG_LEVEL", env.str, default="INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"Environment variable LOG_LEVEL is malformed: {LOG_LEVEL!r} is not one of DEBUG, "
        "INFO, WARNING, ERROR or CRITICAL."
    )

# Passport numbers and dates of birth never reach a log: every handler redacts them, and
# Django's error reports (admin emails, the debug page) hide them in POST data and locals.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "participants.privacy.redaction.RedactPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "personal_data"],
        },
    },
    "loggers": {
        # Replaces Django's own "django" handlers, which would print without the filter.
        "django": {"handlers": ["console", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "participants.privacy.redaction.PersonalDataReporterFilter"
# The history is a record: the admin never offers to revert a record to an older version.
SIMPLE_HISTORY_REVERT_DISABLED = True
