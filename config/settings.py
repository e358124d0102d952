"""Tribune settings: one module, read from the environment.

Development defaults are safe: debug is off unless ``DJANGO_DEBUG=1``, and with
debug off a missing ``DJANGO_SECRET_KEY`` stops start-up. The Makefile sets
what development and the tests need.
"""

import hashlib
import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no switch: 1, true, yes and on mean yes."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


def env_int(name: str, default: int) -> int:
    """Read a whole number, refusing anything else with a clear message."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_trusted_proxies(name: str) -> int | list[str]:
    """Read which proxies may say who the client is: a count (``1`` for one nginx in front;
    ``0``, the default, for none) or a comma-separated list of addresses and networks
    (``127.0.0.1, 10.0.0.0/8``). Anything else stops start-up with a clear message."""
    value = os.environ.get(name, "").strip()
    if not value or (value.isascii() and value.isdigit()):
        return int(value or 0)
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be a number of proxies or a comma-separated list of addresses "
                f"and networks (such as 10.0.0.0/8); {item!r} is neither."
            ) from None
    return networks


def code_release(root: Path) -> str:
    """A short digest of the code and templates under ``root``: what the app draws pages
    with. Two processes running the same release agree on it; a deploy changes it."""
    digest = hashlib.sha256()
    for folder in ("accounts", "blog", "comments", "config", "core", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml"} and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- Core ------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=1 for local development (the Makefile does this)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "Tribune")
# The public address, for links in e-mails sent outside a request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Comment forms carry a signed timestamp: a form sent back sooner than this is
# refused as a bot's, and one older than a day is asked to be sent again.
COMMENT_FORM_MIN_SECONDS = env_int("DJANGO_COMMENT_FORM_MIN_SECONDS", 3)
# A member may correct their own comment for this long after posting it.
COMMENT_EDIT_MINUTES = 15
# The link in a hidden comment's e-mail lets its author appeal for this many days.
COMMENT_APPEAL_DAYS = env_int("DJANGO_COMMENT_APPEAL_DAYS", 14)
# Following a discussion by e-mail (comments.services.follows): a follower gets at most one
# digest in this many minutes, sent this long after the first new comment it holds (so
# moderators have had that long to remove what should not go out). The link a guest is
# sent to confirm their address works for COMMENT_FOLLOW_CONFIRM_DAYS days.
COMMENT_FOLLOW_DIGEST_MINUTES = env_int("DJANGO_COMMENT_FOLLOW_DIGEST_MINUTES", 60)
COMMENT_FOLLOW_CONFIRM_DAYS = 3
# Guest comments accepted from one IP address (hashed) in a minute, whoever sends them.
# Looser than the flood interval of the discussion settings, which is per person, so
# people behind one address (an office, a phone network) do not hold each other back.
# 0 turns the limit off.
COMMENTS_PER_IP_PER_MINUTE = env_int("DJANGO_COMMENTS_PER_IP_PER_MINUTE", 10)
# Akismet, a second opinion on spam beside the site's own filter (comments.akismet): on
# when both the key and the site's address as registered with Akismet are set. Each new
# comment waits at most AKISMET_TIMEOUT_MS for its answer (twice, the first time a process
# asks: the key is verified first). AKISMET_API_URL sends the requests to another server
# speaking Akismet's protocol (the tests' own); unset, they go to Akismet.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "").strip()
AKISMET_BLOG_URL = os.environ.get("AKISMET_BLOG_URL", "").strip()
AKISMET_TIMEOUT_MS = env_int("AKISMET_TIMEOUT_MS", 1500)
AKISMET_API_URL = os.environ.get("AKISMET_API_URL", "").strip()
# The proxies in front of the app whose X-Forwarded-For is believed: how many there are
# (nginx alone: 1), or their addresses and networks. None by default: the client is the
# connection's peer, and X-Forwarded-For is ignored. accounts.ratelimit.client_ip reads it.
TRUSTED_PROXIES = env_trusted_proxies("DJANGO_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin with Tribune's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "core",  # the shared pages' version; the backup and restore commands
    "accounts",
    "blog",
    "comments",
    "wordpress",  # importing a WordPress export, exporting one
]

MIDDLEWARE = [
    # First: the request id and the request's log line cover every answer, errors included.
    "config.middleware.request_logged",
    # Before anything checks the host name (a load balancer probes by address).
    "config.middleware.healthz_for_any_host",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the address or the cookies.
    "config.middleware.null_bytes_refused",
    # Before anything reads the body.
    "config.middleware.request_body_limited",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: old WordPress addresses (/?p=5) are redirected, never served a
    # cached home page; and any 404 whose path an import recorded becomes a redirect.
    "wordpress.redirects.old_addresses",
    # Before the session: a shared page is served without reading it (core.pagecache).
    "core.pagecache.page_cache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.site",
                "blog.context_processors.navigation",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache that takes longer than this to connect or answer counts as down, and the page
# renders without it (comments.caching) instead of waiting on it.
CACHE_TIMEOUT_SECONDS = env_int("DJANGO_CACHE_TIMEOUT_MS", 500) / 1000
# After the cache fails to answer, each app process goes on without it for this long before
# asking it again (core.cache), and warns about the outage at most once a minute.
CACHE_RETRY_SECONDS = env_int("DJANGO_CACHE_RETRY_SECONDS", 5)
CACHE_WARNING_SECONDS = 60
# Cache keys carry the release, so pages and fragments drawn by the code before a deploy are
# never served by the code after it (they expire unread). Deploy tooling may name the release
# (DJANGO_RELEASE, a git commit say); otherwise it is a digest of the code and templates.
RELEASE = os.environ.get("DJANGO_RELEASE", "").strip() or code_release(BASE_DIR)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{os.environ.get('DJANGO_CACHE_PREFIX', 'tribune')}:{RELEASE}",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The full-page cache for readers with nothing personal on the page (core.pagecache): how
# long an entry is kept (the most a change that comes with time alone, like a scheduled
# post going live, waits to show), and what browsers and a CDN in front are told.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60)
PAGE_CACHE_MAX_AGE = env_int("DJANGO_PAGE_CACHE_MAX_AGE", 10)
PAGE_CACHE_STALE_SECONDS = env_int("DJANGO_PAGE_CACHE_STALE_SECONDS", 30)
# Set for a minute on whoever sent a form, so they see what they did at once.
PAGE_CACHE_FRESH_COOKIE = "tribune_fresh"
# A request carrying any of these gets its own page: the session (members, moderators, a
# guest's own held comments), one-time messages, a guest's remembered name and e-mail
# (comments.discussion.COMMENTER_COOKIE).
SESSION_COOKIE_NAME = "sessionid"
PAGE_CACHE_PERSONAL_COOKIES = (
    SESSION_COOKIE_NAME,
    "messages",
    "tribune_commenter",
    PAGE_CACHE_FRESH_COOKIE,
)
# The apps whose saved and deleted rows can show on a page (core.receivers).
PAGE_CACHE_APPS = frozenset({"accounts", "blog", "comments"})

# /healthz answers 503 when a task that is due has waited longer than this for a worker
# (no `manage.py db_worker` running, or too few).
HEALTHZ_TASK_BACKLOG_SECONDS = env_int("DJANGO_HEALTHZ_TASK_BACKLOG_SECONDS", 300)

# Background work: the immediate backend runs a task at once (development and
# tests); production sets DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and
# runs `manage.py db_worker`, so e-mails never hold up a request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Accounts --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# django-axes first, so a locked-out sign-in is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.MemberBackend",
]

# Failed sign-ins (the site's and the admin's): after AXES_FAILURE_LIMIT failures for
# one username from one IP address, that pair waits out the cool-off period.
# Administrators unlock people early under "Axes" in the admin.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_VERBOSE = False
# The same client address as flood control and reports (see TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "accounts.ratelimit.client_ip"

# How long the e-mail verification link of a new account works.
ACCOUNT_VERIFICATION_DAYS = 3
# E-mails the account pages send (sign-up, confirmation links, password resets) to one
# address, and asked for from one IP address, in an hour; counted whether or not an
# account uses the address, so a refusal says nothing about accounts. 0 turns one off.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("DJANGO_ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 5)
ACCOUNT_EMAILS_PER_IP_PER_HOUR = env_int("DJANGO_ACCOUNT_EMAILS_PER_IP_PER_HOUR", 30)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

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

# --- Language and time -----------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.staticfiles.MinifiedManifestStaticFilesStorage"
        )
    },
}

# Uploads (pictures, their renditions, avatars) go to an S3-compatible bucket when
# DJANGO_S3_BUCKET is set (AWS S3, Cloudflare R2, MinIO: docs/object-storage.md), so
# every app instance sees the same files; otherwise to MEDIA_ROOT. Media is public: pages
# are cached, so their picture addresses must not expire (no signed URLs); the bucket, or
# the CDN in front of it (DJANGO_S3_CUSTOM_DOMAIN), lets anyone read its objects.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "").strip()
# Where readers fetch the bucket's files, without the trailing slash.
MEDIA_ORIGIN = ""
if S3_BUCKET:
    from botocore.config import Config as BotoConfig

    _s3_endpoint = os.environ.get("DJANGO_S3_ENDPOINT_URL", "").strip().rstrip("/")
    _s3_region = os.environ.get("DJANGO_S3_REGION", "").strip() or "us-east-1"
    _s3_location = os.environ.get("DJANGO_S3_LOCATION", "").strip().strip("/")
    _s3_domain = os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    _s3_protocol = "https:"
    if "://" in _s3_domain:  # given as an address: its scheme is the one to use
        _domain_parts = urlsplit(_s3_domain)
        _s3_protocol = f"{_domain_parts.scheme}:"
        _s3_domain = f"{_domain_parts.netloc}{_domain_parts.path}".rstrip("/")
    if not _s3_domain and _s3_endpoint:
        # Path-style addresses on the endpoint itself (MinIO, moto): scheme://host/bucket/.
        _endpoint_parts = urlsplit(_s3_endpoint)
        _s3_protocol = f"{_endpoint_parts.scheme}:"
        _s3_domain = f"{_endpoint_parts.netloc}{_endpoint_parts.path}/{S3_BUCKET}"
    elif not _s3_domain:
        _s3_domain = f"{S3_BUCKET}.s3.{_s3_region}.amazonaws.com"
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": _s3_endpoint or None,
            "region_name": _s3_region,
            # Unset: boto3 looks for credentials itself (AWS_* variables, an instance role).
            "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "location": _s3_location,
            # Addresses are written from this domain, never signed: no request to the
            # bucket to draw a page, and the same address in every cached copy of it.
            "custom_domain": _s3_domain,
            "url_protocol": _s3_protocol,
            "querystring_auth": False,
            # Two uploads named photo.jpg in one month must not replace each other.
            "file_overwrite": False,
            # Access is the bucket's policy (R2 has no object ACLs).
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=604800"},
            # A bucket that does not answer fails an upload in seconds, with a message
            # (core.storage), instead of holding the request through boto3's long retries.
            "client_config": BotoConfig(
                connect_timeout=3, read_timeout=20, retries={"mode": "standard", "max_attempts": 3}
            ),
        },
    }
    MEDIA_ORIGIN = f"{_s3_protocol}//{_s3_domain.split('/')[0]}"
    MEDIA_URL = f"{_s3_protocol}//{_s3_domain}/" + (f"{_s3_location}/" if _s3_location else "")

# Files staff upload for the site's own use, never published: WordPress exports waiting to
# be imported (they hold commenters' e-mail and IP addresses). A folder outside MEDIA_ROOT
# that nothing serves, even when uploads go to a bucket (the bucket is public). With several
# machines it must be one they all mount, the task worker's included (docs/architecture.md).
PRIVATE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", BASE_DIR / "private")).resolve()
if not S3_BUCKET and PRIVATE_ROOT.is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        f"DJANGO_PRIVATE_ROOT ({PRIVATE_ROOT}) is inside DJANGO_MEDIA_ROOT, which is public. "
        "Please choose a folder outside it."
    )
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    # Never served, so no address; readable by the app's own user only.
    "OPTIONS": {
        "location": PRIVATE_ROOT,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}

# A zip of WordPress's uploads folder sent with an export to the admin's import may unpack to
# at most this much, in at most this many files (wordpress.uploads_zip): a zip's own sizes
# can lie, so the bytes are counted as they are unpacked. Larger sites import with the
# command's --media-dir.
WORDPRESS_UPLOADS_MAX_BYTES = env_int("DJANGO_WORDPRESS_UPLOADS_MAX_MB", 1024) * 1024 * 1024
WORDPRESS_UPLOADS_MAX_FILES = 20_000

# Uploads. One number sets them all: the largest picture (core.images, avatars take at most
# 5 MB of it), and with the form fields around it the largest request body, which
# config.middleware.request_body_limited refuses (413) before reading it and nginx's
# client_max_body_size in deploy/nginx/tribune.conf must equal (a test checks the default).
UPLOAD_MAX_MB = env_int("DJANGO_UPLOAD_MAX_MB", 20)
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
# The fields of a form, files aside (Django refuses more with a 400); an upload larger than
# this is written to a temporary file while the request is read, not held in memory.
FORM_FIELDS_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = FORM_FIELDS_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = FORM_FIELDS_MAX_BYTES
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + FORM_FIELDS_MAX_BYTES

# --- Forms -----------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ----------------------------------------------------------------

# Console in development (DJANGO_DEBUG=1), SMTP otherwise; the tests swap in
# Django's in-memory outbox.
_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": env_int("DJANGO_EMAIL_PORT", 25),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10),
    }
# A task whose e-mail the mail server refused (or could not be reached for) runs again after
# each of these waits, in seconds (core.mail.retry_on_mail_errors), then is recorded as
# failed in the admin: about 9 hours of tries in all.
EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200, 21600]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Tribune <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------

# No inline script or style anywhere: behaviour and looks come from files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Django's database sessions, read without building the query each time (core.sessions).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A load balancer probes over plain HTTP; the health check must answer it, not redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

if not DEBUG:
    # Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1 so
    # Django trusts X-Forwarded-Proto, and DJANGO_SECURE_SSL_REDIRECT=0 if the
    # proxy already redirects plain HTTP.
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# --- Logging ---------------------------------------------------------------

# JSON lines (config.logs) without debug, plain text with it; each request writes one line
# to the "tribune.requests" logger (config.middleware.request_logged), on by default
# without debug (runserver logs requests itself).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "tribune.requests": {
            "level": "INFO" if env_bool("DJANGO_REQUEST_LOG", not DEBUG) else "WARNING"
        }
    },
}
