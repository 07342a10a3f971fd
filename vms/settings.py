"""Django settings. Every value comes from a `VMS_*` environment variable (see README)."""

from __future__ import annotations

import warnings
from pathlib import Path

from vms.env import (
    env_bool,
    env_int,
    env_json,
    env_list,
    env_secret,
    env_str,
    parse_database_url,
)
from vms.keys import new_credentials_key, new_secret_key, secret_or_generated
from vms.private import private_sqlite_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("PRODUCTION", default=False)
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = secret_or_generated(
    "SECRET_KEY", key_dir=VAR_DIR / "keys", production=PRODUCTION, generate=new_secret_key
)
VMS_CREDENTIALS_KEY = secret_or_generated(
    "CREDENTIALS_KEY", key_dir=VAR_DIR / "keys", production=PRODUCTION, generate=new_credentials_key
)
VMS_MONITORING_TOKEN = env_secret("MONITORING_TOKEN")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",  # /api/docs: Swagger UI from our static files, not a CDN
    "frontend",
    "cameras",
    "ptz",
    "analytics",
    "events",
    "frontend.layouts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vms.security.ContentSecurityPolicyMiddleware",  # on every response, static files included
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "vms.urls"
ASGI_APPLICATION = "vms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///var/vms.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
if _SQLITE:  # created (or tightened) 0600 before SQLite opens it: it holds sessions and hashes
    private_sqlite_database(Path(DATABASES["default"]["NAME"]))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "live"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
# Cookies only over HTTPS; on by default in production (behind a TLS proxy).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, minimum=1) * 3600
# Sign-in throttling (frontend/throttle.py): this many failed sign-ins for one username, or
# from one client address, within the lock time lock that username or address for that time.
VMS_LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
VMS_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
VMS_LOGIN_LOCK_SECONDS = env_int("LOGIN_LOCK_MINUTES", 15, minimum=1) * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Under ASGI, Django reads WhiteNoise's (small, static) files through a thread and warns.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis: Channels layer, Celery broker and results, gateway assignments.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": "vms:channels"},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "vms",
        "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5},
    }
}

# WS-Discovery: multicast probes leave this host, so they are off unless enabled.
VMS_DISCOVERY_MULTICAST = env_bool("DISCOVERY_MULTICAST", default=False)

# Celery: queues and beat schedule are defined in vms/celery.py.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("TASK_TIME_LIMIT", 120, minimum=5)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# WebRTC: STUN/TURN servers handed to browsers and the gateway. Empty = host candidates only.
VMS_ICE_SERVERS: list[dict[str, object]] = env_json("ICE_SERVERS", [])
# Addresses the gateway offers as ICE host candidates; empty = every interface but loopback.
VMS_WEBRTC_HOST_ADDRESSES = env_list("WEBRTC_HOST_ADDRESSES", [])
VMS_GATEWAY_IDLE_SECONDS = env_int("GATEWAY_IDLE_SECONDS", 10, minimum=1)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Credentials in URLs (rtsp://user:password@...) never reach a log line (vms/logs.py).
        "plain": {
            "()": "vms.logs.RedactingFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "filters": {"client_errors": {"()": "vms.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}, "httpx": {"level": "WARNING"}},
}

# Process runner (`make run`, `python -m vms.runner`).
VMS_BIND = env_str("BIND", "127.0.0.1:8000")
VMS_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 2, minimum=1)
VMS_RUN_SIMULATOR = env_bool("RUN_SIMULATOR", default=not PRODUCTION)

# Camera events (events/): base URL of the web process that cameras can reach to push events
# (empty = pull points only), how long events are kept, the subscription lifetime asked for.
VMS_EVENTS_CONSUMER_URL = env_str("EVENTS_CONSUMER_URL", "").rstrip("/")
VMS_EVENTS_RETENTION_DAYS = env_int("EVENTS_RETENTION_DAYS", 30, minimum=1)
VMS_EVENTS_SUBSCRIPTION_SECONDS = env_int("EVENTS_SUBSCRIPTION_SECONDS", 60, minimum=10)
# `manage.py events` spreads the cameras over this many processes (one event loop each);
# by default two, or one on SQLite, which takes one writer at a time.
VMS_EVENTS_PROCESSES = env_int("EVENTS_PROCESSES", 1 if _SQLITE else 2, minimum=1)
