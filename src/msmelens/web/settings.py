"""Django settings, driven by ``MSMELENS_*`` environment variables (see docs/platform.md)."""

from __future__ import annotations

import os
from pathlib import Path

from msmelens.web import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/msmelens
HOME = config.home_dir()

SECRET_KEY = config.secret_key(HOME)
DEBUG = config.env_flag("MSMELENS_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MSMELENS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("MSMELENS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "msmelens.agreements",
    "msmelens.countries",
    "msmelens.accounts",
    "msmelens.feedback",
    "msmelens.practices",
    "msmelens.guide",
    "msmelens.wto",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after auth so refusal pages render with the usual context; before any view reads the body
    "msmelens.web.middleware.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "msmelens.web.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "msmelens.web.urls"
LOGIN_URL = "practices:sign_in"  # contributors and curators of the practice library sign in there
WSGI_APPLICATION = "msmelens.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": config.database(HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "msmelens.web.filecache.OccasionallyCulledFileCache",
        "LOCATION": str(HOME / "cache"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English at /, French at /fr/, Spanish at /es/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(HOME / "static")

# Request limits (enforced by msmelens.web.middleware.RequestLimitsMiddleware).
MSMELENS_MAX_UPLOAD_MB = config.env_int("MSMELENS_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = MSMELENS_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
MSMELENS_MAX_QUERY_STRING = 2000
MSMELENS_MAX_PARAM_REPEAT = 20

# Anonymous submissions to open surveys, per client address ("600/m"; 0 turns the limit off).
MSMELENS_SUBMISSION_RATE = os.environ.get("MSMELENS_SUBMISSION_RATE", "600/m")

# Security headers: always on; HTTPS-only cookies and HSTS when served behind TLS (MSMELENS_HTTPS=1).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if config.env_flag("MSMELENS_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = config.env_flag("MSMELENS_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MSMELENS_LOG_LEVEL", "WARNING")},
}
