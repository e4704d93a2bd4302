"""Settings for the ICJ case tracker, driven by environment variables.

Development defaults (DEBUG on, a throwaway secret key) are supplied by `make run` and the test
configuration, not here: with DEBUG off the app refuses to start without DJANGO_SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (production), "
            "or set DJANGO_DEBUG=1 for development (make run does)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"  # noqa: S105 (never used in production)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker.admin_apps.TrackerAdminConfig",  # django.contrib.admin with the editors' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",  # the admin login's lockout after repeated failures
    "csp",
    # The project (migrations that span the record, createeditor), then the layers from the base up.
    "tracker",
    "core",
    "sources",
    "parties",
    "cases",
    "filings",
    "decisions",
    "compliance",
    "proceedings",
    "pages",
    "dataset",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tracker.security.ContentSecurityPolicyMiddleware",  # first, so every response carries the policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",  # 503, not 500, while the database is away
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a login refused for a locked-out client into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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

# SQLite in var/ unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'tracker.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if not os.environ.get("DATABASE_URL"):
    # var/ is not in the repository; the embedded database needs its folder on a fresh clone.
    (BASE_DIR / "var").mkdir(exist_ok=True)
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Bound every statement so an over-broad search answers "too broad" rather than hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', '5000'))}"
    )

# A search gets this long (on both databases) before it answers "too broad, narrow it" instead of its results;
# up to SEARCH_MATCH_LIMIT matches are counted exactly and ranked, more are "more than ..." in date order.
SEARCH_TIMEOUT_MS = int(os.environ.get("SEARCH_TIMEOUT_MS", "1500"))
SEARCH_MATCH_LIMIT = int(os.environ.get("SEARCH_MATCH_LIMIT", "1000"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")


def _process_shared_cache(table: str, max_entries: int) -> dict:
    """Redis when REDIS_URL is set, else a database table (created by a migration) every process reads alike."""
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Pages and counts cached under the data version (core.dataversion, core.pagecache): shared by every
    # app server process, so one worker's render serves the others and a write is seen by all at once.
    "shared": _process_shared_cache("tracker_shared_cache", 20_000),
    # API throttle counts: shared by every app server process (per-process memory would let each gunicorn
    # worker allow the full rate). One counter per client and window; past MAX_ENTRIES rows the database cache
    # deletes live counters.
    "api": _process_shared_cache("tracker_api_cache", 50_000),
}

# Seconds an anonymous reader's page stays in the shared cache unused (0: render every request). A write
# makes every cached page obsolete at once whatever this says (core.pagecache).
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Amsterdam"  # The Court sits in The Hague.
USE_I18N = True
# One date style for people, the Court's: the admin's lists and read-only fields show "16 March 2022".
FORMAT_MODULE_PATH = ["tracker.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
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
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))

FILING_MAX_UPLOAD_BYTES = int(os.environ.get("FILING_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: production (DEBUG off) gets HTTPS-only cookies, HSTS and a redirect to HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Clients are told apart by address (the API throttles, the admin login's lockout). Behind N proxies
# of ours that each append to X-Forwarded-For, set API_TRUSTED_PROXIES=N; with 0 the header, which any
# client can write, is ignored and the address the connection came from is used.
API_TRUSTED_PROXIES = int(os.environ.get("API_TRUSTED_PROXIES", "0"))

# The admin login locks an account out from one address after 5 failures (django-axes), for
# AXES_COOLOFF_MINUTES; each further failure starts the wait again, a success resets the count.
AUTHENTICATION_BACKENDS = [
    "tracker.security.LoginLockoutBackend",  # first: it refuses a locked-out client before a password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.api.throttles.client_address"
AXES_LOCKOUT_CALLABLE = "tracker.security.lockout_response"

# Content-Security-Policy on every response (django-csp): scripts and styles only from files served
# here, never inline, so injected markup cannot run or restyle the page; no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The API documentation pages (drf-spectacular, by URL name) replace these directives of the policy.
# Swagger UI's start-up script is inline (allowed by a per-response nonce); both draw icons from data:
# URLs; ReDoc injects its styles at run time and parses the schema in a worker made from a blob: URL.
API_DOCS_CONTENT_SECURITY_POLICY = {
    "api:docs": {"script-src": [SELF, NONCE], "img-src": [SELF, "data:"]},
    "api:redoc": {
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The account the dataset loader writes as, so its changes show in the history as the loader's.
DATASET_LOADER_USERNAME = "dataset-loader"

API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "500"))
# Deepest row a page number may start at: reaching further means reading and discarding every row before it,
# which grows with the table; a crawler takes ?pagination=cursor instead.
API_MAX_PAGE_OFFSET = int(os.environ.get("API_MAX_PAGE_OFFSET", "10000"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiAutoSchema",
    # Tokens for scripts, sessions for the browsable API. No Basic auth: it hashes the password on
    # every request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads; writing needs the model's add/change/delete permission (the Editors group).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    # JSON: DRF's JSONRenderer's bytes, written by orjson (about 10x faster on a list page).
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.OrjsonRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.StrictFilterBackend", "core.api.filters.ApiOrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttles.AnonRateThrottle", "core.api.throttles.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "1000/hour"),
        "user": os.environ.get("API_THROTTLE_USER", "10000/hour"),
    },
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ICJ case tracker API",
    "DESCRIPTION": "Proceedings of the International Court of Justice as structured, sourced data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Related objects read as nested summaries and write as ids: separate request components.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # After the enum hook: describe the security schemes for client authors (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConfidenceEnum": "core.models.Confidence",
        "SourceKindEnum": "sources.models.SourceKind",
        "PartyKindEnum": "parties.models.PartyKind",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "PartyRoleEnum": "cases.models.PartyRole",
        "HearingSubjectEnum": "cases.models.HearingSubject",
        "FilingKindEnum": "filings.models.FilingKind",
        "DecisionKindEnum": "decisions.models.DecisionKind",
        "DecisionSubjectEnum": "decisions.models.DecisionSubject",
        "ProvisionKindEnum": "decisions.models.ProvisionKind",
        "AmendmentEnum": "decisions.models.Amendment",
        "OfficeEnum": "decisions.models.Office",
        "VoteEnum": "decisions.models.VoteChoice",
        "OpinionKindEnum": "decisions.models.OpinionKind",
        "AssessmentEnum": "compliance.models.Assessment",
    },
}
