"""Settings for SCO Archive, all taken from the environment (see .env.example).

With nothing set, the archive runs on an SQLite file in the project in debug mode.
Production: DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The fallback key is for local use only; `check --deploy` rejects it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Demo mode (make run): creates the demo accounts. Production never does.
SCO_DEMO = env_bool("SCO_DEMO")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",  # login lockout (issue #16)
    "sources",
    "events",
    "sco_archive",
]
# Dev-only tools (bench/: generate_synthetic), where the checkout has them.
if (BASE_DIR / "bench" / "__init__.py").exists():
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response (sco_archive/security.py, issue #16).
    "sco_archive.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304s for every response (the cache below sets a hash of the bytes).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous page/API responses under the database's archive version (issue #14).
    "sco_archive.cache.ArchiveCacheMiddleware",
    # The language is the URL's: /ru/…, /zh-hans/…, English unprefixed; Accept-Language
    # only picks where `/` redirects (sco_archive/locale.py, issue #18).
    "sco_archive.locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Database faults answer 503 (sco_archive/faults.py, issue #16).
    "sco_archive.faults.DatabaseFaultMiddleware",
    # Login lockout responses (django-axes, issue #16): last, as axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sco_archive.urls"
WSGI_APPLICATION = "sco_archive.wsgi.application"
ASGI_APPLICATION = "sco_archive.asgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist like PostgreSQL's (DJANGO_CONN_MAX_AGE): opening one and
    # running these pragmas on every request cost ~0.8 ms of a 4 ms API page (issue #8).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Plan for pages in memory or on SSD, not spinning disks (random_page_cost 4, the
    # server's default): with it the planner read all 10,000 article documents of a
    # search (13 ms) rather than their GIN index (3 ms), issue #15. A server tuned
    # otherwise, or ?options=… in DATABASE_URL, keeps its own.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("SCO_PG_OPTIONS", "-c random_page_cost=1.1")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches only store bytes: what is fresh is decided by the database (sources/caching.py,
# issue #14), so each process's local memory is correct too; REDIS_URL shares one cache
# between workers and machines. Redis down: served from the database, one warning a minute.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("SCO_CACHE_PREFIX", "sco"),
            # A dead or unreachable Redis costs a fraction of a second, not a hung request.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# SCO_CACHE=0 turns every cache off (responses, counts, facets); SCO_COUNT_CACHE, when set,
# decides counts and facets alone.
SCO_CACHE = env_bool("SCO_CACHE", default=True)
SCO_COUNT_CACHE = (
    env_bool("SCO_COUNT_CACHE", default=True) if os.environ.get("SCO_COUNT_CACHE") else None
)
# Cache-Control of anonymous responses: shared caches (nginx, a CDN) serve a page for at
# most s-maxage + stale-while-revalidate seconds after a change (deploy/README.md).
SCO_CACHE_S_MAXAGE = int(os.environ.get("SCO_CACHE_S_MAXAGE", "1"))
SCO_CACHE_STALE = int(os.environ.get("SCO_CACHE_STALE", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The reader site in three languages (issue #18): English unprefixed, /ru/…, /zh-hans/….
# The admin and the API stay English. Catalogues: locale/ (make messages).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as the site always wrote them ("28 July 2021"); Russian and Chinese use
# Django's own formats (sco_archive/formats/).
FORMAT_MODULE_PATH = ["sco_archive.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("SCO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Production defaults; behind a TLS-terminating proxy set
# DJANGO_SECURE_SSL_REDIRECT=0 and let the proxy send X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Cross-origin clients may read the validators they revalidate with (issue #16).
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "X-Count-Estimated"]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "sco_archive.renderers.ArchiveJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Anonymous clients: SCO_API_ANON_RATE requests per period; off when unset.
    "DEFAULT_THROTTLE_CLASSES": ["sco_archive.throttling.AnonArchiveThrottle"],
    # Throttles key on the real client address: see SCO_NUM_PROXIES below (issue #16).
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES") or 0),
}
SCO_API_ANON_RATE = os.environ.get("SCO_API_ANON_RATE") or None

SPECTACULAR_SETTINGS = {
    "TITLE": "SCO Archive API",
    "DESCRIPTION": (
        "Read-only access to the SCO Archive: events, claims with their citations, "
        "source articles, quotes, entities and series. Only published material is served. "
        "Curated data is available under CC BY 4.0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    # What the API refuses (NUL bytes, 414, 503) and links between operations (issue #16).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sco_archive.schema.declare_refusals",
    ],
}

SIMPLE_HISTORY_REVERT_DISABLED = False

# Called with each newly imported article (sources/importers.py): suggested draft claims.
# A plugin point, so that `sources` imports nothing of `events`.
SCO_IMPORT_HOOKS = ["events.suggest.suggest_for_article"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The public licence of the curated data (events, claims, entities).
SCO_DATA_LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


# -- Production hardening (issue #16) ------------------------------------------------------
# Proxies trusted to append the client's address to X-Forwarded-For (nginx in deploy/: 1).
# 0, the default: the address is REMOTE_ADDR and X-Forwarded-For is ignored — a client
# cannot pick its own address to dodge the API throttle or the login lockout.
SCO_NUM_PROXIES = int(os.environ.get("DJANGO_NUM_PROXIES") or 0)

# Login lockout (django-axes): after SCO_LOGIN_FAILURE_LIMIT failed logins for an
# account, or from one client address, any login of it — even with the right password —
# is refused for SCO_LOGIN_COOLOFF_SECONDS. The count is shared by every worker and
# machine: in the database, or in the shared cache when REDIS_URL is set.
AUTHENTICATION_BACKENDS = [
    "sco_archive.security.LoginLockoutBackend",  # axes' standalone backend, first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SCO_LOGIN_FAILURE_LIMIT") or 10)
AXES_COOLOFF_TIME = datetime.timedelta(
    seconds=float(os.environ.get("SCO_LOGIN_COOLOFF_SECONDS") or 900)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
# A lock lasts the cool-off from the tenth failure: attempts while locked do not extend it
# (else anyone could keep a colleague's account locked for good).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = "Too many failed sign-ins: this account is locked for a while."
AXES_CLIENT_IP_CALLABLE = "sco_archive.security.client_ip"
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if os.environ.get("REDIS_URL")
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_CACHE = "default"
AXES_VERBOSE = False

# What a client is told to wait (Retry-After) when the database is unreachable or
# read-only (sco_archive/faults.py).
SCO_RETRY_AFTER = int(os.environ.get("SCO_RETRY_AFTER") or 30)
