"""One settings module for every environment, driven by environment variables.

Defaults are safe for production (DEBUG off, secure cookies, no default secret);
development opts in with DEBUG=true, which also allows a throwaway secret key.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import CSV, XLSX

from bscb.core.spreadsheets import FormulaSafeCSV

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "bscb.core.apps.BoardAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    # Drag-and-drop order of the report's sections in the back office.
    "adminsortable2",
    "rules.apps.AutodiscoverRulesConfig",
    "reversion",
    "concurrency",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Backup codes: one-use codes for when the phone is not to hand.
    "django_otp.plugins.otp_static",
    "two_factor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "bscb.core",
    "bscb.notices",
    "subgroups",
    "meetings",
    "reviews",
    "training",
    "funding",
    "bscb.reports",
]

MIDDLEWARE = [
    # Outermost: one log line a request, timed around everything below (bscb/core/logs.py).
    "bscb.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The load balancer's /healthz, before the Host check, sessions, CSRF, sign-in, the
    # outage page and stored pages: none of them may answer for it or write for it.
    "bscb.core.health.HealthMiddleware",
    # Before anything answers, stored pages included: unknown hosts, methods other than
    # GET, HEAD and POST, and control characters in the address are refused.
    "bscb.core.security.RequestGuardMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Outside the stored-page middleware, so that stored pages get the header too.
    "bscb.core.security.CacheControlMiddleware",
    # A 503 with Retry-After, never a 500, when the database cannot be reached.
    "bscb.core.security.DatabaseUnavailableMiddleware",
    "bscb.core.security.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored pages of published editions for readers not signed in: served like static files.
    "bscb.reports.editions.EditionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware, so that the session it marks changed is saved on the way out.
    "bscb.core.security.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bscb.core.security.SignOutEverywhereMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "concurrency.middleware.ConcurrencyMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bscb.urls"
WSGI_APPLICATION = "bscb.wsgi.application"

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
                "bscb.core.context_processors.site",
            ],
        },
    },
]

# SQLite file by default so the project runs with no setup; PostgreSQL when
# DATABASE_URL says so. Persistent connections with health checks: PostgreSQL
# pages ran about 7 times slower with a new connection per request.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that does not answer: a PostgreSQL connection gives up after a few seconds, so
# pages answer the outage's 503 and /healthz its own, instead of holding a server process
# until the operating system's TCP timeout. A connect_timeout in DATABASE_URL wins.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )
# SQLite with a worker process beside the server: a transaction that reads and then writes
# (publishing's store) fails at once with "database is locked" when another process writes
# meanwhile; taking the write lock at BEGIN makes it wait its turn (up to `timeout` seconds).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# rules answers object permissions (who may touch which group's work), after
# Django's model permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]

# Sign-in: five failures for one user name from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address counted is the reader's, not nginx's: one rule, bscb.core.security.client_address
# (the setting is not named AXES_PROXY_COUNT: axes takes that name for a deprecated one).
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "bscb.core.security.client_address"
# Two-factor sign-in (a password, then a time-based code from an authenticator app),
# required in production by default: for staff, who see drafts and change records, and
# for chairs, whose groups' plans answer case reviews. The rule is bscb.core.roles.is_trusted.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_REQUIRED_FOR_CHAIRS = env_bool("OTP_REQUIRED_FOR_CHAIRS", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Board business")
# The admin's login sends people to the one sign-in page itself (bscb/admin_site.py).
TWO_FACTOR_PATCH_ADMIN = False
# A session ends after 30 minutes without a request: its expiry slides forward when it is
# saved, which a request does at most once a minute (bscb.core.security.SessionRefreshMiddleware)
# rather than on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_REFRESH_SECONDS = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
FORMAT_MODULE_PATH = ["bscb.formats"]
USE_TZ = True

PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# An uploaded learning file may be this large at most (20 MB by default).
LEARNING_FILE_MAX_BYTES = int(os.environ.get("LEARNING_FILE_MAX_BYTES", str(20 * 1024 * 1024)))

# A meeting's agenda goes out to its members this many working days before it meets.
AGENDA_WORKING_DAYS = int(os.environ.get("AGENDA_WORKING_DAYS", "5"))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Media (the editions' PDFs): a filesystem shared by every app server and the worker by
# default (MEDIA_ROOT); an S3-compatible object store with MEDIA_STORAGE=s3 (django-storages:
# the bucket in S3_BUCKET, S3_ENDPOINT_URL for a store other than Amazon's, credentials
# from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as boto3 reads them). Files stay
# private: each is handed out by a view, through a link signed for a short while.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    # Uploaded learning files, under PRIVATE_MEDIA_ROOT: served only by a view that checks
    # the embargo (reviews.views.learning_file).
    "private": {"BACKEND": "bscb.core.uploads.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "bscb.core.staticfiles.ManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "home"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "board-business@localhost")
# Escalations go to each group's chairs and to the support team's shared mailbox.
SUPPORT_TEAM_EMAIL = os.environ.get("SUPPORT_TEAM_EMAIL", "support-team@localhost")
# The site's address, for links in emails (sent by commands, with no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes each app server over plain HTTP (bscb/core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Trust X-Forwarded-Proto only behind a proxy that sets it; otherwise a client could claim HTTPS.
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Public pages may be kept this long by browsers and proxies; signed-in pages never.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
# No page uses any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# A strict Content Security Policy: no inline script or style anywhere; scripts need
# the page's nonce. The one exception (an admin export page) is in bscb/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Spreadsheets staff exchange with booking systems and finance: CSV and Excel.
IMPORT_FORMATS = [CSV, XLSX]
# CSV exports are written by defusedcsv, and import-export's own escaping keeps a cell that
# begins with "=" from becoming a formula in Excel files: no exported cell runs as a formula.
EXPORT_FORMATS = [FormulaSafeCSV, XLSX]
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# A control character in a record would otherwise stop the Excel export.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# Importing and exporting each need their own permission (import_<model>, export_<model>);
# without these codes django-import-export lets anyone who reaches the list import.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

# A cache shared by every app server (Redis, through Django's cache framework), where one
# is configured: CACHE_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/0. The current
# editions' identity is then read from it (one cache read a request) instead of from the
# database (one small query a request); see bscb.reports.editions.current_generation.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered fragments of report pages, each keyed by a digest of the records it is drawn
    # from (bscb.reports.report.summary_key): a changed record makes a new key, so a fragment
    # can never be stale and may be kept in each server's own memory, whatever the default is.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
        # About 3 KB each: at most some 15 MB a server process.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Report pages drawn for a signed-in reader (bscb.reports.report.kept_for) and whole
    # admin list pages (bscb.core.admin_base.list_page_key), each keyed by the generation of
    # the records (bscb.core.changes) it was drawn at: a change makes a new key, so these too
    # are never stale in one server's memory. Up to some 300 KB each at 10 times the demo
    # year's meetings: at most about 60 MB a server process.
    "drawn": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "drawn",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bscb"),
        # A cache that does not answer must not hold a page for long: the database decides.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
EDITIONS_SHARED_CACHE = bool(CACHE_URL)

# Publishing an edition makes its PDF (about 2 s); tests switch it off where they do not read it.
EDITION_PDF = env_bool("EDITION_PDF", True)

# Long work (publishing, the PDF, imports, exports, the meeting pack, emails) runs as tasks.
# The database backend needs no other service: `manage.py db_worker` runs what is queued.
# TASK_BACKEND=immediate runs each task inside the request that queues it.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASK_BACKEND", "database")],
    }
}

# Seconds without progress after which a running publishing task is taken for dead (its
# worker killed half-way: the task stays "running" for ever) and the progress page says so.
# Publishing reports progress after every page, so a live task is never this quiet.
PUBLISHING_STALLED_AFTER = int(os.environ.get("PUBLISHING_STALLED_AFTER", "60"))
# How often `manage.py worker` records that it is alive (/healthz reads it).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))

# What `manage.py run_daily` runs, in this order (deploy/systemd/bscb-daily.timer starts it):
# embargoes released first, so that the day's emails see the republished report; then the
# reminders, the escalation of what is overdue (send_notices --daily runs `escalate`'s
# work too) and another try at failed emails; the zips of exported editions no longer current
# are deleted; last, the day's record changes are forgotten (bscb.core.changes). The weekly digests have a timer of their own.
DAILY_COMMANDS = [
    ["release_embargoes"],
    ["send_notices", "--daily"],
    ["clear_stale_exports"],
    ["forget_record_changes"],
]

# Seeds the board's record (bscb.core.models.Board) on a fresh installation; the record is read after.
BOARD_NAME = os.environ.get("BOARD_NAME", "Buckinghamshire Safeguarding Children Board")

# Logs go to standard error, one JSON object a line (bscb/core/logs.py) unless DEBUG is on,
# where people read them: LOG_FORMAT=text or json says which, whatever DEBUG is.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING_CONFIG = "bscb.core.logs.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "bscb.core.logs.RedactSecretsFilter"}},
    "formatters": {
        "json": {"()": "bscb.core.logs.JsonFormatter"},
        "text": {
            "()": "bscb.core.logs.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default handlers for its own records (console under DEBUG, mail to
        # ADMINS, which is empty) give way to the one handler above. runserver's
        # django.server keeps its own: the development server is not deployed.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # WeasyPrint reports every page it lays out at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
