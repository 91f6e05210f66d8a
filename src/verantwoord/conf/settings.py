"""Django settings for Verantwoord.

Everything that differs between installations comes from environment variables; docs/configuration.md lists
them with their defaults. The embedded default (no variables set) is a SQLite file and a generated secret key
under var/, DEBUG off, mail to the console.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from verantwoord.conf.environment import (
    database_url,
    env_bool,
    env_int,
    env_list,
    is_production,
    secret_key,
)
from verantwoord.conf.oidc import oidc_settings

# Lets classes like ModelAdmin[Organisation] be subscripted at run time, as the type stubs have them.
# (DRF's classes are patched in verantwoord.core.drf_generics: importing DRF here would freeze its settings.)
django_stubs_ext.monkeypatch()

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(ENV.get("VERANTWOORD_BASE_DIR", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(ENV.get("VERANTWOORD_VAR_DIR", BASE_DIR / "var")).resolve()

PRODUCTION = is_production(ENV)
SECRET_KEY = secret_key(ENV, VAR_DIR)
DEBUG = env_bool(ENV, "DEBUG", default=False)
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "verantwoord.core",
    "verantwoord.register",
    "verantwoord.compliance",
    "verantwoord.aiact",
    "verantwoord.decisionlog",
    "verantwoord.assessments",
    "verantwoord.monitoring",
    "verantwoord.policy",
    "verantwoord.reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "verantwoord.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "verantwoord.conf.urls"
WSGI_APPLICATION = "verantwoord.conf.wsgi.application"

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
                "verantwoord.core.context_processors.layout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        database_url(ENV, VAR_DIR), conn_max_age=env_int(ENV, "DATABASE_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" on upgrade of
    # a read transaction to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": ENV.get("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "core:home"

OIDC = oidc_settings(ENV)
if OIDC.enabled:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("verantwoord.core.oidc.OrganisationOIDCBackend")
    globals().update(OIDC.django_settings)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", VAR_DIR / "media"))
# The address people reach the site at, for links in mails the worker sends (no request to take it from).
PUBLIC_URL = ENV.get("VERANTWOORD_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

# Mail: console by default; SMTP when EMAIL_HOST is set.
if ENV.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV["EMAIL_HOST"]
    EMAIL_PORT = env_int(ENV, "EMAIL_PORT", 587)
    EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = ENV.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "verantwoord@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Cookies are secure in production (served over HTTPS behind a proxy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int(ENV, "SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous calls 401 rather than 403.
        "verantwoord.core.api_auth.APITokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "verantwoord.core.api_errors.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "verantwoord.core.api_pagination.PagePagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Verantwoord API",
    "DESCRIPTION": "REST API of Verantwoord (NL API Design Rules). Public endpoints need no authentication.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["verantwoord.core.api_schema.exclude_documentation_endpoints"],
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "verantwoord.core.models.organisation.OrganisationKind",
        "AlgorithmKindEnum": "verantwoord.register.choices.AlgorithmKind",
        "PublicationStateEnum": "verantwoord.register.choices.PublicationState",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        # WeasyPrint reports each rendering step at INFO; a PDF export should not print them on the console.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

VERANTWOORD_DEMO_PASSWORD = "voorbeeldstad-demo"  # noqa: S105 — documented demo login, demo only
