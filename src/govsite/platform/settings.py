"""Django settings, read from the environment in this one place.

| variable | meaning | default |
|---|---|---|
| ``GOVSITE_DATABASE_URL`` | database (``sqlite:///path`` or ``postgres://…``) | SQLite in ``GOVSITE_DATA_DIR`` |
| ``GOVSITE_DATA_DIR`` | where the embedded database and evidence live | ``./var`` |
| ``GOVSITE_SECRET_KEY`` | Django's secret key | a random key made once in ``GOVSITE_DATA_DIR/secret_key`` |
| ``GOVSITE_DEBUG`` | ``1`` on a developer's machine only (tracebacks, the URL list on error pages) | ``0`` |
| ``GOVSITE_HTTPS`` | ``1`` when users reach the platform over HTTPS: secure session and CSRF cookies, HSTS | ``0`` |
| ``GOVSITE_HSTS_SECONDS`` | the HSTS max-age sent with ``GOVSITE_HTTPS`` | ``31536000`` (a year) |
| ``GOVSITE_SESSION_HOURS`` | a login lasts this long, and ends when the browser closes | ``8`` |
| ``GOVSITE_LOGIN_ATTEMPTS`` | failed logins (one user name from one address) before a lockout | ``5`` |
| ``GOVSITE_LOCKOUT_MINUTES`` | how long a lockout lasts | ``15`` |
| ``GOVSITE_ALLOWED_HOSTS`` | comma-separated host names | ``127.0.0.1,localhost`` |
| ``GOVSITE_ARCHIVE_ORIGIN`` | where archived copies of scanned pages are served from, e.g. ``http://archive.govsite.example:8001``: another host name than the platform's (cookies ignore ports); empty serves them from the platform's origin, sandboxed only | empty |
| ``GOVSITE_PROXY`` | the HTTP proxy campaigns started in the pages scan through | none |
| ``GOVSITE_MIN_INTERVAL`` | seconds between two requests to one host, for those campaigns | ``0.5`` |
| ``GOVSITE_PER_HOST_CONCURRENCY`` | requests in flight to one host, for those campaigns | ``2`` |
| ``GOVSITE_EXECUTOR`` | ``inprocess`` (a thread of the web process) or ``celery`` (workers; docs/deployment.md) | ``inprocess`` |
| ``GOVSITE_BROKER_URL`` | the Celery broker: ``redis://host:6379/0`` or ``amqp://user:pass@host:5672//`` | ``redis://127.0.0.1:6379/0`` |
| ``GOVSITE_QUEUE`` | the broker queue of this installation's tasks | ``govsite`` |
| ``GOVSITE_TASK_TIME_LIMIT`` | seconds after which a site's scan task is killed; must be more than the engine's ``max_seconds`` plus ``GOVSITE_SCAN_GRACE_SECONDS`` (startup fails otherwise) | ``1500`` |
| ``GOVSITE_SCAN_HEARTBEAT_SECONDS`` | a running scan marks its claim alive this often; four missed beats and another run may take the site | ``15`` |
| ``GOVSITE_SCAN_GRACE_SECONDS`` | a site's whole scan is cut after the engine's ``max_seconds`` plus this | ``60`` |
| ``GOVSITE_MAX_SCANS`` | sites scanned at once by one process (every campaign and task of it together) | ``8`` |
| ``GOVSITE_EVIDENCE_DIR`` | where WARC evidence, exported bulletins and kept uploads (feedback attachments, self-inspection reports) are stored: a directory every worker and the web process share | ``GOVSITE_DATA_DIR/warc`` |
| ``GOVSITE_STORE`` | ``s3://bucket/prefix``: keep them in an S3-compatible bucket instead (platform/storage.py) | none: the directory |
| ``GOVSITE_S3_ENDPOINT`` | the bucket's S3 endpoint when it is not AWS (MinIO, Ceph RGW…); keys from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` | none |
| ``GOVSITE_S3_REGION`` | the bucket's region, when the endpoint wants one | none |
| ``GOVSITE_SCREENSHOTS`` | ``1``: every finding's page is also kept as screenshots (viewport and full page, the problem outlined), in the store (``GOVSITE_STORE``) in ``screenshots/`` beside the campaign's WARC files, shown on the review page and, when asked, in the bulletin's problem-site annex | ``0`` |
| ``GOVSITE_MONITOR`` | ``1``: the web process runs the monitor's scheduler thread (embedded mode) | ``0`` |
| ``GOVSITE_MONITOR_PROBES_PER_DAY`` | homepage probes a day per site | ``24`` |
| ``GOVSITE_MONITOR_TIMEOUT`` | seconds a homepage has to open | ``15`` |
| ``GOVSITE_MONITOR_RETENTION_DAYS`` | days of hourly tallies kept | ``35`` |
| ``GOVSITE_MONITOR_CONCURRENCY`` | homepages probed at once in a round | ``64`` |
| ``GOVSITE_MONITOR_SECOND_PROXY`` | a second vantage (HTTP proxy) that re-checks failures | none |
| ``GOVSITE_MONITOR_ALERT_EMAILS`` | comma-separated addresses for down/up alerts | none |
| ``GOVSITE_MONITOR_WEBHOOK`` | URL that receives each alert as a JSON POST | none |
| ``GOVSITE_JIUCUO_RATE_LIMIT`` | error reports accepted per client address: ``count/seconds`` | ``10/3600`` |
| ``GOVSITE_JIUCUO_DEADLINE_DAYS`` | working days per error-report step, e.g. ``received=3,reassigned=2,returned=2`` (steps not named keep 3) | ``3`` each |
| ``GOVSITE_EMAIL_BACKEND`` | Django's mail backend for reminders (e.g. ``django.core.mail.backends.smtp.EmailBackend``) | the console |
| ``GOVSITE_EMAIL_HOST`` / ``GOVSITE_EMAIL_PORT`` / ``GOVSITE_FROM_EMAIL`` | the SMTP server and sender | ``localhost`` / ``25`` / ``govsite@localhost`` |
| ``GOVSITE_CHROMIUM`` | the chromium that prints bulletins to PDF and draws their charts | ``/usr/bin/chromium`` |
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DATA_DIR = Path(os.environ.get("GOVSITE_DATA_DIR", "var")).resolve()
#: Off unless asked for: error pages with tracebacks and the URL list are for a developer's machine.
DEBUG = os.environ.get("GOVSITE_DEBUG", "0") == "1"
CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")


def _stored_secret_key(folder: Path) -> str:
    """The installation's own random key, made on first use and kept (mode 0600) in the data folder."""
    path = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        key = secrets.token_urlsafe(50)
        out.write(key)
    return key


