"""careerframe settings: one module, configured from the environment (see README)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET_KEY = "insecure-dev-key-change-me"  # noqa: S105 - refused when DEBUG is off


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false/1/0), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or PLACEHOLDER_SECRET_KEY
if not DEBUG and SECRET_KEY == PLACEHOLDER_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# The cache: rendered fragments of the published pages (ladders/caching.py), the SSO discovery
# document. By default each process keeps its own in memory; CACHE_BACKEND and CACHE_LOCATION
# name any Django cache backend to share one (README "Caching").
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"  # caches nothing
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND") or LOCMEM_CACHE,
        "LOCATION": os.environ.get("CACHE_LOCATION", ""),
    }
}
if CACHES["default"]["BACKEND"] == LOCMEM_CACHE:
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000)}
elif CACHES["default"]["BACKEND"] != DUMMY_CACHE:
    # With a shared cache, rendered fragments and pages (immutable: their keys name the
    # version and release) are also kept in each process's memory, saving the round trip.
    CACHES["local"] = {
        "BACKEND": LOCMEM_CACHE,
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000)},
    }
# Seconds a rendered fragment is kept (0: fragments are not cached). Keys name the published
# version they were rendered from, so nothing goes stale: this only bounds the memory.
CAREERFRAME_FRAGMENT_SECONDS = env_int("CAREERFRAME_FRAGMENT_SECONDS", 24 * 60 * 60)
# Part of every fragment key and ETag, with a digest of the templates, translations and static
# manifest: set it per deployment (e.g. the commit) when processes of different releases share
# a cache.
CAREERFRAME_RELEASE = os.environ.get("CAREERFRAME_RELEASE", "")
# Keep "which version is framework X's current" in the cache (roles/lookup_cache.py): unset,
# on exactly when the cache is shared (not the per-process default), as a publish must reach
# every process. Set it true for a site served by one process.
CAREERFRAME_VERSION_CACHE = (
    env_bool("CAREERFRAME_VERSION_CACHE", False)
    if os.environ.get("CAREERFRAME_VERSION_CACHE")
    else None
)
# The longest such a lookup is kept: the bound for changes made outside the app (raw SQL, a
# restored backup); changes made through it are seen at once.
CAREERFRAME_VERSION_CACHE_SECONDS = env_int("CAREERFRAME_VERSION_CACHE_SECONDS", 300)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    *(["django.contrib.postgres"] if USES_POSTGRES else []),
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",  # API tokens: `manage.py drf_create_token <username>`
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's assets, served from the installed package
    "mozilla_django_oidc",
    "csp",  # the Content-Security-Policy header (django-csp), configured below
    "axes",  # login throttling (django-axes); its middleware and backend are below
    "careerframe",
    "accounts",
    "notifications",
    "roles",
    "ladders",
    "reviews",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The logged-in user's language and time zone (after LocaleMiddleware and the user).
    "accounts.middleware.UserLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: answers a locked-out login attempt with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "careerframe.urls"
WSGI_APPLICATION = "careerframe.wsgi.application"

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
                "careerframe.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ladders:framework-list"
LOGOUT_REDIRECT_URL = "ladders:framework-list"

LANGUAGE_CODE = "en-gb"
# The interface's languages (framework content stays in the language it was written in).
LANGUAGES = [("en-gb", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch (and the settings page) remember the choice for a year, past logout.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "careerframe@localhost")
# SMTP, used when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where emails link to: the address people use to reach this installation.
CAREERFRAME_BASE_URL = os.environ.get("CAREERFRAME_BASE_URL", "http://127.0.0.1:8000")

# Behind TLS (the production default): redirect plain HTTP, send HSTS. A reverse proxy that
# terminates TLS must pass X-Forwarded-Proto; set TRUST_X_FORWARDED_PROTO=true to honour it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# careerframe usually runs on one host of a company's domain (careers.example.com): forcing
# HSTS on every sibling subdomain, or onto browsers' preload list, is the domain owner's call,
# so both are opt-in above and their deployment-check warnings are silenced.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts, styles, fonts and images from this site only
# — no inline script or style, no eval. Pages keep their JavaScript in static files and pass
# data through data-* attributes; htmx's inline indicator style is off (templates/base.html)
# and its CSS is in app.scss. data: images are Bootstrap's icons inside its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Largest framework file accepted by the importers (bytes).
CAREERFRAME_MAX_IMPORT_BYTES = env_int("CAREERFRAME_MAX_IMPORT_BYTES", 10 * 1024 * 1024)

# Quality checks of the draft (roles/quality.py): words that make a statement vague (whole
# words, any case; comma-separated, empty to switch the check off) and the longest statement.
CAREERFRAME_VAGUE_WORDS = env_list(
    "CAREERFRAME_VAGUE_WORDS",
    ["good", "strong", "as needed", "etc", "appropriate", "various", "effectively"],
)
CAREERFRAME_MAX_STATEMENT_LENGTH = env_int("CAREERFRAME_MAX_STATEMENT_LENGTH", 500)

# The read-only REST API (ladders/api/, README "REST API"). Who reads what is decided per
# object by roles.access (hidden = 404), so the permission class lets everyone through.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    # No OPTIONS metadata: GET and HEAD are the whole API.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_PAGINATION_CLASS": "ladders.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "careerframe API",
    "DESCRIPTION": (
        "Read-only access to published career frameworks. Anonymous clients read public "
        "frameworks; members authenticate with a token (`Authorization: Token <key>`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The <key:…> URL converter (roles.keys.KEY_PATTERN).
    "PATH_CONVERTER_OVERRIDES": {"key": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]*$"}},
    # Swagger UI from drf-spectacular-sidecar: no CDN, nothing vendored in the repository.
    # (No Redoc page: drf-spectacular's Redoc template loads web fonts from Google.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # validatorUrl None: Swagger UI would otherwise send the schema to an outside validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Single sign-on (OpenID Connect; sso/, README "Single sign-on") ---------------------------
# An empty OIDC_ISSUER switches SSO off: no button on the login page, the SSO URLs answer 404.
# The provider's endpoints come from its discovery document (sso/discovery.py), fetched on first
# use and cached. mozilla-django-oidc reads the OIDC_RP_* names; sso/ subclasses its views and
# backend so that nothing else has to be configured.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL") or gettext_lazy(
    "Log in with single sign-on"
)
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES") or "openid email profile"
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM") or "groups"
# false: no password login, on the login page nor in the admin (SSO only).
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
if not LOCAL_LOGIN and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs OIDC_ISSUER: nobody could log in.")
if OIDC_ISSUER and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID (and OIDC_CLIENT_SECRET).")
if OIDC_ISSUER and "openid" not in OIDC_RP_SCOPES.split():
    raise ImproperlyConfigured(f"OIDC_SCOPES must include openid, got {OIDC_RP_SCOPES!r}")
OIDC_TIMEOUT = 10  # seconds, for every request to the provider
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:login-callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a password login from a client that failed too often (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, which also loads the user's profile with them.
    "accounts.backends.ModelBackend",
    "sso.backends.IdentityBackend",
]
# --- end of single sign-on --------------------------------------------------------------------

# --- login throttling (django-axes) ---------------------------------------------------------------
# After LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# refused for LOGIN_LOCKOUT_MINUTES (429, templates/registration/locked_out.html); a good
# login resets the count. Locking the pair, not the username alone, means nobody can lock a
# colleague out from elsewhere. Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT (README).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful logins are not logged
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
