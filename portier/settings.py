"""Django settings for Portier, read only from the environment (see docs/configuration.md)."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from portier.lib.env import (
    env_bool,
    env_email,
    env_int,
    env_list,
    env_str,
    env_url,
    secret_from_data_dir,
)
from portier.lib.files import private_dir, private_sqlite_file
from portier.lib.security import parse_networks
from portier.sources.config import real_client_configured, settings_modules, settings_of

BASE_DIR = Path(__file__).resolve().parent

PORTIER_DATA_DIR = private_dir(Path(env_str("PORTIER_DATA_DIR", "data")).resolve())

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or secret_from_data_dir(
    PORTIER_DATA_DIR, "secret_key", get_random_secret_key
)

PORTIER_BASE_URL = env_url("PORTIER_BASE_URL", "http://127.0.0.1:8000")
_base = urlsplit(PORTIER_BASE_URL)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_base.hostname, "127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

# Hardening (docs/security.md). Forwarded headers count only from these proxies
# (portier.lib.security.TrustedProxyMiddleware); a Content-Security-Policy goes out always.
PORTIER_TRUSTED_PROXIES = parse_networks(
    "PORTIER_TRUSTED_PROXIES", env_list("PORTIER_TRUSTED_PROXIES")
)
PORTIER_SESSION_DAYS = env_int("PORTIER_SESSION_DAYS", 14)
if PORTIER_SESSION_DAYS < 1:
    raise ImproperlyConfigured("PORTIER_SESSION_DAYS must be at least 1")
SESSION_COOKIE_AGE = PORTIER_SESSION_DAYS * 24 * 3600
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
_https = _base.scheme == "https"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("PORTIER_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = env_int("PORTIER_HSTS_SECONDS", 365 * 24 * 3600) if _https else 0


def _encryption_keys() -> list[str]:
    raw = env_str("PORTIER_ENCRYPTION_KEYS") or secret_from_data_dir(
        PORTIER_DATA_DIR, "encryption_keys", lambda: Fernet.generate_key().decode()
    )
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                "PORTIER_ENCRYPTION_KEYS must be a comma-separated list of Fernet keys "
                "(32 url-safe base64-encoded bytes each)"
            ) from None
    if not keys:
        raise ImproperlyConfigured("PORTIER_ENCRYPTION_KEYS must name at least one key")
    return keys


PORTIER_ENCRYPTION_KEYS = _encryption_keys()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    # Only for its static files and templates: /api/v1/docs serves Swagger UI from here, not
    # from a CDN (works offline, no third-party request).
    "ninja",
    "portier.companies",
    "portier.accounts",
    "portier.locations",
    "portier.integrations",
    "portier.visits",
    "portier.contacts",
    "portier.outbox",
    "portier.invitations",
    "portier.checkin",
    "portier.sync",
    "portier.dashboard",
    "portier.api",
    "portier.sandbox",
    "portier.metrics",
]

MIDDLEWARE = [
    # /healthz, /readyz, /metrics: before the host check and the https redirect (see there).
    "portier.metrics.probes.ProbesMiddleware",
    "portier.lib.security.TrustedProxyMiddleware",
    "portier.lib.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A source's push notifications: none of what follows (portier/integrations/push.py).
    "portier.integrations.push.PushMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portier.accounts.middleware.LoginSessionMiddleware",
    "portier.accounts.middleware.UserLanguageMiddleware",
    "portier.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portier.sandbox.middleware.SandboxConnectMiddleware",
]

ROOT_URLCONF = "portier.urls"
WSGI_APPLICATION = "portier.wsgi.application"

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
                "portier.dashboard.context_processors.portier",
                "portier.sandbox.context_processors.sandbox",
            ],
        },
    },
]

# SQLite by default (WAL + immediate transactions: the web app and the worker both write);
# PostgreSQL when DATABASE_URL is set. Both keep a connection per thread for a minute instead
# of opening one per request (for SQLite: the file, its WAL and the pragmas each time; push
# notifications through gunicorn went from 250/s to 400/s, docs/performance.md).
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": private_sqlite_file(PORTIER_DATA_DIR / "portier.sqlite3"),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Threads of each gunicorn web process (`portier serve --web-threads`): a request that waits
# for the database (a SQLite commit, a PostgreSQL round trip) lets another one run meanwhile.
PORTIER_WEB_THREADS = env_int("PORTIER_WEB_THREADS", 4)
if PORTIER_WEB_THREADS < 1:
    raise ImproperlyConfigured("PORTIER_WEB_THREADS must be at least 1")

# Background work: Huey on Redis when REDIS_URL is set, else on its own SQLite file.
REDIS_URL = env_str("REDIS_URL")
PORTIER_QUEUE_NAME = env_str("PORTIER_QUEUE_NAME", "portier")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
_consumer = {"workers": env_int("PORTIER_WORKERS", 2), "worker_type": "thread"}
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// (got {REDIS_URL!r})")
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": PORTIER_QUEUE_NAME,
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": _consumer,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": PORTIER_QUEUE_NAME,
        "filename": str(private_sqlite_file(PORTIER_DATA_DIR / "queue.sqlite3")),
        "immediate": HUEY_IMMEDIATE,
        # The SQLite storage is polled (an idle check is one indexed SELECT): start at 10 ms
        # and back off to 50 ms, not Huey's 0.1 s to 10 s, since every hop of a change to
        # the guest's inbox (sync, then delivery) waits for the next poll.
        "consumer": {**_consumer, "initial_delay": 0.01, "backoff": 1.15, "max_delay": 0.05},
    }

# The cache holds only short-lived coordination (request budgets); Redis shares it across
# processes when available.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PORTIER_QUEUE_NAME,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Throttles against guessing, counted in the cache above (portier/accounts/throttle.py): wrong
# passwords per account and per client address, wrong API tokens per address, password-reset
# requests per target address and per client address. 0 turns a limit off.
PORTIER_LOGIN_ATTEMPTS = env_int("PORTIER_LOGIN_ATTEMPTS", 10)
PORTIER_LOGIN_ATTEMPTS_PER_ADDRESS = env_int("PORTIER_LOGIN_ATTEMPTS_PER_ADDRESS", 50)
PORTIER_LOGIN_WINDOW_SECONDS = env_int("PORTIER_LOGIN_WINDOW_SECONDS", 900)
PORTIER_PASSWORD_RESETS = env_int("PORTIER_PASSWORD_RESETS", 3)
PORTIER_PASSWORD_RESETS_PER_ADDRESS = env_int("PORTIER_PASSWORD_RESETS_PER_ADDRESS", 10)
PORTIER_PASSWORD_RESET_WINDOW_SECONDS = env_int("PORTIER_PASSWORD_RESET_WINDOW_SECONDS", 3600)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["portier.accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
FORMAT_MODULE_PATH = ["portier.formats"]  # one date/time format per kind and language
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PORTIER_DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders too, so a missed collectstatic never breaks the look.
WHITENOISE_USE_FINDERS = True

# E-mail: SMTP when EMAIL_HOST is set; otherwise the console log.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if EMAIL_HOST else 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Every line goes through portier.lib.logs.RedactSecrets: secrets in URLs (reset links, guest
# pages, OAuth codes) never reach the log. gunicorn's lines are redacted by its logger class.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "portier.lib.logs.RedactSecrets"}},
    "formatters": {
        # What `run_huey` would give Huey's logger, had it no handler of its own.
        "huey": {
            "format": "[%(asctime)s] %(levelname)s:%(name)s:%(process)d:%(threadName)s:%(message)s"
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "huey": {"class": "logging.StreamHandler", "formatter": "huey", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"huey": {"handlers": ["huey"], "level": LOG_LEVEL, "propagate": False}},
}

NINJA_PAGINATION_PER_PAGE = 50

# Calendar sources: slug -> its `Source` (portier/sources/<slug>/, docs/architecture.md).
PORTIER_SOURCES = {
    "google": "portier.sources.google.source.SOURCE",
    "microsoft": "portier.sources.microsoft.source.SOURCE",
}
# Each source reads its own settings (GOOGLE_*, ...) from the environment, in its package.
_source_settings = settings_modules(PORTIER_SOURCES)
globals().update(settings_of(_source_settings))

# Sandbox (docs/sandbox.md): without a real calendar client, Portier runs on simulated
# providers and catches its e-mail, so that it can be tried without any account. `portier serve`
# starts the simulators and gives its children settings pointing at them, together with
# PORTIER_SANDBOX_<SOURCE>_URL: that pair is the sandbox's own client, never a real one.
PORTIER_SANDBOX_CONTROL_TOKEN = env_str("PORTIER_SANDBOX_CONTROL_TOKEN")
PORTIER_SANDBOX = env_bool("PORTIER_SANDBOX", True) and not real_client_configured(_source_settings)
if not PORTIER_SANDBOX:
    # Each source's PORTIER_SANDBOX_<SOURCE>_URL: no simulator outside sandbox mode.
    PORTIER_SANDBOX_CONTROL_TOKEN = ""
    globals().update(
        {
            name: ""
            for name in settings_of(_source_settings)
            if name.startswith("PORTIER_SANDBOX_") and name.endswith("_URL")
        }
    )
if PORTIER_SANDBOX and not EMAIL_HOST:
    EMAIL_BACKEND = "portier.sandbox.mail.CatchingBackend"

# The marker attendee and the sender: at the base URL's host (invite@portier.acme.com). In
# sandbox mode readable example addresses (invite@portier.example, as the README shows, not
# invite@127.0.0.1): the simulated Google sends nothing to the one, and the other's mail is
# caught; with a real mail server in sandbox mode the sender stays at the host.
_example_host = "portier.example" if PORTIER_SANDBOX else _base.hostname
PORTIER_INVITE_ADDRESS = env_email("PORTIER_INVITE_ADDRESS", f"invite@{_example_host}").lower()
_sender_host = _example_host if not EMAIL_HOST else _base.hostname
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", f"portier@{_sender_host}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# /metrics answers only with `Authorization: Bearer <this>`; unset, it is off (404).
PORTIER_METRICS_TOKEN = env_str("PORTIER_METRICS_TOKEN")

# Sync: occurrences of recurring events become appointments this far ahead.
PORTIER_SYNC_HORIZON_DAYS = env_int("PORTIER_SYNC_HORIZON_DAYS", 90)
PORTIER_PUSH_ENABLED = env_bool("PORTIER_PUSH_ENABLED", True)
# A minimum time between the starts of two syncs of one calendar; 0: a change is synced at
# once (bursts still coalesce: one follow-up per sync, see portier/sync/tasks.py).
PORTIER_SYNC_DEBOUNCE_MS = env_int("PORTIER_SYNC_DEBOUNCE_MS", 0)
PORTIER_CHANNEL_TTL_SECONDS = env_int("PORTIER_CHANNEL_TTL_SECONDS", 7 * 24 * 3600)
PORTIER_POLL_MINUTES = env_int("PORTIER_POLL_MINUTES", 60)
PORTIER_POLL_MINUTES_WITHOUT_PUSH = env_int("PORTIER_POLL_MINUTES_WITHOUT_PUSH", 5)