SECRET_KEY = os.environ.get("GOVSITE_SECRET_KEY") or _stored_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GOVSITE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

_default_db = f"sqlite:///{DATA_DIR / 'govsite.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("GOVSITE_DATABASE_URL") or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The executor writes from its own thread while the pages read and write: WAL lets readers
    # and one writer proceed together, IMMEDIATE transactions take the write lock up front (so
    # the busy timeout applies instead of an instant "database is locked"), writers wait 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),  # what GOVSITE_DATABASE_URL says wins
    }
    # Tests get a file, not Django's shared-cache in-memory database: its table locks ignore
    # the busy timeout and fail at once when the executor thread and a page write together.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"govsite-test-{os.getpid()}.sqlite3")}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "govsite.platform.registry",
    "govsite.platform.campaigns",
    "govsite.platform.accounts",
    "govsite.platform.review",
    "govsite.platform.dashboards",
    "govsite.platform.api",
    "govsite.platform.monitor",
    "django_celery_beat",  # the monitor's schedule in distributed mode (Celery beat)
    "govsite.platform.jiucuo",
    "govsite.platform.ledger",
    "govsite.platform.bulletins",
    "govsite.platform.public",
    "govsite.platform.rectification",
    "axes",  # lockout of repeated failed logins
]
MIDDLEWARE = [
    "govsite.platform.campaigns.archive.ArchiveOriginMiddleware",  # first: drops cookies before anything reads them
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govsite.platform.language.LanguageMiddleware",  # the chosen language, never Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login
]
#: Logins (docs/platform.md, "Deployment"): Django's password rules, sessions that end, cookies
#: scripts cannot read, HTTPS-only cookies and HSTS behind HTTPS, lockout after failed logins.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(float(os.environ.get("GOVSITE_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
HTTPS = os.environ.get("GOVSITE_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GOVSITE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
AUTHENTICATION_BACKENDS = [
    "govsite.platform.accounts.lockout.LockoutBackend",  # first: a locked-out login is refused before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("GOVSITE_LOGIN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("GOVSITE_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one office's shared address does not lock everyone
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "govsite.platform.accounts.lockout.locked_out"
X_FRAME_OPTIONS = "SAMEORIGIN"  # no other site frames our buttons; the archived copy's iframe is ours
ROOT_URLCONF = "govsite.platform.urls"
#: Archived copies of scanned pages are served from this separate origin (campaigns/archive.py).
ARCHIVE_ORIGIN = os.environ.get("GOVSITE_ARCHIVE_ORIGIN", "").rstrip("/")
if ARCHIVE_ORIGIN:
    ALLOWED_HOSTS.append(urlsplit(ARCHIVE_ORIGIN).hostname or "")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
#: Chinese unless the user picks English in the header (language.py; the browser's language is ignored).
LOCALE_PATHS = [Path(__file__).parent / "locale"]  # base.html and registration/; each app has its own locale/
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice outlives the browser session
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATICFILES_DIRS = [Path(__file__).parent / "static"]
WHITENOISE_USE_FINDERS = True  # bundled assets served straight from the package: no CDN, no collectstatic
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
#: Engine settings (``EngineConfig`` fields) for campaigns started in the pages; the proxy comes
#: from ``GOVSITE_PROXY`` (``govsite demo`` sets the fleet's).
EXECUTOR_ENGINE: dict[str, Any] = {
    "proxy": os.environ.get("GOVSITE_PROXY") or None,
    # Only when the proxy itself refuses non-global targets (docs/engine.md, "Behind a proxy").
    "proxy_resolves_safely": os.environ.get("GOVSITE_PROXY_RESOLVES_SAFELY", "") not in ("", "0", "false"),
    "min_interval": float(os.environ.get("GOVSITE_MIN_INTERVAL", "0.5")),  # the engine's polite defaults
    "per_host_concurrency": int(os.environ.get("GOVSITE_PER_HOST_CONCURRENCY", "2")),
}
#: A running scan's heartbeat period, and the slack past the engine's own time budget before a
#: scan is cut (docs/executor.md, "Claims and time limits").
SCAN_HEARTBEAT_SECONDS = float(os.environ.get("GOVSITE_SCAN_HEARTBEAT_SECONDS", "15"))
SCAN_GRACE_SECONDS = float(os.environ.get("GOVSITE_SCAN_GRACE_SECONDS", "60"))
MAX_SCANS = int(os.environ.get("GOVSITE_MAX_SCANS", "8"))  # scans at once per process, all campaigns together
#: Where WARC evidence is written (None: DATA_DIR/warc); every worker and the web process must see it.
EVIDENCE_DIR = Path(os.environ["GOVSITE_EVIDENCE_DIR"]).resolve() if os.environ.get("GOVSITE_EVIDENCE_DIR") else None
#: Or an S3-compatible bucket for them: ``s3://bucket/prefix`` (platform/storage.py).
STORE = os.environ.get("GOVSITE_STORE") or None
S3_ENDPOINT = os.environ.get("GOVSITE_S3_ENDPOINT") or None
S3_REGION = os.environ.get("GOVSITE_S3_REGION") or None
SCREENSHOTS = os.environ.get("GOVSITE_SCREENSHOTS", "0") == "1"

#: ``inprocess``: campaigns run in a thread of the process that starts them (the embedded default,
#: no service needed). ``celery``: one task per site on Celery workers (platform/celery_app.py).
EXECUTOR = os.environ.get("GOVSITE_EXECUTOR", "inprocess")
if EXECUTOR not in ("inprocess", "celery"):
    raise ImproperlyConfigured(f"GOVSITE_EXECUTOR must be inprocess or celery, not {EXECUTOR!r}")
CELERY_BROKER_URL = os.environ.get("GOVSITE_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GOVSITE_QUEUE", "govsite")  # one queue per installation
CELERY_TASK_TIME_LIMIT = int(os.environ.get("GOVSITE_TASK_TIME_LIMIT", "1500"))  # hard limit per site scan


def _scan_cut_seconds() -> float:
    """When a worker's scan is cut by the executor: the engine's time budget for the
    configured scans, plus the grace."""
    from govsite.engine import EngineConfig

    return EngineConfig(**EXECUTOR_ENGINE).max_seconds + SCAN_GRACE_SECONDS


if _scan_cut_seconds() >= CELERY_TASK_TIME_LIMIT:  # the task would be killed before its scan is cut, every time
    raise ImproperlyConfigured(
        f"GOVSITE_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s) must be more than a scan's time budget "
        f"plus GOVSITE_SCAN_GRACE_SECONDS ({_scan_cut_seconds():g} s)"
    )
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged when done: a killed worker's site is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds no more sites than it scans
CELERY_TASK_IGNORE_RESULT = True  # results live in the database, not in a result backend
#: Redis re-delivers an unacknowledged task after this many seconds: longer than a task may run.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "monitor-round": {"task": "govsite.monitor.round", "schedule": 30.0},
    "monitor-prune": {"task": "govsite.monitor.prune", "schedule": 24 * 3600.0},
}
CELERY_TIMEZONE = "Asia/Shanghai"

#: Continuous availability monitoring (govsite.platform.monitor; docs/monitor.md).
MONITOR = {
    "scheduler": os.environ.get("GOVSITE_MONITOR", "0") == "1",
    "probes_per_day": int(os.environ.get("GOVSITE_MONITOR_PROBES_PER_DAY", "24")),
    "timeout": float(os.environ.get("GOVSITE_MONITOR_TIMEOUT", "15")),
    "retention_days": int(os.environ.get("GOVSITE_MONITOR_RETENTION_DAYS", "35")),
    "second_proxy": os.environ.get("GOVSITE_MONITOR_SECOND_PROXY") or None,
    "concurrency": int(os.environ.get("GOVSITE_MONITOR_CONCURRENCY", "64")),  # homepages probed at once
    "alert_emails": [a.strip() for a in os.environ.get("GOVSITE_MONITOR_ALERT_EMAILS", "").split(",") if a.strip()],
    "webhook": os.environ.get("GOVSITE_MONITOR_WEBHOOK") or None,
    "flap_window_hours": 6,
    "flap_limit": 4,
}
#: Request bodies larger than this are refused by the WSGI server (413) before Django reads them:
#: the largest upload and room for the form around it.
REQUEST_MAX_BYTES = 11 * 1024 * 1024
#: Registry uploads larger than this are refused before they are read.
REGISTRY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
REGISTRY_MAX_ROWS = 50_000
#: A member of an uploaded .xlsx (a zip) larger than this once unzipped is refused unread.
REGISTRY_UNZIPPED_MAX_BYTES = 100 * 1024 * 1024
#: Rectification (整改): days a task gives by default (``rectification.deadlines.due_date``),
#: and the largest feedback attachment or self-inspection report file accepted.
RECTIFICATION_DAYS = 15
RECTIFICATION_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
#: Self-inspection (自查): the share of its running sites a region checks itself at least
#: (seed 004: 30 % from 2017 Q3), and the self-score above which a failed spot check is a gap
#: (seed 001 names sites that scored themselves above 90 and failed).
SELF_INSPECTION_MIN_COVERAGE = "0.30"
SELF_INSPECTION_GAP_SCORE = 90

# The REST API (govsite.platform.api): its settings live here, its views there.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: a request without credentials gets 401 with ``WWW-Authenticate: Token``.
    # Session logins (the pages') work too; unsafe methods then need the CSRF token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "govsite.platform.api.errors.handle",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "govsite API",
    "DESCRIPTION": "Sites, campaigns and results of the government-website supervision platform (政府网站监管平台). "
    "Authenticate with a token (`Authorization: Token …`, issued by `govsite manage drf_create_token USER`) "
    "or with the pages' session. Every list and object is limited to what the user's role may see.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "govsite.platform.registry.models.Region.Level",
        "SiteLevelEnum": "govsite.platform.registry.models.Site.Level",
        "SiteKindEnum": "govsite.platform.registry.models.Site.Kind",
        "SiteStatusEnum": "govsite.platform.registry.models.Site.Status",
        "CampaignKindEnum": "govsite.platform.campaigns.models.Campaign.Kind",
        "CampaignStateEnum": "govsite.platform.campaigns.models.Campaign.State",
        "ResultStateEnum": "govsite.platform.campaigns.models.CampaignSite.State",
        "VerdictEnum": "govsite.platform.api.serializers.VERDICTS",
    },
}

