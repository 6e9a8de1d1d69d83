"""Settings for the S&T information platform, read from environment variables.

Every variable is documented in `.env.example`. With no variable set the platform runs on
the embedded default: SQLite (WAL mode), local files and a tantivy index under one data
folder (`STI_DATA_DIR`, default `./var`), background tasks in the database.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

# A `.env` file in the working directory fills in variables that are not already set.
load_dotenv(Path.cwd() / ".env", override=False)

BASE_DIR = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------
# Typed helpers
# ---------------------------------------------------------------------------
def env(name: str, default: str = "") -> str:
    """Read a variable; `NAME_FILE` (a path) wins over `NAME`, for secrets kept in files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name, "")
    if not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


TESTING = envbool("STI_TESTING", False)

DATA_DIR = Path(env("STI_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one into the data folder on first run."""
    given = env("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Trung tâm Thông tin KH&CN TP. Cần Thơ")
SITE_OWNER = env("SITE_OWNER", "Sở Khoa học và Công nghệ TP. Cần Thơ")
SITE_ADDRESS = env("SITE_ADDRESS", "02 Lý Thường Kiệt, Ninh Kiều, Cần Thơ")

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_filters",
    "ninja",  # its static Swagger UI: /api/docs works on a closed network
    "django_tasks",
    "django_tasks_db",
    "axes",
    "sti.core",
    "sti.accounts",
    "sti.directory",
    "sti.search",
    "sti.library",
    "sti.projects",
    "sti.training",
    "sti.news",
    "sti.servicedesk",
    "sti.alerts",
    "sti.ip",
    "sti.thesaurus",
    "sti.market",
    "sti.harvest",
    "sti.publishing",
    "sti.stats",
    "sti.analytics",  # the top floor: leader dashboards and reports
    "sti.portal",  # last: the top floor, above every domain app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sti.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sti.core.middleware.LoginForAnonymousMiddleware",
    # After sessions, CSRF, users and messages, whose state it reads (sti.core.pagecache).
    "sti.core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sti.urls"
WSGI_APPLICATION = "sti.wsgi.application"

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
                "django.template.context_processors.i18n",
                "sti.portal.context_processors.site",
                # Last: replaces Django's CSRF token on pages the page cache may keep.
                "sti.core.pagecache.csrf_placeholder",
            ],
        },
    }
]
# Django's form renderer, with select boxes written in Python (hundreds of options each).
FORM_RENDERER = "sti.core.forms.FastSelectRenderer"

# ---------------------------------------------------------------------------
# Database: SQLite (WAL) by default, DATABASE_URL for PostgreSQL
# ---------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "sti.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while the worker writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the tests log in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = envint("STI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("STI_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@sti.cantho.gov.vn")

