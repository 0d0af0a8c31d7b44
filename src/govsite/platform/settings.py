"""Django settings, read from the environment in this one place.

| variable | meaning | default |
|---|---|---|
| ``GOVSITE_DATABASE_URL`` | database (``sqlite:///path`` or ``postgres://…``) | SQLite in ``GOVSITE_DATA_DIR`` |
| ``GOVSITE_DATA_DIR`` | where the embedded database and evidence live | ``./var`` |
| ``GOVSITE_SECRET_KEY`` | Django's secret key | a fixed development key, refused when ``GOVSITE_DEBUG`` is off |
| ``GOVSITE_DEBUG`` | ``1`` for development | ``1`` |
| ``GOVSITE_ALLOWED_HOSTS`` | comma-separated host names | ``127.0.0.1,localhost`` |
| ``GOVSITE_PROXY`` | the HTTP proxy campaigns started in the pages scan through | none |
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DATA_DIR = Path(os.environ.get("GOVSITE_DATA_DIR", "var")).resolve()
DEBUG = os.environ.get("GOVSITE_DEBUG", "1") == "1"
_DEV_KEY = "govsite-development-key-not-for-production"
SECRET_KEY = os.environ.get("GOVSITE_SECRET_KEY", _DEV_KEY)
if not DEBUG and SECRET_KEY == _DEV_KEY:
    raise ImproperlyConfigured("GOVSITE_SECRET_KEY must be set when GOVSITE_DEBUG is off")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GOVSITE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

_default_db = f"sqlite:///{DATA_DIR / 'govsite.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("GOVSITE_DATABASE_URL") or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # concurrent writers wait, not fail

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "govsite.platform.registry",
    "govsite.platform.campaigns",
    "govsite.platform.accounts",
    "govsite.platform.review",
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
]
ROOT_URLCONF = "govsite.platform.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATICFILES_DIRS = [Path(__file__).parent / "static"]
WHITENOISE_USE_FINDERS = True  # bundled assets served straight from the package: no CDN, no collectstatic
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
#: The HTTP proxy the in-process executor scans through (``govsite demo`` sets the fleet's).
EXECUTOR_PROXY = os.environ.get("GOVSITE_PROXY") or None
#: Registry uploads larger than this are refused before they are read.
REGISTRY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
REGISTRY_MAX_ROWS = 50_000