# Error reports (govsite.platform.jiucuo, docs/jiucuo.md).
#: Working days (工作日) a unit has for each step, counted from the step: a report received,
#: reassigned to another site (转办), or returned for a better reply (退回).
JIUCUO_DEADLINE_DAYS = {"received": 3, "reassigned": 3, "returned": 3}
for _step in filter(None, (p.strip() for p in os.environ.get("GOVSITE_JIUCUO_DEADLINE_DAYS", "").split(","))):
    _name, _, _days = _step.partition("=")
    if _name.strip() not in JIUCUO_DEADLINE_DAYS or not _days.strip().isdigit() or not 1 <= int(_days) <= 60:
        raise ImproperlyConfigured(
            f"GOVSITE_JIUCUO_DEADLINE_DAYS: {_step!r} is not step=days with a step of "
            f"{', '.join(JIUCUO_DEADLINE_DAYS)} and 1 to 60 days, e.g. received=3,reassigned=2"
        )
    JIUCUO_DEADLINE_DAYS[_name.strip()] = int(_days)
#: A reminder goes out this many working days before the deadline (``jiucuo_remind``).
JIUCUO_REMIND_BEFORE_DAYS = 1
_rate = os.environ.get("GOVSITE_JIUCUO_RATE_LIMIT", "10/3600").split("/")
if len(_rate) != 2 or not all(p.strip().isdigit() for p in _rate):
    raise ImproperlyConfigured("GOVSITE_JIUCUO_RATE_LIMIT is count/seconds, e.g. 10/3600")
