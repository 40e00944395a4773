"""OpenCOI settings: one module, every value from an environment variable with a safe default.

The variables are documented in README.md and `.env.example`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)
# The insecure default key only ever serves DEBUG runs; production must set SECRET_KEY. Without one, the
# system check core.E001 refuses every command that runs checks (check, migrate, runserver, db_worker) and the
# WSGI/ASGI application refuses to start; a command that signs nothing (`manage.py totp`) still runs.
SECRET_KEY = os.environ.get("SECRET_KEY") or ("insecure-dev-key-only-for-debug" if DEBUG else "")
SECRET_KEY_MISSING = not SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Links in emails and PDFs start with SITE_URL; by default the local server on PORT (what `make demo` serves).
PORT = env_int("PORT", 8000)
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    # core before django_tasks_db: its `db_worker` (which takes back the tasks a killed worker left running)
    # is the one `manage.py db_worker` runs.
    "core",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "accounts",
    "reference",
    "directory",
    "certificates",
    "api",
    "customs",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # Every answer under /api/v1/ and /api/customs/v1/ is JSON, Django's own 404/400/500 pages included (with
    # DEBUG on too).
    "api.middleware.JsonAnswersUnderApi",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A rule's refusal reaching a page becomes a page saying why (403/404/409/422), never a 500.
    "core.middleware.RefusalMiddleware",
    # The API refuses query parameters its OpenAPI document does not declare (422).
    "api.middleware.RefuseUnknownQueryParameters",
    # A state-changing API request with an Idempotency-Key runs once; a repeat gets the first answer.
    "api.idempotency.IdempotencyKeys",
    # Axes last, as its documentation asks, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opencoi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "opencoi.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'opencoi.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A kept connection is checked before a request uses it: after a database restart the next request
        # reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French and English, everywhere.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Django's formats, but French groups thousands with a narrow no-break space (opencoi/formats/fr). Quantities are
# grouped by `core.typography.quantity`, not USE_THOUSAND_SEPARATOR (which would group ids in links too).
FORMAT_MODULE_PATH = ["opencoi.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Accompanying documents and stored PDFs: the app server's disk under MEDIA_ROOT (the default), or any
# S3-compatible object store when S3_BUCKET is set, so that every app server reads what any other wrote.
# Downloads always go through the app's permission checks (streamed from the store); the bucket stays private.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # "path" for most self-hosted stores (MinIO, Ceph, Garage), "virtual" for AWS, "auto" to let boto decide.
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "signature_version": "s3v4",
            # Private objects, never a public URL: the app reads them and streams them after its own checks.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            # Like the disk: never overwrite a file of the same name silently.
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("TESTING", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: EMAIL_URL such as smtp://host:port, console: (default when DEBUG) or locmem:.
_email = dj_email_url.parse(os.environ.get("EMAIL_URL") or ("console:" if DEBUG else "smtp://127.0.0.1:25"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenCOI <no-reply@opencoi.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@opencoi.example")

# Sign-up: the emailed link that sets the first password works once and expires (guides: 90 minutes).
SIGNUP_LINK_MINUTES = env_int("SIGNUP_LINK_MINUTES", 90)
PASSWORD_RESET_TIMEOUT = SIGNUP_LINK_MINUTES * 60

# Accounts (django-allauth): email as the login, no username.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OpenCOI] "
# Security changes (password changed, two-factor switched on or off) are confirmed by email.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
LOGIN_REDIRECT_URL = "core:home"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "OpenCOI")
# Accept the code of the neighbouring 30-second period too (RFC 6238's allowance for clock drift and for a code
# typed at the turn of a period); a code still works only once.
MFA_TOTP_TOLERANCE = env_int("MFA_TOTP_TOLERANCE", 1)
# The code pages check a TOTP code as the steps do, marked used in its own table (accounts.two_factor).
MFA_FORMS = {"authenticate": "accounts.forms.AuthenticateForm", "reauthenticate": "accounts.forms.ReauthenticateForm"}

# Lockout after repeated failures (django-axes), on top of allauth's slowing rate limit.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 8)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind reverse proxies: how many of them are ours (TRUSTED_PROXY_COUNT, 0 = none, the default: the
# connection's address is the client's and X-Forwarded-For is ignored). With N, the client is the N-th address
# from the right of X-Forwarded-For, what our outermost proxy saw, so a client cannot choose the address it is
# counted under. Or TRUSTED_CLIENT_IP_HEADER, a header our proxy sets (X-Real-IP, CF-Connecting-IP). Lockouts
# (django-axes) and allauth's rate limits read the same address; a lockout is per account and address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"

# Background work: Django's tasks API (django-tasks backport) with its database backend.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# A shared cache, so rate limits and used one-time codes hold across server processes.
# It also keeps the COI page's parts per version and language (certificates/page_cache.py): the database and
# in-memory caches keep up to CACHE_MAX_ENTRIES entries (Redis and memcached manage their memory themselves).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache")
_CACHE_OPTIONS = (
    {"OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)}}
    if CACHE_BACKEND.rsplit(".", 1)[-1] in {"DatabaseCache", "LocMemCache", "FileBasedCache"}
    else {}
)
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", "opencoi_cache"),
        **_CACHE_OPTIONS,
    }
}
# How long a rendered version of a COI's page parts is kept (a change to the COI shows at once whatever this is;
# an operator's or authority's new name shows on pages already rendered after at most this long).
COI_PAGE_CACHE_SECONDS = env_int("COI_PAGE_CACHE_SECONDS", 3600)

# Django's database sessions, their lookup's SQL built once per process (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_SSL)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Demo accounts (make demo).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "opencoi-demo")
DEMO_TOTP_SECRET = os.environ.get("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXP")

# The form of a new COI: "2021/2306" (the model in force since 1 January 2022, boxes 1-31; issue 14 point 1) or
# "1235/2008" (the guides' form, boxes 1-21). Existing COIs keep theirs. See certificates/coi_forms/.
COI_FORM_DEFAULT = os.environ.get("COI_FORM_DEFAULT", "2021/2306")

# Uploaded documents.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = (MAX_UPLOAD_MB + 1) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SITE_NAME = _("OpenCOI")

# The electronic seal of PDFs (PAdES B-LT, certificates.outputs.seal; docs/deploy.md). The key lives in a
# PKCS#11 token (an HSM, a cloud HSM; SoftHSM in `make demo`): SEAL_PKCS11_MODULE is the token's PKCS#11
# library. Without it the seal signs from SEAL_KEY_FILE, for trials only (`check --deploy` warns).
SEAL_PKCS11_MODULE = os.environ.get("SEAL_PKCS11_MODULE", "")
SEAL_PKCS11_TOKEN_LABEL = os.environ.get("SEAL_PKCS11_TOKEN_LABEL", "")
SEAL_PKCS11_KEY_LABEL = os.environ.get("SEAL_PKCS11_KEY_LABEL", "")
SEAL_PKCS11_PIN = os.environ.get("SEAL_PKCS11_PIN", "")
SEAL_PKCS11_PIN_FILE = os.environ.get("SEAL_PKCS11_PIN_FILE", "")
SEAL_KEY_FILE = Path(os.environ.get("SEAL_KEY_FILE", VAR_DIR / "seal" / "seal.key"))
# The seal's certificate and its issuing CAs (PEM).
SEAL_CERT_FILE = Path(os.environ.get("SEAL_CERT_FILE", VAR_DIR / "seal" / "seal.crt"))
SEAL_CHAIN_FILE = os.environ.get("SEAL_CHAIN_FILE", "")
# The roots a seal and its timestamps must chain to (PEM; the qualified trust service's and the TSA's).
SEAL_TRUST_ROOTS_FILE = os.environ.get("SEAL_TRUST_ROOTS_FILE", "")
# The RFC 3161 time-stamping authority (a qualified one in production), and its credentials if it asks.
SEAL_TSA_URL = os.environ.get("SEAL_TSA_URL", "")
SEAL_TSA_USERNAME = os.environ.get("SEAL_TSA_USERNAME", "")
SEAL_TSA_PASSWORD = os.environ.get("SEAL_TSA_PASSWORD", "")
SEAL_TSA_TIMEOUT = int(os.environ.get("SEAL_TSA_TIMEOUT", "10"))
# `manage.py seal_archive_timestamps` re-stamps a stored PDF this many days before its last timestamp's
# certificate expires (PAdES B-LTA).
SEAL_ARCHIVE_MARGIN_DAYS = int(os.environ.get("SEAL_ARCHIVE_MARGIN_DAYS", "365"))
# Render each new version of a COI's PDF in the task queue after every workflow step.
PDF_PRERENDER = env_bool("PDF_PRERENDER", True)
# A task that finds the file store unreachable (a PDF to keep, a file to delete) is queued again after
# STORE_RETRY_SECONDS, doubled at each attempt (at most an hour), up to STORE_RETRY_ATTEMPTS times.
STORE_RETRY_SECONDS = env_int("STORE_RETRY_SECONDS", 60)
STORE_RETRY_ATTEMPTS = env_int("STORE_RETRY_ATTEMPTS", 12)
# manage.py backup's JSON: Django's, with times to the microsecond (core/serializers.py).
SERIALIZATION_MODULES = {"opencoi_json": "core.serializers"}
# A task left running this long is taken to be a killed worker's and run again (core db_worker).
TASKS_RUNNING_LIMIT_SECONDS = env_int("TASKS_RUNNING_LIMIT_SECONDS", 3600)

# Benchmark runs only (`make bench`): count queries per request and add the bare comparison view.
if env_bool("BENCH", False):
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")
    ROOT_URLCONF = "bench.urls"
