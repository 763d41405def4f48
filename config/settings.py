"""Django settings for Mamori. Machine-specific values come from config.env."""
import datetime

from csp.constants import NONE, SELF

from config import env as E

BASE_DIR = E.BASE_DIR
VAR_DIR = E.VAR_DIR
DEBUG = E.DEBUG
SECRET_KEY = E.SECRET_KEY
ALLOWED_HOSTS = E.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = E.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from this server's static files (no CDN: LGWAN)
    # In layer order (docs/architecture.md): each app's ready() registers its contributions to
    # core's registries, so export/import sections run from the bottom layer up.
    "mamori.core",
    "mamori.register",
    "mamori.disclosure",
    "mamori.outsourcing",
    "mamori.incidents",
    "mamori.training",
    "mamori.filebook",
    "mamori.handbooks",
    "mamori.council",
    "mamori.impact",
    "mamori.api",
    "mamori.public",
    "mamori.demo",
    "django.forms",  # last: the project's widget templates (mamori/core/templates/django/forms/) come first
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mamori.core.middleware.LoginRequiredMiddleware",
    "mamori.core.middleware.SignInStepsMiddleware",
    "mamori.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout into the login page's message
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Widgets render through the project's templates, so core can word them for people: an empty choice
# reads 「選択してください」, a date field reads back what it understood (core.forms.WarekiDateInput).
# Long work runs as background jobs (core.jobs) on a queue kept in this database (django-tasks-db):
# `mamori worker` runs them; any number of workers and app servers may join (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "mamori.core.context_processors.navigation",
            ],
            "builtins": ["mamori.core.templatetags.mamori"],
        },
    }
]

DATABASES = {"default": E.DATABASE}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    E.VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the demo server read while a command writes.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    # A write transaction takes SQLite's write lock when it begins, so that the version check of an
    # edit (core.concurrency) runs on a row nobody else can change until it commits: SQLite's
    # equivalent of select_for_update, which it ignores.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # Tests use a file, not memory, so that the processes a test starts (workers, servers) reach it.
    DATABASES["default"].setdefault("TEST", {"NAME": str(E.VAR_DIR / "test_mamori.sqlite3")})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Run wherever a password is set: the user form and core.services (user_create, password_set), create-admin,
# Django's changepassword. Messages come in Japanese (LANGUAGE_CODE). Length: MAMORI_PASSWORD_MIN_LENGTH.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "display_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": E.PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins (django-axes): counted per account and per address; after AXES_FAILURE_LIMIT in a row that
# account or address cannot log in for AXES_COOLOFF_TIME (a try meanwhile starts the wait again).
# The administrator unlocks an account on its user page (core.services.login_unlock).
AUTHENTICATION_BACKENDS = [
    "mamori.core.auth.ThrottledLoginBackend",  # axes' check; first, so a locked account is refused before its password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = E.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=E.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not axes' own reset: it also clears every failure counted from the address, so a login to any other account from
# the same terminal would wipe the count against this one. core.auth.on_logged_in clears the account's own only.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "mamori.core.views.login_locked_out"
# Behind nginx (deploy/nginx-mamori.conf) REMOTE_ADDR is the proxy: the client is the address nginx
# appended to X-Forwarded-For, trusted only from MAMORI_FORWARDED_ALLOW_IPS.
AXES_CLIENT_IP_CALLABLE = "mamori.core.auth.client_ip"
MAMORI_TRUSTED_PROXIES = [ip.strip() for ip in E.SERVER["forwarded_allow_ips"].split(",") if ip.strip()]
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log (AuditAction.LOGIN)
AXES_ENABLE_ADMIN = False

# Second factor (django-otp, TOTP): the roles in MAMORI_OTP_REQUIRED_ROLES enter a code after their password;
# one not yet enrolled is sent to enrolment. Off in the demo and in tests unless a test turns it on.
MAMORI_OTP_REQUIRED_ROLES = E.OTP_REQUIRED_ROLES
OTP_TOTP_ISSUER = E.OTP_ISSUER

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = E.MEDIA_ROOT  # stored files (kept by `mamori backup`)
# The public ファイル簿 site as the last background publication built it (mamori.public.jobs): its forms are reused by the next.
MAMORI_PUBLIC_SITE_DIR = VAR_DIR / "public-site"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = E.EMAIL
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = E.DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_AGE = int(E.SESSION_HOURS * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# Production (MAMORI_DEBUG=false): HTTPS only, behind nginx which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = E.SSL_REDIRECT
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may speak plain HTTP on loopback
SECURE_HSTS_SECONDS = E.HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this server, no inline script, nothing from outside
# (LGWAN has no internet). Inline style attributes stay allowed; scripts never.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs carry ids and actions, never personal data: request bodies and form values
# are not logged, and the audit trail lives in the database (core.AuditEvent).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": E.LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # its start-up line on every redaction (core.redaction)
        "axes": {"level": "WARNING"},  # its start-up line on every command; lockouts (names masked) still show
    },
}