# ---------------------------------------------------------------------------
# Internationalisation: Vietnamese first, English second
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's Vietnamese formats group no digits: ours add grouping by thousands (intcomma).
FORMAT_MODULE_PATH = ["sti.formats"]
TIME_ZONE = env("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and uploaded files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "files")))


def s3_storage(
    *, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str
) -> dict:
    """The STORAGES entry of an S3-compatible bucket (django-storages' boto3 backend); the
    tests build theirs for a local moto server with it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or None,
            "signature_version": "s3v4",
            # Path-style URLs: MinIO, Ceph and moto name the bucket in the path.
            "addressing_style": "path",
            # Objects stay private: every download goes through Django's access check.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # An upload never replaces another under the same name (content-addressed blobs
            # are written under their own hash, and only when absent).
            "file_overwrite": False,
        },
    }


# Files of every app: local files under MEDIA_ROOT (default), or an S3-compatible bucket
# (`STI_STORAGE=s3`) shared by every web host and worker. MEDIA_ROOT stays a local scratch
# folder then (uploads are spooled and hashed there before they are stored).
STI_STORAGE = env("STI_STORAGE", "local").strip().lower()
if STI_STORAGE not in ("local", "s3"):
    raise ValueError(f"STI_STORAGE must be 'local' or 's3', not {STI_STORAGE!r}")
STORAGES = {
    "default": (
        s3_storage(
            endpoint_url=env("STI_S3_ENDPOINT_URL"),
            bucket=env("STI_S3_BUCKET", "sti"),
            access_key=env("STI_S3_ACCESS_KEY"),
            secret_key=env("STI_S3_SECRET_KEY"),
            region=env("STI_S3_REGION", "us-east-1"),
        )
        if STI_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STI_MAX_UPLOAD_MB = envint("STI_MAX_UPLOAD_MB", 200)
# Behind nginx: downloads answer with X-Accel-Redirect to this internal location (aliased to
# MEDIA_ROOT) and nginx sends the bytes; empty: Django streams them (sti.core.downloads).
STI_X_ACCEL_PREFIX = env("STI_X_ACCEL_PREFIX", "")
# On S3: a public file's download is a redirect to a presigned URL of the bucket, valid this
# many seconds (the bucket's endpoint must then be reachable by browsers); off: streamed.
STI_S3_PRESIGNED_DOWNLOADS = envbool("STI_S3_PRESIGNED_DOWNLOADS", False)
STI_S3_PRESIGNED_SECONDS = envint("STI_S3_PRESIGNED_SECONDS", 60)
# Digital library: OAI-PMH repository identity and page size (records per response).
STI_OAI_REPOSITORY_ID = env("STI_OAI_REPOSITORY_ID", "sti.cantho.gov.vn")
STI_OAI_ADMIN_EMAIL = env("STI_OAI_ADMIN_EMAIL", "thuvien@sti.cantho.gov.vn")
STI_OAI_PAGE_SIZE = envint("STI_OAI_PAGE_SIZE", 200)
# Harvesting partner repositories (sti.harvest): how the center names itself to them, the
# default pause between requests, retries of transient HTTP errors, and after how many days
# of failures the status page warns about a source.
STI_HARVEST_USER_AGENT = env(
    "STI_HARVEST_USER_AGENT", "STI-CanTho-Harvester/1.0 (+mailto:thuvien@sti.cantho.gov.vn)"
)
STI_HARVEST_DELAY_SECONDS = float(env("STI_HARVEST_DELAY_SECONDS", "1.0"))
STI_HARVEST_RETRIES = envint("STI_HARVEST_RETRIES", 4)
STI_HARVEST_BACKOFF_SECONDS = float(env("STI_HARVEST_BACKOFF_SECONDS", "2.0"))
STI_HARVEST_TIMEOUT_SECONDS = float(env("STI_HARVEST_TIMEOUT_SECONDS", "60"))
STI_HARVEST_ALERT_DAYS = envint("STI_HARVEST_ALERT_DAYS", 3)
# Sources on loopback, private, link-local or reserved addresses are refused (an editor must
# not make the server fetch its own network), except on these host names: the demo partners
# served by the platform itself (`sti demo` adds its host), an intranet partner.
STI_HARVEST_PRIVATE_HOSTS = envlist("STI_HARVEST_PRIVATE_HOSTS", [])
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------
STI_SEARCH_BACKEND = env("STI_SEARCH_BACKEND", "sti.search.backends.tantivy_backend.TantivyBackend")
STI_SEARCH_INDEX_DIR = Path(env("STI_SEARCH_INDEX_DIR", str(DATA_DIR / "index")))
STI_SEARCH_WRITER_HEAP_MB = envint("STI_SEARCH_WRITER_HEAP_MB", 256)
# A change still waiting for the index after this many seconds had its task lost (a worker
# killed mid-run): the workers' periodic sweep enqueues it again.
STI_INDEX_RETRY_SECONDS = envint("STI_INDEX_RETRY_SECONDS", 60)
# The PostgreSQL search backend (sti.search.backends.postgres_backend.PostgresBackend): its
# database (default: the platform's own, when it is PostgreSQL) and its table.
STI_SEARCH_DATABASE_URL = env("STI_SEARCH_DATABASE_URL", "")
STI_SEARCH_PG_TABLE = env("STI_SEARCH_PG_TABLE", "sti_search_document")
STI_SEARCH_PG_RUM = env("STI_SEARCH_PG_RUM", "1") not in ("0", "false", "no")
# Saved-search alerts: digests go out from this local hour; each reaches this many hours back
# past the previous one (records indexed late); the worker checks for due digests this often.
STI_ALERTS_DIGEST_HOUR = envint("STI_ALERTS_DIGEST_HOUR", 7)
STI_ALERTS_LOOKBACK_HOURS = envint("STI_ALERTS_LOOKBACK_HOURS", 24)
STI_ALERTS_CHECK_SECONDS = envint("STI_ALERTS_CHECK_SECONDS", 3600)
STI_ALERTS_FEED_DAYS = envint("STI_ALERTS_FEED_DAYS", 90)
# A proposal whose closest task or document scores at least this (cosine, 0–1) is flagged.
# Chosen on the labelled set bench/data/duplicates/ with the thesaurus expanding (bench/duplicates.py
# prints it: 0.257, between the lowest rewording 0.297 and the highest other proposal 0.217).
STI_DUPLICATE_THRESHOLD = float(env("STI_DUPLICATE_THRESHOLD", "0.26"))
# Each process checks the thesaurus's revision (one small query) at most this often, so an
# edit made in another process reaches its query expansion within this many seconds (the
# process that made it sees it at once). Tests: never on its own (query pins stay fixed).
STI_THESAURUS_CHECK_SECONDS = envint("STI_THESAURUS_CHECK_SECONDS", 3600 * 24 if TESTING else 5)
# Corpora up to this many records build the duplicate-check matrix inside the request;
# larger ones are rebuilt by the worker while the page says so.
STI_SIMILARITY_INLINE_MAX = envint("STI_SIMILARITY_INLINE_MAX", 5000)
# Published statistics never show a figure summed over fewer organizations than this (one
# organization's own report); the smallest other group of the same cut is hidden with it.
STI_STATS_MIN_PUBLIC_GROUP = envint("STI_STATS_MIN_PUBLIC_GROUP", 3)

# ---------------------------------------------------------------------------
# Background tasks (Django Tasks API)
# ---------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
TASK_BACKEND = env(
    "STI_TASK_BACKEND",
    "immediate" if TESTING else ("rq" if REDIS_URL else "database"),
)
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND]}}
# A running tracked job is held under a lease its worker renews; a job whose lease expired
# (its worker died) is taken again by a live worker, and failed after this many runs.
STI_JOB_LEASE_SECONDS = float(env("STI_JOB_LEASE_SECONDS", "60"))
STI_JOB_MAX_ATTEMPTS = envint("STI_JOB_MAX_ATTEMPTS", 3)
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]  # django_rq: `rqworker`
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

CACHES = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        # Shared by every web host: a write on one host makes the pages stale on all.
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        },
    }
    if REDIS_URL and not TESTING
    else {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            # Bounded in bytes too: junk URL arguments make new pages (sti.core.pagecache).
            "BACKEND": "sti.core.pagecache.BoundedLocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {
                "MAX_ENTRIES": 1000,
                "MAX_BYTES": envint("STI_PAGE_CACHE_MEMORY_MB", 64) << 20,
            },
        },
    }
)
# Anonymous page cache (sti.core.pagecache): how long a page may be kept at most (what time
# alone changes, such as an embargo's end, shows after this); 0 turns it off. Every write
# makes the kept pages stale at once.
# Off in the test suite unless asked for (query-count pins measure the rendering); the page
# cache's own tests switch it on.
PAGE_CACHE_SECONDS = envint("STI_PAGE_CACHE_SECONDS", 0 if TESTING else 60)
PAGE_CACHE_MAX_BYTES = envint("STI_PAGE_CACHE_MAX_BYTES", 1 << 20)

# ---------------------------------------------------------------------------
# Security in production
# ---------------------------------------------------------------------------
# Every `sti check --deploy` warning is cleared by these variables (.env.example, section
# "Production over HTTPS"); the embedded default serves plain HTTP on 127.0.0.1.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# Health checks from the proxy or the load balancer may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = envlist("SECURE_REDIRECT_EXEMPT", [])
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# No page of the platform is meant to be shown inside a frame.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "sti": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
