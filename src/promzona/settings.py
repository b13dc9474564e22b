"""Django settings, driven by ``PROMZONA_*`` environment variables.

``PROMZONA_DATABASE_URL``  PostgreSQL (``postgres://user:pass@host/db``); default: SQLite in ``var/``.
``PROMZONA_VAR_DIR``       where the SQLite file, uploads and the dev secret key live (``var/``).
``PROMZONA_DEBUG``         ``1`` for Django's debug pages (never in production).
``PROMZONA_PRODUCTION``    ``1`` turns on HTTPS-only cookies, HSTS and redirects; requires
                           ``PROMZONA_SECRET_KEY`` and ``PROMZONA_ALLOWED_HOSTS``.
``PROMZONA_TILE_URL``      optional raster tile server (e.g. OpenStreetMap) for the maps' street
                           layer; its origin is allowed for images in the Content-Security-Policy.
``PROMZONA_SATELLITE_URL`` optional satellite imagery tile server, likewise (a second base layer).
``PROMZONA_TILE_ATTRIBUTION``, ``PROMZONA_SATELLITE_ATTRIBUTION``  the text each layer credits
                           (OpenStreetMap's by default for an openstreetmap.org URL).
``PROMZONA_OFFER_RATE``    offer PDFs one address may have rendered anonymously (``10/600``).
The rest (mail, proxies, tasks, logs, metrics) is in the settings table of ``docs/deploy.md``.
"""

import importlib.util
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PROMZONA_VAR_DIR", Path.cwd() / "var")).resolve()
PROMZONA_VAR_DIR = VAR_DIR


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("PROMZONA_SECRET_KEY")
    if key:
        return key
    if _flag("PROMZONA_PRODUCTION"):
        raise RuntimeError("PROMZONA_SECRET_KEY must be set in production")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


PRODUCTION = _flag("PROMZONA_PRODUCTION")
DEBUG = _flag("PROMZONA_DEBUG") and not PRODUCTION
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PROMZONA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI at /api/docs from its own static files, not a CDN
    "promzona.accounts",
    "promzona.audit",
    "promzona.zones",
    "promzona.api",
    "promzona.applications",
    "promzona.demo",
    "promzona.geodata",
    "promzona.web",
    "promzona.matching",
    "promzona.sectors",
    "promzona.instructions",
    "promzona.news",
    "promzona.works",
    "promzona.projects",
    "promzona.outbox",
    "promzona.optimise",
    "promzona.enquiries",
    "promzona.dashboard",
    "promzona.ops",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: every answer gets the policies, errors of the middleware below included.
    "csp.middleware.CSPMiddleware",
    "promzona.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "promzona.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "promzona.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "promzona.middleware.RefuseMalformedMiddleware",
    "promzona.web.feedback.BusinessErrorsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "promzona.urls"
WSGI_APPLICATION = "promzona.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "promzona.web.context_processors.site",
                "promzona.web.pagecache.context",
            ],
        },
    },
]