# core.pagecache: pages are keyed by the database's data version, so a cache in each process's memory
# is never stale and a second server needs nothing shared. Sessions stay in the database.
MAMORI_PAGE_CACHE = E.PAGE_CACHE
# Size limits on import / restore / assess input files (core.inputfiles, core.backup; config/env.py INPUT_LIMITS).
MAMORI_INPUT_LIMITS = E.INPUT_LIMITS
MAMORI_CONVERT_TIMEOUT = E.CONVERT_TIMEOUT
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mamori"},
    # What every app server must count together (the API's throttle): in the database, so a second server
    # or worker joins without changes (the table is made by core's migration 0010).
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mamori_shared_cache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mamori-pages", "TIMEOUT": 900,
              "OPTIONS": {"MAX_ENTRIES": 2000}},
}

# Days before a contractor's certification expires that the office is told (outsourcing; config/env.py).
MAMORI_CERTIFICATION_NOTICE_DAYS = E.CERTIFICATION_NOTICE_DAYS

# `mamori serve` (gunicorn): bind address, workers, threads, timeout (config/env.py, MAMORI_BIND …).
MAMORI_SERVER = E.SERVER

# ---- ingest limits (mamori ingest and the upload on 文書からの取込; docs/operations.md "取込の上限")
# Council packets come from outside: each limit refuses a file with a message that names it. The read
# runs in a child process held to memory_mb (RLIMIT_AS) and killed after seconds. Keys and defaults:
# mamori/register/importers/limits.py (Limits); a key left out keeps its default, an unknown key is refused.
MAMORI_INGEST_LIMITS = {
    "file_mb": 20,  # the file as given
    "expanded_mb": 100,  # DOCX: sum of the ZIP members (central directory, then counted while inflating); PDF: inflated streams
    "stream_mb": 50,  # one PDF stream, inflated
    "ratio": 200,  # inflated ÷ compressed, for a ZIP member or PDF stream above 1 MB
    "zip_members": 2000,
    "pages": 1000,  # PDF
    "text_chars": 2_000_000,  # the text read
    "line_chars": 20_000,  # its longest line (a DOCX paragraph)
    "blocks": 100_000,  # lines (TXT, PDF) or paragraphs and table rows (DOCX)
    "programs": 200,  # 事務事業 blocks; bounds the write transaction (~10 ms per 届出 on SQLite)
    "seconds": 30,  # read and parse, wall time; the child is killed after it
    "memory_mb": 400,  # the child's address space (RLIMIT_AS); with the calling process (~100 MB), under 500 MB
}

# ---- the REST API (mamori.api, docs/api.md): /api/v1/, per-user tokens or the session, Japanese errors with field paths
# Tokens: a user creates them on /account/api-tokens/ with an expiry of at most MAMORI_API_TOKEN_MAX_DAYS days.
# Throttle: requests per user, counted in the database (the "shared" cache), so all servers count together.
MAMORI_API_TOKEN_MAX_DAYS = 365
MAMORI_API_RATE = "300/min"
MAMORI_API_PAGE_SIZE = 50  # ?page_size= up to MAMORI_API_MAX_PAGE_SIZE
MAMORI_API_MAX_PAGE_SIZE = 200
# The REST API answers its own 401 in JSON: the login redirect (core.middleware) leaves these paths alone.
MAMORI_LOGIN_EXEMPT_PREFIXES = ("/api/", "/requests/delivery/")  # the API: a token; an online-delivery link: its own expiring token
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["mamori.api.auth.BearerTokenAuthentication", "mamori.api.auth.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["mamori.api.permissions.SignedIn", "mamori.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["mamori.api.throttling.PerUser"],
    "DEFAULT_PAGINATION_CLASS": "mamori.api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mamori.api.errors.handler",
    "PAGE_SIZE": MAMORI_API_PAGE_SIZE,
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_METADATA_CLASS": None,  # no OPTIONS description: the OpenAPI document describes the API
}
SPECTACULAR_SETTINGS = {
    "TITLE": "まもり REST API",
    "DESCRIPTION": "個人情報取扱管理簿・届出・請求・委託・漏えい等・研修・影響範囲の API（docs/api.md）。"
                   "認証は「Authorization: Bearer <トークン>」（/account/api-tokens/ で作成）またはログイン中のセッション。",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",  # a null nested object is oneOf [object, null], which validators read one way
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["mamori.api.permissions.SignedIn"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,  # the docstrings are for developers (English); summaries and help texts are for people
    "ENUM_NAME_OVERRIDES": {"FlowKindEnum": "mamori.register.models.FlowKind", "NotificationKindEnum": "mamori.register.models.NotificationKind"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator (validator.swagger.io): the back office has no internet.
    # Schemas are shown with each operation, not again in a section of their own.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False, "defaultModelsExpandDepth": -1,
                            "syntaxHighlight": False},  # plain code blocks: the highlighter's colours are below AA
}
