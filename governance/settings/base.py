"""Settings shared by every mode. Values that vary come from settings.env."""
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Queue

from governance import logs

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env.flag("DEBUG", False)
ALLOWED_HOSTS = env.list_of("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "treebeard",
    "django_htmx",
    "import_export",
    # History of the admin-edited rules: row triggers (pgtrigger) write each
    # version with who changed it (pghistory context).
    "pgtrigger",
    "pghistory",
    "governance",
    "intake",
    "mediation",
    "grid",
    "petitions",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "governance.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "governance.middleware.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"
AUTH_USER_MODEL = "governance.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.notifications.views.unread_notifications",
                "governance.extensions.navigation",
            ],
        },
    },
]

# One database engine everywhere: PostgreSQL.
DATABASES = {"default": dj_database_url.parse(env.required("DATABASE_URL"), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One broker everywhere: Redis, for Celery, the cache, throttles and locks.
REDIS_URL = env.required("REDIS_URL")
# django-redis, so a Redis outage degrades instead of failing every page: reads
# miss, writes are dropped (logged), sessions fall back to PostgreSQL (cached_db),
# rate limits fail open. Celery does not depend on it: deadlines live in the database.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "gov"),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The public channel's abuse guard (intake/public), instead of a CAPTCHA: django-ratelimit
# counts in the cache above (Redis INCR, so the count is atomic across gunicorn
# workers). Rates are "count/period", period s, m, h or d. While Redis is down the
# counts cannot be kept and the forms stay open: citizens come first.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_CACHE_PREFIX = "rl:"
# The client address the per-IP limits count. Unset: REMOTE_ADDR, right when gunicorn
# faces the citizens. Behind the county's reverse proxy REMOTE_ADDR is the proxy, and
# every citizen would share one counter: set it to
# "intake.public.ratelimit.forwarded_for_ip" (the last X-Forwarded-For address, the one
# the proxy appended) or to a header the proxy alone sets, e.g. "HTTP_X_REAL_IP".
RATELIMIT_IP_META_KEY = env.get("RATELIMIT_IP_META_KEY") or None
PUBLIC_SUBMIT_RATE_IP = env.get("PUBLIC_SUBMIT_RATE_IP") or "5/h"  # matters registered per address
PUBLIC_SUBMIT_RATE_PHONE = env.get("PUBLIC_SUBMIT_RATE_PHONE") or "3/d"  # matters registered per mobile
PUBLIC_STATUS_RATE_IP = env.get("PUBLIC_STATUS_RATE_IP") or "20/h"  # status lookups per address
PUBLIC_STATUS_RATE_NUMBER = env.get("PUBLIC_STATUS_RATE_NUMBER") or "10/d"  # failed lookups per matter number
OPEN311_SUBMIT_RATE_KEY = env.get("OPEN311_SUBMIT_RATE_KEY") or "600/h"  # Open311 submissions per api_key

CELERY_BROKER_URL = env.celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = env.flag("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# One scheduler across however many beat processes run: redbeat holds a lock in Redis.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = REDIS_URL
CELERY_REDBEAT_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "gov") + ":redbeat:"
CELERY_BEAT_SCHEDULE = {
    # Every minute by default; a due matter is acted on within SWEEP_SECONDS of its limit.
    "sweep-clocks": {"task": "governance.tasks.sweep_clocks_task", "schedule": float(env.get("SWEEP_SECONDS") or 60)},
    "deliver-notifications": {"task": "governance.tasks.deliver_pending_notifications", "schedule": 60.0},
    "heartbeat": {
        "task": "governance.tasks.record_heartbeat",
        "schedule": float(env.get("HEARTBEAT_SECONDS", "60")),
    },
    "refresh-dashboards": {"task": "governance.tasks.refresh_dashboards_task", "schedule": 120.0},
    "warm-dashboards": {"task": "governance.tasks.warm_dashboards_task",
                        "schedule": float(env.get("DASHBOARD_WARM_SECONDS") or 600)},
    "check-warnings": {"task": "governance.tasks.check_warnings_task", "schedule": 900.0},
    "weekly-bulletins": {"task": "governance.tasks.schedule_bulletins_task", "args": ("weekly",),
                         "schedule": crontab(minute=0, hour=6, day_of_week="mon")},
    "monthly-reports": {"task": "governance.tasks.schedule_bulletins_task", "args": ("monthly",),
                        "schedule": crontab(minute=30, hour=6, day_of_month="1")},
    # intake's triage: each county's model trained again at night when its closed matters changed.
    "triage-train-nightly": {
        "task": "intake.triage.tasks.train_triage_models_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Each kind of work on a queue of its own (docker-compose runs one worker per queue; the
# Procfile's one worker takes them all), so a monthly report or a minute of model fitting
# never delays an escalation or a notification: timers (the sweep, and the heartbeat that
# proves the timers worker is alive), notifications (the outgoing copy), reports (the
# dashboards' summary, warnings, bulletins), training (triage models). "celery" is the
# default queue for any task not routed here. A worker started without --queues takes
# every queue listed in CELERY_TASK_QUEUES.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("timers", "notifications", "reports", "training", "celery")]
CELERY_TASK_ROUTES = {
    "governance.tasks.sweep_clocks_task": {"queue": "timers"},
    "governance.tasks.record_heartbeat": {"queue": "timers"},
    "governance.tasks.deliver_pending_notifications": {"queue": "notifications"},
    "governance.tasks.refresh_dashboards_task": {"queue": "reports"},
    "governance.tasks.warm_dashboards_task": {"queue": "reports"},
    "governance.tasks.check_warnings_task": {"queue": "reports"},
    "governance.tasks.schedule_bulletins_task": {"queue": "reports"},
    "governance.tasks.write_bulletin_task": {"queue": "reports"},
    "intake.triage.tasks.train_triage_model": {"queue": "training"},
    "intake.triage.tasks.train_triage_models_nightly": {"queue": "training"},
}

# Office hours: a reminder due outside them goes out when the next working day starts.
OFFICE_HOURS = (env.get("OFFICE_OPENS") or "08:30", env.get("OFFICE_CLOSES") or "17:30")

# Where the outgoing copy of a notification goes (SMS gateway, mail relay); see
# governance/notifications/backends.py. The default writes it to the log.

NOTIFICATION_BACKEND = env.get("NOTIFICATION_BACKEND", "governance.notifications.backends.LoggingBackend")

# The grid app's map: tiles only from the county's own tile server (intranets are
# offline; never a public one), e.g. "https://tiles.county.gov.cn/{z}/{x}/{y}.png".
# Unset: the events are listed with their coordinates instead.
GRID_MAP_TILE_URL = env.get("GRID_MAP_TILE_URL", "")
GRID_MAP_ATTRIBUTION = env.get("GRID_MAP_ATTRIBUTION", "")
# Photos of grid events: size of one photo, and how many at a time.
GRID_PHOTO_MAX_BYTES = int(env.get("GRID_PHOTO_MAX_BYTES") or 8 * 1024 * 1024)
GRID_PHOTO_MAX_COUNT = int(env.get("GRID_PHOTO_MAX_COUNT") or 6)

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
# django-import-export lets any staff member import and export unless told otherwise:
# importing staff rows is changing staff (and their roles), exporting them is reading them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A form sent with a stale or missing CSRF token: a Chinese page in the site's layout.
CSRF_FAILURE_VIEW = "governance.web.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.get("STATIC_ROOT", BASE_DIR / ".local" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", BASE_DIR / ".local" / "media"))
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with WWW-Authenticate.
        # Expiring, revocable tokens (governance.accounts.tokens), read with the person's organisation.
        "governance.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Form bodies are cleaned by governance.middleware.CleanInputMiddleware, JSON here.
    "DEFAULT_PARSER_CLASSES": [
        "governance.api.parsers.CleanJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "governance.api.pagination.CasePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 50,
    # Only for the public reference lists (regions, categories): anonymous callers, per address.
    "DEFAULT_THROTTLE_RATES": {"anon": env.get("API_ANON_RATE") or "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "County social governance center API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "governance.choices.CaseStatus",
        "TierEnum": "governance.choices.Tier",
        "CaseKindEnum": "governance.choices.CaseKind",
        "NotificationKindEnum": "governance.choices.NotificationKind",
        "ChannelEnum": "governance.choices.Channel",
        "PartyRoleEnum": "governance.choices.PartyRole",
    },
}



# --- Production shape (issue 25): probes, metrics, logs, read replica, private media -------
# Kept in one block; governance/settings/production.py only switches the log format.
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    # /healthz/, /readyz/ and /metrics, before the host check and the HTTPS redirect.
    "governance.health.ProbeMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "governance.logs.RequestContextMiddleware",
    *MIDDLEWARE,
    "governance.db_router.ReplicaRoutingMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics: with a token set, Prometheus sends "Authorization: Bearer <token>". nginx never
# passes /metrics, /readyz/ or /healthz/ from outside; Prometheus scrapes web:8000 directly.
METRICS_TOKEN = env.get("METRICS_TOKEN", "")

# Logs: "text" on a laptop, "json" in production (one object a line, with request_id and
# user_id; ID numbers and phones redacted). LOG_REQUESTS writes one line per request.
LOG_FORMAT = env.get("LOG_FORMAT") or "text"
LOGGING = logs.config(fmt=LOG_FORMAT, level=env.get("LOG_LEVEL", "INFO"), requests=env.flag("LOG_REQUESTS", False))

# Read replica (off by default): dashboards, exports and lists read it; see governance/db_router.py.
if env.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(env.get("DATABASE_REPLICA_URL"), conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["governance.db_router.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(env.get("REPLICA_PIN_SECONDS") or 10)
REPLICA_READ_VIEWS = [
    "dashboard", "dashboard-export", "bulletins", "case-list", "supervision",
    "api:dashboard-summary", "api:dashboard-series", "api:case-list",
    "mediation-list", "mediation-report", "mediation-report-xlsx",
    "api-mediation:mediation-list", "api-mediation:monthly-report",
    "grid-overview", "grid-map", "grid-coverage", "api-grid:event-list",
    "petitions-backlog", "api-petitions:petition-list", "api-petitions:petition-backlog",
]

# Matter numbers (governance/cases/numbers.py): gapless by default (a failed registration
# uses no number; registrations wait for each other's commit); off for a city's volume
# (numbers taken outside the registration's transaction; a failed one leaves a gap).
CASE_NUMBERS_GAPLESS = env.flag("CASE_NUMBERS_GAPLESS", True)

# Dashboards: the apps' live figures (mediation's rates, grid and petition series) are kept this
# many seconds per place and period (governance/dashboards/selectors.py: live); 0 computes each
# time. Beat counts the usual views again every DASHBOARD_WARM_SECONDS (default 600), before they expire.
DASHBOARD_CACHE_SECONDS = int(env.get("DASHBOARD_CACHE_SECONDS") or 900)

# Private files (photos, PDFs, workbooks) are only ever served after the view checked who
# asks. Behind nginx, set MEDIA_ACCEL_REDIRECT=/protected-media/: the view answers with
# X-Accel-Redirect and nginx sends the file from its internal location (deploy/nginx).
MEDIA_ACCEL_REDIRECT = env.get("MEDIA_ACCEL_REDIRECT", "")


# ---------------------------------------------------------------------------------------
# Privacy, audit and account security (issue 23). Kept in one block so merges are easy.
# ---------------------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += [
    "pghistory.admin",  # the audit log in the admin (governance.audit_admin.AuditLogAdmin)
    "axes",  # failed logins and lockouts, kept in PostgreSQL
    "csp",
]
# CSP first (every response gets the header); the audit context once the user is
# known (DRF's token users too: pghistory follows request.user); axes last, as it asks.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "governance.accounts.middleware.IdleSessionMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "pghistory.middleware.HistoryMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# The audit log: every change to matters, parties, categories, routing, staff and
# organisations, and the rules (governance.history), listed and searched in the admin.
PGHISTORY_ADMIN_MODEL = "governance.AuditEvent"  # admin: 审计日志
PGHISTORY_ADMIN_CLASS = "governance.audit_admin.AuditLogAdmin"

# Accounts. Lockout after repeated failed logins, per account and per address
# (each alone), counted in PostgreSQL so a Redis outage does not open the door; an
# admin unlocks in the admin (Axes: access attempts, delete) or `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = int(env.get("AXES_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("AXES_COOLOFF_MINUTES") or 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "governance.accounts.lockout.locked_out"  # JSON under /api/, the Chinese page elsewhere
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Behind the county's proxy the address is the one the rate limits use.
AXES_CLIENT_IP_CALLABLE = "governance.accounts.lockout.client_ip"

# Strong passwords: long, not like the username, not common, not all digits, and of
# at least three kinds of characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "governance.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "governance.accounts.passwords.CharacterClassesValidator"},
]

# Idle sessions end: no request for this long and the person signs in again. The
# session's expiry moves on with use (governance.accounts.middleware), at most once a minute.
SESSION_IDLE_SECONDS = int(env.get("SESSION_IDLE_MINUTES") or 30) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# API tokens (governance.accounts.tokens): expire after this many days unless the admin sets another date.
API_TOKEN_DAYS = int(env.get("API_TOKEN_DAYS") or 90)

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static
# files, nothing inline; images also as data: URIs (Bootstrap's icons), blob: URLs (the
# preview of a photo before it is sent, grid/photos.js) and from the county's map tile
# server (grid's map) if one is set.
_TILE_ORIGIN = "/".join(GRID_MAP_TILE_URL.split("/")[:3]) if GRID_MAP_TILE_URL.startswith("http") else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Throttles. The API: per person and per anonymous address (DRF, in the cache); the
# public status lookup's brute-force limits also hold while Redis is down, counted in
# PostgreSQL then (governance.ratelimit).
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "governance.api.throttles.UserThrottle",
    "governance.api.throttles.AnonThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "user": env.get("API_USER_RATE") or "1200/min",
}

# The API schema documents every error an operation answers, and every constraint.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "governance.api.schema.GovernanceAutoSchema"
SPECTACULAR_SETTINGS["ENFORCE_NON_BLANK_FIELDS"] = True  # required strings get minLength 1
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",  # the default
    "governance.api.schema.local_times",
]
REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] = ["governance.api.filters.StrictFilterBackend"]  # ?status= is a 400
# Every /api/ request's query parameters are held to what the schema says they take.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
                  "governance.api.query_check.QueryParameterCheckMiddleware")

# Uploads: the request body and the files in memory are bounded; photos are re-encoded
# (EXIF, location and anything hidden dropped) and bounded in pixels (governance.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_PIXELS = int(env.get("UPLOAD_MAX_PIXELS") or 40_000_000)
FILE_UPLOAD_PERMISSIONS = 0o640
# Files written for a transaction that rolled back are removed within the hour.
CELERY_BEAT_SCHEDULE["purge-orphan-files"] = {"task": "governance.tasks.purge_orphan_files_task",
                                              "schedule": 3600.0}
CELERY_TASK_ROUTES["governance.tasks.purge_orphan_files_task"] = {"queue": "reports"}  # slow housekeeping
# A write that fails half-way (disk full) leaves no partial file (governance.uploads).
STORAGES["default"] = {"BACKEND": "governance.uploads.CleanFileSystemStorage"}

# Faults. A connection kept between requests is checked before it is used again, so
# after PostgreSQL restarts the next request reconnects instead of failing. A task
# whose worker process dies is given back to the queue (acks late, above) and run
# again; its services are idempotent (claimed rows, one transaction per batch).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A whole worker killed: Redis hands its unacknowledged tasks to another after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(env.get("CELERY_VISIBILITY_TIMEOUT") or 3600)}
