"""Django settings, read from the environment so every process of one archive agrees.

QOIMA_HOME            the archive's home folder (default ./qoima-data)
QOIMA_DATABASE_URL    e.g. postgresql://user@host:5432/db (default: SQLite in the home)
QOIMA_QUEUE_URL       redis://host:6379/0 for RedisHuey (default: SQLite queue in the home)
QOIMA_DEBUG           1 to enable Django debug pages
QOIMA_ALLOWED_HOSTS   comma-separated host names (default: *)
QOIMA_SECRET_KEY      overrides the key kept in the home
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from qoima.home import ensure_home, home_dir, secret_key

BASE_DIR = Path(__file__).resolve().parent
QOIMA_HOME = ensure_home(home_dir())

SECRET_KEY = secret_key(QOIMA_HOME)
DEBUG = os.environ.get("QOIMA_DEBUG", "") in {"1", "true", "yes"}
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("QOIMA_ALLOWED_HOSTS", "*").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "huey.contrib.djhuey",
    "ninja",  # API docs page served from the package's own static files, not a CDN
    "qoima.accounts",
    "qoima.catalogue",
    "qoima.ingest",
    "qoima.recognize",
    "qoima.search",
    "qoima.access",
    "qoima.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "qoima.urls"
WSGI_APPLICATION = "qoima.wsgi.application"

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
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("QOIMA_DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        db = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(QOIMA_HOME / "qoima.sqlite3"),
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    if os.environ.get("QOIMA_TEST_DB_NAME"):
        db["TEST"] = {"NAME": os.environ["QOIMA_TEST_DB_NAME"]}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The reading room speaks the partners' languages; content values carry their own tags.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = QOIMA_HOME / "static"
WHITENOISE_USE_FINDERS = True  # serve app static folders without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

from qoima.jobs import huey_settings  # noqa: E402

HUEY = huey_settings(QOIMA_HOME)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QOIMA_LOG_LEVEL", "WARNING")},
}
