"""Django settings, read from environment variables (every one is listed in deploy/.env.example)."""

from pathlib import Path

from config.env import database_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
VAR_DIR = Path(env_str("TJ_VAR_DIR", str(BASE_DIR / "var")))
EXERCISES_DIR = Path(env_str("TJ_EXERCISES_DIR", str(BASE_DIR / "exercises")))
# Exercise versions unpacked from the database for grading, one folder per content hash.
PACKAGES_DIR = Path(env_str("TJ_PACKAGES_DIR", str(VAR_DIR / "packages")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# config/wsgi.py refuses to serve with this placeholder unless DEBUG is on.
INSECURE_SECRET_KEY = "insecure-development-key"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or INSECURE_SECRET_KEY
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "bank",
    "submissions",
    "assessments",
    "api",
    "web",
]
MIDDLEWARE = [
    "api.request_id.RequestIdMiddleware",  # first: every response carries X-Request-Id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.security.CandidatePageSecurityMiddleware",
    "api.idempotency.IdempotencyMiddleware",  # last: it stores what the view answered
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
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
            ]
        },
    }
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}
# The test database is a file, not memory, so a Celery worker in another process can share it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Served from the apps' static folders as well (the candidate IDE's npm build lands in
# platform/web/static/web/build/), so a fresh build needs no collectstatic to be seen.
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "interviewer:login"
LOGIN_REDIRECT_URL = "interviewer:home"
LOGOUT_REDIRECT_URL = "interviewer:login"
# Password resets, colleague and candidate invitations. The console backend prints them (the
# default, for development); set an SMTP URL's parts in production.
EMAIL_BACKEND = env_str("TJ_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TJ_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TJ_EMAIL_PORT", 25, low=1, high=65535)
EMAIL_HOST_USER = env_str("TJ_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("TJ_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TJ_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("TJ_FROM_EMAIL", "TensorJudge <noreply@localhost>")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TJ_SECURE_COOKIES", False)  # on behind HTTPS
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# -- Celery and Redis -----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"{REDIS_URL}/0")
# Live progress of running submissions (a list and a channel per submission).
PROGRESS_REDIS_URL = env_str("TJ_PROGRESS_REDIS_URL", f"{REDIS_URL}/1")
CELERY_TASK_ACKS_LATE = True  # a task that dies mid-grading is delivered again...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...also when its pool process is killed
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True  # a submission that times out would do it again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # grading is long: one message at a time per process
CELERY_WORKER_MAX_TASKS_PER_CHILD = 100
CELERY_TASK_DEFAULT_QUEUE = "cpu"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None  # results live in the database, not in Celery
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Above the longest task (the longest wall clock of an exercise + slack): otherwise a long job
# would be delivered to a second worker while the first still grades it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("TJ_BROKER_VISIBILITY_TIMEOUT_S", 3600, low=60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False

# -- Grading --------------------------------------------------------------------------------------
# A submission is tried at most this many times (worker deaths and sandbox errors together)
# before it is FAILED; a sandbox error is retried after backoff * 2**n seconds.
GRADING_MAX_ATTEMPTS = env_int("TJ_GRADING_MAX_ATTEMPTS", 4, low=1, high=100)
GRADING_RETRY_BACKOFF_S = env_float("TJ_GRADING_RETRY_BACKOFF_S", 5.0, low=0.0)
# The sweeper (Celery beat) re-enqueues submissions never enqueued (Redis was down), queued
# too long, or running past their lease; it runs this often.
SWEEP_INTERVAL_S = env_float("TJ_SWEEP_INTERVAL_S", 30.0, low=0.5)
SWEEP_QUEUED_AFTER_S = env_float("TJ_SWEEP_QUEUED_AFTER_S", 900.0, low=1.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-submissions": {"task": "submissions.sweep", "schedule": SWEEP_INTERVAL_S},
    "reap-sandboxes": {"task": "submissions.reap", "schedule": 600.0},
}

# -- Webhooks -------------------------------------------------------------------------------------
# A failing delivery is retried with backoff (30 s doubling to 1 h) for this long; then its
# endpoint is disabled and the organization's owners are emailed.
WEBHOOK_GIVE_UP_AFTER_S = env_float("TJ_WEBHOOK_GIVE_UP_AFTER_S", 86400.0, low=0.0)
# How often Celery beat enqueues the deliveries due (retries) and settles invitations whose
# link expired or time ran out (so that their events go out).
WEBHOOK_SWEEP_INTERVAL_S = env_float("TJ_WEBHOOK_SWEEP_INTERVAL_S", 10.0, low=0.5)
# Off in production: a webhook URL must resolve to public addresses only (the platform must not
# be made to POST into its own network). On for local receivers (development, tests).
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("TJ_WEBHOOK_ALLOW_PRIVATE_URLS", DEBUG)
CELERY_BEAT_SCHEDULE |= {
    "sweep-webhooks": {"task": "webhooks.sweep", "schedule": WEBHOOK_SWEEP_INTERVAL_S},
    "settle-invitations": {
        "task": "webhooks.settle_invitations",
        "schedule": WEBHOOK_SWEEP_INTERVAL_S,
    },
}

# -- Candidates -----------------------------------------------------------------------------------
# Runs and submits together, per attempt, in any 60 seconds.
SUBMISSIONS_PER_MINUTE = env_int("TJ_SUBMISSIONS_PER_MINUTE", 6, low=1, high=1000)

# -- REST API -------------------------------------------------------------------------------------
MAX_SOURCE_BYTES = 256 * 1024
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.ratelimit.ApiKeyRateThrottle"],
}
# Requests one API key may make in any 60 seconds (429 + Retry-After past it), counted in this
# Redis (default: the progress Redis).
API_REQUESTS_PER_MINUTE = env_int("TJ_API_REQUESTS_PER_MINUTE", 120, low=1, high=1_000_000)
API_REDIS_URL = env_str("TJ_API_REDIS_URL", "")
# Idempotency-Key: a retry waits this long for the first request to finish (then 409); a first
# request unfinished after the lease is taken as dead; responses are replayed for the TTL.
API_IDEMPOTENCY_WAIT_S = env_float("TJ_API_IDEMPOTENCY_WAIT_S", 10.0, low=0.0, high=600.0)
API_IDEMPOTENCY_LEASE_S = env_float("TJ_API_IDEMPOTENCY_LEASE_S", 300.0, low=1.0)
API_IDEMPOTENCY_TTL_S = env_float("TJ_API_IDEMPOTENCY_TTL_S", 86400.0, low=60.0)
API_DESCRIPTION = """Grade machine-learning exercises, and drive hiring from an applicant
tracking system: list assessments, invite candidates, follow their status (or receive signed
webhooks), read their reports.

- **Authentication**: `Authorization: Bearer <key>`, an organization's API key (made by its owner
  on the API keys page) with a scope: `read` < `invite` < `admin`. Every object is the key's
  organization's; another's is a 404.
- **Errors**: `{"error": {"code": "...", "message": "...", "fields": {...}}}`; `code` is stable.
- **Idempotency**: send `Idempotency-Key: <unique string>` on a POST; a retry with the same key
  and request gets the first response again (`Idempotent-Replayed: true`), never a second
  invitation; the same key with another request is a 422 `idempotency_key_reused`.
- **Rate limits**: per key, per minute; past it 429 `rate_limited` with `Retry-After` (seconds).
- **Request ids**: every response has `X-Request-Id` (yours, if you send a sane one); quote it
  when reporting a problem.
- **Times** are ISO 8601 in UTC; lists are cursor-paginated (`next`, `previous`, `?limit=`)."""
SPECTACULAR_SETTINGS = {
    "TITLE": "TensorJudge API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The errors, rate limits, Idempotency-Key and X-Request-Id every operation shares.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema_conventions.document_conventions",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    # Invitation tokens never reach a log (web.security); every line names its request's
    # X-Request-Id ("-" outside requests: workers, commands).
    "filters": {
        "redact_tokens": {"()": "web.security.RedactTokensFilter"},
        "request_id": {"()": "api.request_id.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("TJ_LOG_LEVEL", "INFO")},
}
