"""Settings, read from the environment only (``CUPURE_*``), through small typed helpers.

Every setting is documented in the README (tests/test_settings_documented.py
checks so). A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

from cupure.lib.datadir import SecretKeyProblem, data_dir, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def _env_number(name, default, kind, what, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected {what}") from None
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        bounds = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ImproperlyConfigured(f"{name}={value}: expected a number {bounds}")
    return value


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    return _env_number(name, default, int, "a whole number", minimum, maximum)


def env_float(name: str, default: float, minimum: float = 0.0) -> float:
    return _env_number(name, default, float, "a number", minimum)


def env_choice(name: str, default: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
    """One of ``choices`` (compared without regard to case), or a clear error naming the variable."""
    raw = env_str(name, default)
    value = raw.upper() if upper else raw.lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected {', '.join(choices[:-1])} or {choices[-1]}")
    return value


def env_time_zone(name: str, default: str = "UTC") -> str:
    """An IANA time zone name ("Europe/Paris"), checked against the zone database."""
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r}: expected a time zone name such as UTC or Europe/Paris") from None
    return value


def env_list(name: str, default: str) -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


def database_from_url(url: str, data_dir: Path) -> dict:
    """``sqlite:///path``, ``sqlite://`` (in the data dir) or ``postgres://user:pass@host:port/name``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:]) if parts.path.startswith("/") and len(parts.path) > 1 else ""
        return sqlite_database(Path(path) if path else data_dir / "cupure.sqlite3")
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        opts = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        pool_size = opts.pop("pool_size", "10")
        if not pool_size.isdigit() or not 1 <= int(pool_size) <= 1000:
            raise ImproperlyConfigured(
                f"CUPURE_DATABASE_URL: pool_size={pool_size!r}: expected a whole number of connections, 1 to 1000"
            )
        db = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "cupure",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 0,
            # With a pool, Django has psycopg test each connection as it is handed out: after the server
            # restarts, each process reconnects instead of failing one request or task per dead connection.
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"pool": {"min_size": 1, "max_size": int(pool_size)}, **opts},
        }
        return db
    raise ImproperlyConfigured(f"CUPURE_DATABASE_URL={url!r}: expected sqlite:///PATH or postgres://USER@HOST/NAME")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each thread's connection: opening one runs the PRAGMAs below, on every request otherwise.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue on the busy
        # timeout instead of failing with "database is locked" when a reader tries to upgrade.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456;",
        },
    }


DATA_DIR = data_dir()
DEBUG = env_bool("CUPURE_DEBUG", False)


# Read, never made here: the `cupure` command makes the key before Django starts (cupure.lib.datadir).
try:
    SECRET_KEY = secret_key(DATA_DIR)
except SecretKeyProblem as exc:
    raise ImproperlyConfigured(str(exc)) from None
ALLOWED_HOSTS = env_list("CUPURE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")


def _networks(name: str) -> list:
    """Addresses or networks (CIDR) from a comma-separated variable; a bad one fails loudly."""
    nets = []
    for value in env_list(name, ""):
        try:
            nets.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8, ::1)"
            ) from None
    return nets


# The reverse proxies in front of the site (cupure.lib.clients): requests from them are read for the
# client's address in X-Forwarded-For. Empty: no proxy, every request's own address is the client's.
TRUSTED_PROXIES = _networks("CUPURE_TRUSTED_PROXIES")
CSRF_TRUSTED_ORIGINS = env_list("CUPURE_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = env_str("CUPURE_SITE_NAME", "cupure")

HOST = env_str("CUPURE_HOST", "127.0.0.1")
PORT = env_int("CUPURE_PORT", 8000, 1, 65535)
# The site's public address, for links in emails the worker sends (digests), where no request says it.
SITE_URL = env_str("CUPURE_SITE_URL", f"http://{HOST}:{PORT}").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"CUPURE_SITE_URL={SITE_URL!r}: expected the site's address, http(s)://host[:port]")
WEB_WORKERS = env_int("CUPURE_WEB_WORKERS", 2, 1, 64)
WEB_THREADS = env_int("CUPURE_WEB_THREADS", 4, 1, 64)
WORKER_PROCESSES = env_int("CUPURE_WORKER_PROCESSES", os.cpu_count() or 1, 1, 64)
SCHEDULER_INTERVAL = env_float("CUPURE_SCHEDULER_INTERVAL", 10.0, 0.5)
# How long a feed stays a worker's without news from it: a running refresh renews its lease every third
# of this (a heartbeat, whatever the refresh is waiting on), and a worker killed mid-refresh (kill -9, a
# lost machine) frees the feed when it runs out; the scheduler then enqueues it again.
FEED_LEASE = timedelta(seconds=env_int("CUPURE_FEED_LEASE_SECONDS", 300, 2))

