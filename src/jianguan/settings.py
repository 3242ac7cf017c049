"""Settings come from the environment (see .env.example); the defaults run the embedded SQLite set-up."""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False) if (PROJECT_DIR / ".env").exists() else None

VAR_DIR = Path(env.str("JIANGUAN_VAR_DIR", default=str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    # Generated once per installation so that no key is ever committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jianguan.core",
    "jianguan.org",
    "jianguan.businesses",
    "jianguan.licences",
    "jianguan.campaigns",
    "jianguan.equipment",
    "jianguan.cases",
    "jianguan.inspections",
    "jianguan.spotchecks",
    "jianguan.complaints",
    "jianguan.sampling",
    "jianguan.credit",
    "jianguan.food",
    "jianguan.canteens",
    "jianguan.baobao",
    "jianguan.demo",
    "jianguan.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jianguan.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jianguan.core.sessions.RefreshSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianguan.core.middleware.BadInputMiddleware",
    "jianguan.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jianguan.urls"
WSGI_APPLICATION = "jianguan.wsgi.application"

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
                "jianguan.core.views.layout",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jianguan.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The reports' one-pass counts are estimated expensive yet run in well under a second: PostgreSQL's JIT then
    # spends longer compiling a query than running it (0.18 s of a 0.21 s figure by 业态). Off for this
    # application's connections, as a setting a DBA can see; DATABASE_URL may still pass other options.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jianguan.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): an account from one address is locked after repeated failures; the
# numbers are versioned rules read by jianguan.org.lockout.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "jianguan.org.lockout.failure_limit"
AXES_COOLOFF_TIME = "jianguan.org.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "jianguan.org.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "jianguan.org.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False  # jianguan.org.admin registers the attempts with an audited unlock
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("JIANGUAN_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Saving the session on every request made every page a database write (SQLite: one writer at a time,
# "database is locked" under load). The idle timeout is kept by core.sessions.RefreshSessionMiddleware,
# which saves the session at most every JIANGUAN_SESSION_REFRESH_SECONDS.
SESSION_SAVE_EVERY_REQUEST = False
JIANGUAN_SESSION_REFRESH_SECONDS = env.int("JIANGUAN_SESSION_REFRESH_SECONDS", default=300)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# ECharts, installed by `npm ci` from package-lock.json (make install); without it the home page
# shows its figures as tables and says that the charts are unavailable.
ECHARTS_DIR = PROJECT_DIR / "node_modules" / "echarts" / "dist"
if ECHARTS_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/echarts", ECHARTS_DIR))
# `jianguan serve` collects the static files hashed and compressed and serves them by whitenoise (far-
# future cache headers); it sets JIANGUAN_STATIC_COLLECTED=1 for itself and its web processes. Elsewhere
# (tests, the development server, commands) the files are found unhashed in the apps' folders, so that
# neither needs a collectstatic first.
STATIC_COLLECTED = env.bool("JIANGUAN_STATIC_COLLECTED", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "jianguan.core.staticfiles.StaticFilesStorage" if STATIC_COLLECTED
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STATIC_COLLECTED:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# The daily backup (core.backup.tasks) writes here when set; retention is the rule backup.keep_days.
JIANGUAN_BACKUP_DIR = env.str("JIANGUAN_BACKUP_DIR", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Where the web pages are served, for links inside files (reports) that leave the server.
JIANGUAN_BASE_URL = env.str("JIANGUAN_BASE_URL", default="http://127.0.0.1:8000")

# Limits of the pages open without login, per client: {"bucket": "N/period"} (core/ratelimit.py).
JIANGUAN_RATE_LIMITS = env.json("JIANGUAN_RATE_LIMITS", default={})
JIANGUAN_TRUSTED_PROXIES = env.int("JIANGUAN_TRUSTED_PROXIES", default=0)
JIANGUAN_RATE_LIMIT_CACHE = env.str("JIANGUAN_RATE_LIMIT_CACHE", default="default")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# /healthz answers 503 when the worker's last heartbeat (every JIANGUAN_HEARTBEAT_SECONDS) is older.
JIANGUAN_HEARTBEAT_SECONDS = env.int("JIANGUAN_HEARTBEAT_SECONDS", default=30)
JIANGUAN_HEARTBEAT_MAX_AGE = env.int("JIANGUAN_HEARTBEAT_MAX_AGE", default=180)

# HTTPS, all off by default so that the loopback demo works over plain HTTP. JIANGUAN_HTTPS=true (the
# production block of .env.example) turns on the redirect, secure cookies and HSTS together.
HTTPS = env.bool("JIANGUAN_HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# The health check is asked over plain HTTP on the loopback by monitors and the service manager.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 86400 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=HTTPS)
# Behind nginx (JIANGUAN_TRUSTED_PROXIES >= 1) the proxy terminates TLS and says so in X-Forwarded-Proto;
# never trusted without a proxy, since any client could send that header itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if JIANGUAN_TRUSTED_PROXIES > 0 else None

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Refusals (403, 404, a foreign Host) as one line each; 5xx keep their traceback.
    "filters": {"refusals_one_line": {"()": "jianguan.core.logfilters.RefusalsOneLine"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals_one_line"], "formatter": "plain"}},
    # gunicorn drops the body Django writes for a HEAD request (monitors use HEAD), warning each time.
    "loggers": {"gunicorn.http.wsgi": {"level": "ERROR"}},
    "root": {"handlers": ["console"], "level": env.str("JIANGUAN_LOG_LEVEL", default="WARNING")},
}