_database_url = os.environ.get("PROMZONA_DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "promzona.sqlite3",
            # Kept open per thread, as PostgreSQL's are: opening one (with its PRAGMAs) cost a
            # cached page more than serving it.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
# Where ``promzona backup`` writes (``PROMZONA_BACKUP_DIR``).
PROMZONA_BACKUP_DIR = Path(os.environ.get("PROMZONA_BACKUP_DIR", VAR_DIR / "backups")).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Leaflet comes from the django-leaflet package's static files (no CDN). Only its files are used:
# the app itself needs GDAL (GeoDjango), which promzona does without.
_leaflet_spec = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [Path(_leaflet_spec.origin).parent / "static"] if _leaflet_spec else []
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FORMS_URLFIELD_ASSUME_HTTPS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Mail: SMTP when ``PROMZONA_SMTP_HOST`` is set, else printed to the console.
EMAIL_HOST = os.environ.get("PROMZONA_SMTP_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("PROMZONA_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("PROMZONA_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("PROMZONA_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PROMZONA_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("PROMZONA_SMTP_STARTTLS")
EMAIL_USE_SSL = _flag("PROMZONA_SMTP_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise RuntimeError("PROMZONA_SMTP_STARTTLS and PROMZONA_SMTP_SSL exclude each other.")
# Seconds; a stuck mail server must not hold a worker.
EMAIL_TIMEOUT = int(os.environ.get("PROMZONA_SMTP_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("PROMZONA_FROM_EMAIL", "promzona@localhost")

# Background work (django-tasks): the database backend, run by ``promzona worker``;
# ``PROMZONA_TASKS=immediate`` runs each task at once in the process that enqueues it.
TASKS = {"default": {"BACKEND": {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[os.environ.get("PROMZONA_TASKS", "database")]}}

# Reverse proxies whose ``X-Forwarded-For`` names the client (addresses or networks,
# comma-separated); any other peer is the client itself.
def _networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(a.strip(), strict=False)
                for a in os.environ.get(name, default).split(",") if a.strip()]
    except ValueError as exc:
        raise RuntimeError(f"{name}: {exc}") from None


PROMZONA_TRUSTED_PROXIES = _networks("PROMZONA_TRUSTED_PROXIES", "")
# Who may read ``/metrics`` (Prometheus): addresses or networks, comma-separated.
PROMZONA_METRICS_ALLOW = _networks("PROMZONA_METRICS_ALLOW", "127.0.0.1,::1")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    # Health checks and metrics are asked for over plain HTTP on the machine itself.
    SECURE_REDIRECT_EXEMPT = [r"^api/health", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error, one JSON object a line (``PROMZONA_LOG_FORMAT=text`` for plain
# lines); ``PROMZONA_LOG_LEVEL`` (``INFO``).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(levelname)s %(name)s %(process)d %(message)s", "timestamp": True,
                 "rename_fields": {"levelname": "level", "name": "logger"}},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": os.environ.get(
                                 "PROMZONA_LOG_FORMAT", "json" if PRODUCTION else "text")}},
    "root": {"handlers": ["console"], "level": os.environ.get("PROMZONA_LOG_LEVEL", "INFO")},
}

# Map settings shared by the admin preview and the portal: raster base layers besides the
# offline vector base, each with the credit its provider asks for (shown as text).
PROMZONA_TILE_URL = os.environ.get("PROMZONA_TILE_URL", "")
PROMZONA_TILE_ATTRIBUTION = os.environ.get(
    "PROMZONA_TILE_ATTRIBUTION",
    "© OpenStreetMap contributors" if "openstreetmap.org" in PROMZONA_TILE_URL else "")
PROMZONA_SATELLITE_URL = os.environ.get("PROMZONA_SATELLITE_URL", "")
PROMZONA_SATELLITE_ATTRIBUTION = os.environ.get("PROMZONA_SATELLITE_ATTRIBUTION", "")
# Where a map opens when no zone has a geometry yet: the whole of Kazakhstan, as
# (south, west, north, east) in degrees of WGS 84. Once zones exist, maps open on them.
PROMZONA_MAP_DEFAULT_BOUNDS = (40.5, 46.5, 55.5, 87.4)


def _tile_origin(url: str, name: str = "PROMZONA_TILE_URL") -> list[str]:
    """The CSP source of the tile server's images: ``https://{s}.tile.example.org/{z}/…``
    gives ``https://*.tile.example.org``."""
    if not url:
        return []
    parts = urlsplit(url)
    host = parts.netloc
    if host.startswith("{") and "}." in host:
        host = "*" + host[host.index("}."):].replace("}", "", 1)
    if parts.scheme not in ("https", "http") or not host or "{" in host or "@" in host:
        raise RuntimeError(f"{name} must be an http(s) URL whose host has no "
                           "placeholder other than a leading {s}.")
    return [f"{parts.scheme}://{host}"]


# Content-Security-Policy (django-csp): scripts, styles, fonts and requests only from this
# site; no inline script, style or event handler; images also from the tile server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origin(PROMZONA_TILE_URL),
                    *_tile_origin(PROMZONA_SATELLITE_URL, "PROMZONA_SATELLITE_URL")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of promzona uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# In the database, so every app server shares them (the table is made by a migration).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "promzona_cache", "OPTIONS": {"MAX_ENTRIES": 5000}},
    # Rendered offer and passport PDFs (about 200 KB each), apart so they cannot crowd out the pages.
    "offers": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
               "LOCATION": "promzona_cache_offers", "OPTIONS": {"MAX_ENTRIES": 100}},
}
# Offer PDFs one address may have rendered without logging in: (count, per seconds). Cached
# answers do not count. ``PROMZONA_OFFER_RATE=10/600``.
PROMZONA_OFFER_RATE = tuple(
    int(n) for n in os.environ.get("PROMZONA_OFFER_RATE", "10/600").split("/", 1))
# A passport whose key facts were verified longer ago than this is flagged as stale.
PROMZONA_STALE_AFTER_DAYS = int(os.environ.get("PROMZONA_STALE_AFTER_DAYS", "365"))
# Where the site is reached: every link in an email is made from it, never from a request's Host.
PROMZONA_BASE_URL = os.environ.get("PROMZONA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(PROMZONA_BASE_URL)
if _base.scheme not in ("http", "https") or not _base.netloc or _base[2:] != ("", "", ""):
    raise RuntimeError("PROMZONA_BASE_URL must be http(s)://host[:port], with no path.")