#: At most this many reports per client address within this many seconds.
JIUCUO_RATE_LIMIT = (int(_rate[0]), int(_rate[1]))
#: Screenshots: uploads larger than this are refused before they are read whole; larger
#: pictures than ``MAX_PIXELS`` are refused before they are decoded; stored at most ``MAX_SIDE`` px wide/high.
JIUCUO_SCREENSHOT_MAX_BYTES = 2 * 1024 * 1024
JIUCUO_SCREENSHOT_MAX_PIXELS = 40_000_000
JIUCUO_SCREENSHOT_MAX_SIDE = 2000
#: A bulletin's problem-site annex, when asked for screenshots (bulletins/pictures.py): at most
#: this many per site, each at most ``MAX_BYTES`` (larger ones are left out unread), all together
#: at most ``SCREENSHOTS_MAX_BYTES``.
BULLETIN_SCREENSHOTS_PER_SITE = 2
BULLETIN_SCREENSHOT_MAX_BYTES = 2 * 1024 * 1024
BULLETIN_SCREENSHOTS_MAX_BYTES = 24 * 1024 * 1024
#: How long the form's challenge stays valid, seconds.
JIUCUO_CHALLENGE_MAX_AGE = 2 * 3600
EMAIL_BACKEND = os.environ.get("GOVSITE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("GOVSITE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOVSITE_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GOVSITE_FROM_EMAIL", "govsite@localhost")