STARTER_SOURCES = env_bool("CUPURE_STARTER_SOURCES", True)

# Fetching (cupure.ingest.fetch).
ALLOW_PRIVATE_NETWORKS = env_bool("CUPURE_ALLOW_PRIVATE_NETWORKS", False)
FETCH_TIMEOUT = env_float("CUPURE_FETCH_TIMEOUT", 15.0, 0.1)
FETCH_DEADLINE = env_float("CUPURE_FETCH_DEADLINE", 45.0, 0.1)
FETCH_MAX_BYTES = env_int("CUPURE_FETCH_MAX_BYTES", 10 * 1024 * 1024, 1024)
FETCH_PER_HOST = env_int("CUPURE_FETCH_PER_HOST", 2, 1, 64)
FETCH_THREADS = env_int("CUPURE_FETCH_THREADS", 4, 1, 64)
POLL_FLOOR_MINUTES = env_int("CUPURE_POLL_FLOOR_MINUTES", 5, 1)
POLL_CEILING_MINUTES = env_int("CUPURE_POLL_CEILING_MINUTES", 24 * 60, 1)
if POLL_CEILING_MINUTES < POLL_FLOOR_MINUTES:
    raise ImproperlyConfigured("CUPURE_POLL_CEILING_MINUTES must not be below CUPURE_POLL_FLOOR_MINUTES")

# Addresses that may read /metrics (Prometheus). Behind a reverse proxy every request comes from the
# proxy's address: keep /metrics off the proxy (see docs/deploy.md).
METRICS_ALLOW = env_list("CUPURE_METRICS_ALLOW", "127.0.0.1,::1")


# Prometheus counters from every process (web workers, task runners) meet in files here (cupure.ops.metrics).
# Not in the data directory: prometheus_client memory-maps them, and a memory-mapped file that cannot grow
# on a full disk kills its process with SIGBUS (every web worker at once). In memory (/dev/shm) they are
# off that disk, and lost only on a reboot, which resets the counters anyway. One folder per data directory.
def _metrics_dir() -> Path:
    chosen = env_str("CUPURE_METRICS_DIR")
    if chosen:
        return Path(chosen)
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / f"cupure-metrics-{hashlib.sha256(str(DATA_DIR.resolve()).encode()).hexdigest()[:12]}"


METRICS_DIR = _metrics_dir()
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(METRICS_DIR)  # made by cupure.ops.metrics: settings only read

DATABASES = {
    "default": database_from_url(env_str("CUPURE_DATABASE_URL", "sqlite://"), DATA_DIR),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "cupure.news",
    "cupure.sources",
    "cupure.accounts",
    "cupure.comments",
    "cupure.readers",
    "cupure.ops",
]

MIDDLEWARE = [
    # Outermost, so it also sees what the other middleware answer (a 500, a bad host) to API clients.
    "cupure.api.errors.JsonErrorsMiddleware",
    "cupure.lib.middleware.NullCharactersMiddleware",
    "cupure.ops.metrics.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cupure.lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cupure.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cupure.ops.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: it answers for the view's own writes.
    "cupure.lib.middleware.StorageFullMiddleware",
]

ROOT_URLCONF = "cupure.urls"
WSGI_APPLICATION = "cupure.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cupure" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cupure.news.context.site",
            ],
        },
    },
]

# Readers' accounts. Argon2 hashes passwords; PBKDF2 stays to read hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["cupure.accounts.backends.ProfileBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LOGIN_ATTEMPTS = env_int("CUPURE_LOGIN_ATTEMPTS", 5, 1)
LOGIN_ATTEMPTS_PER_ADDRESS = env_int("CUPURE_LOGIN_ATTEMPTS_PER_ADDRESS", 20, 1)

