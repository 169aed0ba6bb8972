"""Django settings for CivicHall.

Twelve-factor: everything comes from the environment, with defaults that let a
checkout run on SQLite with no other service (``make demo`` sets DEBUG=1).

    DATABASE_URL   default sqlite:///var/civichall.sqlite3 (WAL mode)
    REDIS_URL      optional; when set, the cache (and rate limits) live in Redis
    SECRET_KEY     required unless DEBUG is on
    DEBUG          "1"/"true" to enable (development, the demo); default off
    ALLOWED_HOSTS  comma-separated; default localhost names
    TIME_ZONE      default Asia/Shanghai
    CIVICHALL_VAR  folder for the SQLite file, media and logs; default ./var
    CIVICHALL_DEMO "1" installs the demo app (civichall.contrib.demo); default
                   follows DEBUG, so a production start never carries it
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civichall.core.config import env as config_env

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(os.environ.get("CIVICHALL_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Off unless asked for: a bare start is a production start.
DEBUG = env_bool("DEBUG", default=False)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or DEBUG=1 for development and the demo, e.g. `make demo`) / "
            "必须设置 SECRET_KEY（开发与演示请设置 DEBUG=1，例如 `make demo`）"
        )
    SECRET_KEY = "civichall-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "civichall.core",
    "civichall.accounts",
    "civichall.content",
    "civichall.services",
    "civichall.safety",
    "civichall.interaction",
    "civichall.notify",
    "civichall.applications",
    "civichall.assistant",
    "civichall.channels.wechat",
    "civichall.channels.open311",
    "civichall.analytics",
    "civichall.api",
    "ninja",  # the API docs use Ninja's own Swagger UI files, never a CDN
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
# The demo (made-up organisations, articles, residents, fake department
# systems and the `demo` / `load_demo` commands) is a removable app on top
# of the product. On with DEBUG unless CIVICHALL_DEMO=0; off in production
# unless CIVICHALL_DEMO=1. `civichall demo` and `civichall load_demo` turn it on.
CIVICHALL_DEMO = env_bool("CIVICHALL_DEMO", default=DEBUG)
if CIVICHALL_DEMO:
    INSTALLED_APPS.append("civichall.contrib.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "civichall.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous readers, before sessions and the view
    # (civichall/core/page_cache.py).
    "civichall.core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civichall.core.middleware.LanguageMiddleware",
    "civichall.core.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civichall.core.middleware.SiteErrorsMiddleware",
    "civichall.core.security.PersonalAnswersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civichall.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in citizen's page: the cached one with their own parts
    # (civichall/core/personal_parts.py).
    "civichall.core.personal_parts.PersonalPartsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it turns a lockout anywhere into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civichall.urls"
# Under /api/ a refused form token is a JSON error too (never an HTML page).
CSRF_FAILURE_VIEW = "civichall.core.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "civichall.core.context_processors.site_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "civichall.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'civichall.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
_test_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1 … in parallel test runs
if REDIS_URL and _test_worker.startswith("gw"):
    # Each parallel test process gets its own Redis database, so that one
    # clearing its cache (or counting rate limits) never touches another.
    _base, _sep, _db = REDIS_URL.rpartition("/")
    if _sep and _db.isascii() and _db.isdigit():
        REDIS_URL = f"{_base}/{(int(_db) - int(_test_worker[2:])) % 16}"
if REDIS_URL:
    # Fails open: with Redis unreachable every cache call answers "empty",
    # with a logged warning and a health signal (civichall/core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "civichall.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "civichall",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Several web workers on the local-memory cache count rate limits each on
# their own: `civichall serve` refuses that in production unless allowed here.
CIVICHALL_ALLOW_LOCAL_CACHE = env_bool("CIVICHALL_ALLOW_LOCAL_CACHE", False)

# --- Background tasks ---------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds between runs of the periodic jobs (publishing pages that are due).
CIVICHALL_PERIODIC_INTERVAL = int(os.environ.get("CIVICHALL_PERIODIC_INTERVAL", "30"))

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Staff sign-in: django-axes counts wrong passwords and locks the pair
# (username, address) for a cool-off; its backend comes first so that a
# locked pair is refused even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICHALL_SIGN_IN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CIVICHALL_SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civichall.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "civichall.accounts.lockout.client_ip"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): administrators, reviewers and superusers
# must confirm a code from an authenticator app (or a recovery code) before
# they reach the admin; other staff may turn it on. See accounts/twofactor.py.
CIVICHALL_STAFF_TWO_FACTOR = env_bool("CIVICHALL_STAFF_TWO_FACTOR", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CivicHall")

# --- Languages and time -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "civichall_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's sign-in form with a translatable label for the password field.
WAGTAILADMIN_USER_LOGIN_FORM = "civichall.accounts.login_form.StaffLoginForm"

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
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
WHITENOISE_USE_FINDERS = DEBUG

# --- Wagtail ------------------------------------------------------------------
# The admin's name for the installation; the public name is the site profile's
# (Settings → Site profile), which starts from the same variable.
WAGTAIL_SITE_NAME = config_env("CIVICHALL_SITE_NAME")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
# The admin does not call out to wagtail.org (the policy would refuse it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "civichall.content.workflows.publish_approved"
# Editors' and reviewers' own comments in the admin are part of the review.
WAGTAILADMIN_COMMENTS_ENABLED = True
# Staff avatars are uploaded or initials, never fetched from Gravatar (no external request, works offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Review e-mails go to the reviewers of the page's organisation (content/review_mail.py), not to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp4", "webm", "docx", "xlsx", "csv", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# --- Security (tightened automatically in production) -------------------------
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HTTPS only: plain HTTP is redirected (except the health probe, which
    # load balancers send over HTTP), and browsers are told to remember it.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Content-Security-Policy (django-csp) on every page: scripts and styles only
# from our own files, no inline script, no plugins, no framing by others.
# The admin's allowances are in civichall/core/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "https:"],  # articles may link videos hosted elsewhere
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Mail (review notifications to staff): printed to the console unless an SMTP
# server is configured.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.gov.cn")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"civichall": {"level": os.environ.get("LOG_LEVEL", "INFO")}},
}

CIVICHALL_ELDER_COOKIE = "civichall_elder"
# Citizens: where sign-in codes go and who verifies real names (pluggable).
CIVICHALL_SMS_SENDER = os.environ.get("CIVICHALL_SMS_SENDER", "civichall.accounts.sms.ConsoleSender")
# No default provider: a deployment names its own (verification is refused
# until it does); the demo app brings one for its made-up residents.
CIVICHALL_IDENTITY_PROVIDER = os.environ.get(
    "CIVICHALL_IDENTITY_PROVIDER",
    "civichall.contrib.demo.identity.DemoIdentityProvider" if CIVICHALL_DEMO else "",
)
CIVICHALL_TRUST_X_FORWARDED_FOR = env_bool("CIVICHALL_TRUST_X_FORWARDED_FOR", False)
# Client addresses behind a reverse proxy (rate limits, sign-in lockout): how
# many proxies stand in front of the app, or their addresses. The address
# counted is the one our outermost proxy saw, read from the right of
# X-Forwarded-For; the legacy switch above means "one proxy".
CIVICHALL_TRUSTED_PROXIES = int(
    os.environ.get("CIVICHALL_TRUSTED_PROXIES", "1" if CIVICHALL_TRUST_X_FORWARDED_FOR else "0")
)
CIVICHALL_TRUSTED_PROXY_ADDRESSES = [
    a.strip() for a in os.environ.get("CIVICHALL_TRUSTED_PROXY_ADDRESSES", "").split(",") if a.strip()
]
# Comment area: comments a minute per citizen and per network address.
CIVICHALL_COMMENTS_PER_MINUTE = int(os.environ.get("CIVICHALL_COMMENTS_PER_MINUTE", "5"))
# Edits of one's own comments: at most this many per citizen in the window.
CIVICHALL_COMMENT_EDITS_PER_WINDOW = int(os.environ.get("CIVICHALL_COMMENT_EDITS_PER_WINDOW", "5"))
CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS = int(os.environ.get("CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS", "600"))
CIVICHALL_COMMENTS_PER_MINUTE_PER_ADDRESS = int(
    os.environ.get("CIVICHALL_COMMENTS_PER_MINUTE_PER_ADDRESS", "5")
)
LOGIN_URL_CITIZEN = "citizen_login"
# Citizen app tokens expire this many days after sign-in; browser sessions
# last SESSION_COOKIE_AGE (two weeks).
CIVICHALL_CITIZEN_TOKEN_DAYS = int(os.environ.get("CIVICHALL_CITIZEN_TOKEN_DAYS", "30"))
CIVICHALL_SITE_DESCRIPTION = _(
    "Authoritative people's-livelihood information and one-window public services."
)
# Service matrix: where the demo's department systems answer (the demo
# starts a fake one there), and the circuit breaker in front of every
# department system.
CIVICHALL_DEMO_DEPARTMENT_URL = os.environ.get("CIVICHALL_DEMO_DEPARTMENT_URL", "http://127.0.0.1:8765")
CIVICHALL_BREAKER_FAILURES = int(os.environ.get("CIVICHALL_BREAKER_FAILURES", "3"))
CIVICHALL_WECHAT_API_BASE = config_env("CIVICHALL_WECHAT_API_BASE")
CIVICHALL_WECHAT_MAX_BODY_BYTES = config_env("CIVICHALL_WECHAT_MAX_BODY_BYTES")
CIVICHALL_BREAKER_COOLDOWN_S = float(os.environ.get("CIVICHALL_BREAKER_COOLDOWN_S", "30"))
CIVICHALL_ASSISTANT_EMBEDDINGS = config_env("CIVICHALL_ASSISTANT_EMBEDDINGS")
CIVICHALL_ASSISTANT_CONFIDENCE = config_env("CIVICHALL_ASSISTANT_CONFIDENCE")
