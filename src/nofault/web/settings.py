"""Django settings for the nofault web app, built from the checked `WebConfig`."""

from __future__ import annotations

from pathlib import Path

from nofault.web.config import load_config

CONFIG = load_config()
WEB_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
NOFAULT_ORGANISATION = CONFIG.organisation
NOFAULT_DATA_DIR = CONFIG.data_dir
NOFAULT_LOGIN_ATTEMPTS = CONFIG.login_attempts
NOFAULT_LOGIN_WINDOW_MINUTES = CONFIG.login_window_minutes
# The import page refuses a larger upload before reading it (see postmortems/imports.py).
NOFAULT_IMPORT_MAX_UPLOAD_BYTES = CONFIG.import_max_upload_mb * 1024 * 1024

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "nofault.web.accounts",
    "nofault.web.incidents",
    "nofault.web.postmortems",
    "nofault.web.actions",
    "nofault.web.guides",
    "nofault.web.integrations",
    "nofault.web.reviews",
    "nofault.web.insights",
    "nofault.web.search",
    "nofault.web.inbox",
    "nofault.web.worker",
    "nofault.web.meetings",
    "nofault.web.notifications",
    "nofault.web.scim",
    "nofault.web.audit",
]

MIDDLEWARE = [
    "nofault.web.request_id.RequestIdMiddleware",
    "nofault.web.audit.middleware.ClientAddressMiddleware",
    "nofault.web.health.MetricsMiddleware",
    "nofault.web.middleware.FreezeWarmObjectsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "nofault.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nofault.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nofault.web.urls"
WSGI_APPLICATION = "nofault.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nofault.web.context.nofault",
            ],
            "libraries": {"nofault_tags": "nofault.web.templatetags"},
        },
    },
]

DATABASES = {"default": CONFIG.database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling the access filter costs ~30 ms per page query and saves nothing on
    # queries this short; options given in DATABASE_URL (?options=...) still apply after it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, ["-c jit=off", _options.get("options", "")]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitation and password-reset links are signed, single-use (they stop working once a password
# is set) and expire after NOFAULT_INVITE_DAYS.
PASSWORD_RESET_TIMEOUT = CONFIG.invite_days * 24 * 3600
NOFAULT_BASE_URL = CONFIG.base_url
NOFAULT_TRUSTED_PROXIES = CONFIG.trusted_proxies
# SCIM 2.0 provisioning (django-scim2): people as Users, teams as Groups, a bearer token per
# identity provider; a group in the role map gives its members that role.
NOFAULT_SCIM_ROLE_MAP = CONFIG.scim_role_map
NOFAULT_SCIM_DEFAULT_ROLE = CONFIG.scim_default_role
SCIM_SERVICE_PROVIDER = {
    "SCHEME": CONFIG.base_url.split("://", 1)[0],
    "NETLOC": CONFIG.base_url.split("://", 1)[1].split("/", 1)[0],
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token from `nofault scim token NAME`",
            "primary": True,
        }
    ],
    "USER_ADAPTER": "nofault.web.scim.adapters.ScimUserAdapter",
    "GROUP_ADAPTER": "nofault.web.scim.adapters.ScimTeamAdapter",
    "GROUP_MODEL": "nofault.web.accounts.models.Team",
    "USER_FILTER_PARSER": "nofault.web.scim.filters.UserFilter",
    "GROUP_FILTER_PARSER": "nofault.web.scim.filters.TeamFilter",
    "AUTH_CHECK_MIDDLEWARE": "nofault.web.scim.auth.ScimBearerAuth",
    "SERVICE_PROVIDER_CONFIG_MODEL": "nofault.web.scim.views.ServiceProviderConfig",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="nofault SCIM"',
}
NOFAULT_AUDIT_RETENTION_DAYS = CONFIG.audit_retention_days
NOFAULT_METRICS_TOKEN = CONFIG.metrics_token
NOFAULT_WORKER_STALE_SECONDS = CONFIG.worker_stale_seconds
NOFAULT_TASK_LEASE_SECONDS = CONFIG.task_lease_seconds
NOFAULT_TASKS = CONFIG.tasks
NOFAULT_CELERY_BROKER_URL = CONFIG.celery_broker_url
DEFAULT_FROM_EMAIL = CONFIG.email_from
EMAIL_BACKEND = CONFIG.email["EMAIL_BACKEND"]
EMAIL_HOST = CONFIG.email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = CONFIG.email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = CONFIG.email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = CONFIG.email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = CONFIG.email.get("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = CONFIG.email.get("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = CONFIG.email.get("EMAIL_TIMEOUT", 10)
# Single sign-on (docs/sign-in.md): NOFAULT_OIDC is None when no provider is configured. The
# guard comes first: in SSO-only mode it refuses passwords, except break-glass admins'.
NOFAULT_OIDC = CONFIG.oidc
NOFAULT_SSO_ONLY = CONFIG.sso_only
NOFAULT_SSO_BREAK_GLASS = CONFIG.sso_break_glass
AUTHENTICATION_BACKENDS = [
    "nofault.web.accounts.oidc.PasswordLoginGuard",
    "django.contrib.auth.backends.ModelBackend",
    "nofault.web.accounts.oidc.OidcBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = CONFIG.time_zone
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = CONFIG.data_dir / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain copies: compressing the API docs' bundles at every start costs a minute.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Served from the app folders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: CSRF everywhere, cookies only over TLS when behind it, no framing, no sniffing.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG.behind_tls
CSRF_COOKIE_SECURE = CONFIG.behind_tls
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CONFIG.behind_tls:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nofault.web.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "nofault.web.paging.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "nofault.web.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "nofault.web.parsers.MarkdownParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "nofault API",
    "DESCRIPTION": "Incidents, blameless postmortems, action items and the linter.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nofault.web.api_schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nofault.web.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "nofault.web.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": CONFIG.log_format,
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