# Email (password resets, reply notifications): printed to the console unless an SMTP host is set.
SMTP_HOST = env_str("CUPURE_SMTP_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if SMTP_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = SMTP_HOST
EMAIL_PORT = env_int("CUPURE_SMTP_PORT", 587, 1, 65535)
EMAIL_HOST_USER = env_str("CUPURE_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("CUPURE_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("CUPURE_SMTP_TLS", True)
DEFAULT_FROM_EMAIL = env_str("CUPURE_EMAIL_FROM", "cupure <noreply@localhost>")

# Comments.
COMMENTS_MAX_LENGTH = env_int("CUPURE_COMMENTS_MAX_LENGTH", 5000, 100)
COMMENTS_HOLD_FIRST = env_int("CUPURE_COMMENTS_HOLD_FIRST", 0, 0)
COMMENTS_FLAGS_TO_HIDE = env_int("CUPURE_COMMENTS_FLAGS_TO_HIDE", 3, 1)
COMMENTS_PER_MINUTE = env_int("CUPURE_COMMENTS_PER_MINUTE", 5, 1)
COMMENTS_PER_HOUR = env_int("CUPURE_COMMENTS_PER_HOUR", 30, 1)
COMMENTS_PER_ADDRESS_MINUTE = env_int("CUPURE_COMMENTS_PER_ADDRESS_MINUTE", 20, 1)
COMMENTS_EDIT_WINDOW = timedelta(minutes=env_int("CUPURE_COMMENTS_EDIT_MINUTES", 15, 0))


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
TIME_ZONE = env_time_zone("CUPURE_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cupure" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The data dir holds the SQLite database, the generated secret key and collected static files (its folder made
# with the key by cupure.lib.datadir.prepare).

# The cache: Redis when CUPURE_REDIS_URL is set (shared by every process and machine), else each
# process's memory. Anonymous readers' pages are cached there (cupure.ops.pagecache) unless CUPURE_PAGE_CACHE=0.
REDIS_URL = env_str("CUPURE_REDIS_URL")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in ("redis", "rediss", "unix"):
    raise ImproperlyConfigured(
        f"CUPURE_REDIS_URL={REDIS_URL!r}: expected redis://HOST:PORT/DB, rediss://... or unix://PATH"
    )
# The cache tolerates Redis going away (pages are built fresh meanwhile): cupure.lib.cache.
CACHES = {
    "default": {"BACKEND": "cupure.lib.cache.TolerantRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "cupure"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
}
PAGE_CACHE = env_bool("CUPURE_PAGE_CACHE", True)

# Background tasks (Django's tasks API). "database": rows in the database, claimed by `cupure worker`s
# anywhere with SKIP LOCKED on PostgreSQL. "redis": RQ queues in CUPURE_REDIS_URL, for the largest sites.
TASK_QUEUE = env_choice("CUPURE_TASK_QUEUE", "redis" if REDIS_URL else "database", ("database", "redis"))
if TASK_QUEUE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASK_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("CUPURE_TASK_QUEUE=redis needs CUPURE_REDIS_URL (redis://HOST:PORT/DB)")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ stops a job that runs for an hour: a refresh that long is stuck (every fetch has a deadline).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    RQ_SHOW_ADMIN_LINK = False

# Sessions are read on every signed-in request: from this process's cache first, the database behind it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (behind the proxy of docs/deploy.md, which says so in X-Forwarded-Proto and drops the
# header a client sends): cookies travel only over HTTPS, and browsers are told to use nothing else (HSTS).
HTTPS = env_bool("CUPURE_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("CUPURE_HSTS_SECONDS", 365 * 24 * 3600, 0)
# Every page's Content-Security-Policy (cupure.lib.middleware): scripts and styles only from the site
# itself, pictures from anywhere on the web (publishers' lead images), no plugins, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'" + ("; upgrade-insecure-requests" if HTTPS else "")
)

LOG_LEVEL = env_choice("CUPURE_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), upper=True)
# Structured logs (cupure.lib.logs): "text" lines with key=value fields, or one JSON object a line.
LOG_FORMAT = env_choice("CUPURE_LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"text": {"()": "cupure.lib.logs.TextFormatter"}, "json": {"()": "cupure.lib.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "trafilatura": {"level": "ERROR"},
        "htmldate": {"level": "ERROR"},
        "charset_normalizer": {"level": "ERROR"},
    },
}
