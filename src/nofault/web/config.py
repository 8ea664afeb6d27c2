"""Web settings from the environment or a TOML file, checked once at start.

Every setting has an environment variable (`NOFAULT_*`, or `DATABASE_URL`) and the same
key in lower case in the file named by `NOFAULT_CONFIG` (see docs/web.md for the example).
The environment wins over the file. A wrong value raises `ConfigError` naming the setting.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names it."""


@dataclass(frozen=True)
class OidcConfig:
    """Sign-in with the company's OpenID Connect provider (see docs/sign-in.md)."""

    issuer: str
    client_id: str
    client_secret: str = ""
    name: str = "single sign-on"
    discovery_url: str = ""
    scopes: str = "openid email profile"
    username_claim: str = "preferred_username"
    groups_claim: str = "groups"
    # provider group -> nofault role, and provider group -> team name
    role_map: dict[str, str] = field(default_factory=dict)
    team_map: dict[str, str] = field(default_factory=dict)
    default_role: str = "viewer"

    @property
    def discovery(self) -> str:
        """Where the provider's metadata is read: the setting, or the issuer's well-known URL."""
        return self.discovery_url or self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class WebConfig:
    """The checked settings the Django project is built from."""

    data_dir: Path
    secret_key: str
    debug: bool
    allowed_hosts: list[str]
    database: dict[str, Any]
    behind_tls: bool
    time_zone: str
    organisation: str
    csrf_trusted_origins: list[str] = field(default_factory=list)
    login_attempts: int = 5
    login_window_minutes: int = 15
    import_max_upload_mb: int = 50
    email: dict[str, Any] = field(default_factory=lambda: {"EMAIL_BACKEND": _CONSOLE_MAIL})
    email_from: str = "nofault@localhost"
    base_url: str = "http://127.0.0.1:8000"
    invite_days: int = 3
    trusted_proxies: list[str] = field(default_factory=list)
    metrics_token: str = ""
    log_format: str = "plain"
    worker_stale_seconds: int = 120
    task_lease_seconds: int = 600
    tasks: str = "database"
    celery_broker_url: str = "redis://127.0.0.1:6379/0"
    oidc: OidcConfig | None = None
    sso_only: bool = False
    sso_break_glass: list[str] = field(default_factory=list)
    audit_retention_days: int = 365
    scim_role_map: dict[str, str] = field(default_factory=dict)
    scim_default_role: str = "author"


# name -> (environment variable, description) ; the documented settings.
SETTINGS: dict[str, tuple[str, str]] = {
    "data_dir": ("NOFAULT_DATA_DIR", "folder for the SQLite database and the secret key (./data)"),
    "database_url": ("DATABASE_URL", "postgres://user:pass@host:port/name; SQLite when unset"),
    "secret_key": ("NOFAULT_SECRET_KEY", "Django secret key; generated into the data folder"),
    "debug": ("NOFAULT_DEBUG", "true or false (false)"),
    "allowed_hosts": ("NOFAULT_ALLOWED_HOSTS", "comma-separated host names (localhost,127.0.0.1)"),
    "behind_tls": ("NOFAULT_BEHIND_TLS", "true when served over HTTPS: secure cookies, HSTS"),
    "time_zone": ("NOFAULT_TIME_ZONE", "IANA zone pages are shown in (UTC)"),
    "organisation": ("NOFAULT_ORGANISATION", "the organisation's name (Example Org)"),
    "csrf_trusted_origins": ("NOFAULT_CSRF_TRUSTED_ORIGINS", "comma-separated https origins"),
    "login_attempts": ("NOFAULT_LOGIN_ATTEMPTS", "failed logins allowed per window (5)"),
    "login_window_minutes": ("NOFAULT_LOGIN_WINDOW_MINUTES", "throttle window in minutes (15)"),
    "import_max_upload_mb": ("NOFAULT_IMPORT_MAX_UPLOAD_MB", "largest import upload in MB (50)"),
    "email_url": (
        "NOFAULT_EMAIL_URL",
        "smtp://user:pass@host:port (smtp+starttls:// or smtps:// for TLS); unset: mail is printed",
    ),
    "email_from": ("NOFAULT_EMAIL_FROM", "the From address of nofault's mail (nofault@localhost)"),
    "base_url": ("NOFAULT_BASE_URL", "where people reach nofault, for links in mail"),
    "invite_days": ("NOFAULT_INVITE_DAYS", "days an invitation or reset link stays valid (3)"),
    "trusted_proxies": (
        "NOFAULT_TRUSTED_PROXIES",
        "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is read",
    ),
    "metrics_token": (
        "NOFAULT_METRICS_TOKEN",
        "bearer token /metrics asks for (at least 16 characters); unset: /metrics answers 404",
    ),
    "log_format": ("NOFAULT_LOG_FORMAT", "plain or json (one JSON object a line, with request id)"),
    "worker_stale_seconds": (
        "NOFAULT_WORKER_STALE_SECONDS",
        "/readyz fails when no worker beat for this long (120); 0: no worker is checked",
    ),
    "tasks": ("NOFAULT_TASKS", "database (the queue in the database; default) or celery"),
    "celery_broker_url": (
        "NOFAULT_CELERY_BROKER_URL",
        "the broker with NOFAULT_TASKS=celery: redis://… or amqp://… (redis://127.0.0.1:6379/0)",
    ),
    "task_lease_seconds": (
        "NOFAULT_TASK_LEASE_SECONDS",
        "how long a task's claim holds before another worker runs it again (600)",
    ),
    "audit_retention_days": (
        "NOFAULT_AUDIT_RETENTION_DAYS",
        "days the audit log keeps an event before pruning removes it (365)",
    ),
    "oidc_issuer": (
        "NOFAULT_OIDC_ISSUER",
        "the OpenID Connect provider's issuer URL; unset: no single sign-on",
    ),
    "oidc_client_id": ("NOFAULT_OIDC_CLIENT_ID", "nofault's client id at the provider"),
    "oidc_client_secret": ("NOFAULT_OIDC_CLIENT_SECRET", "nofault's client secret"),
    "oidc_name": ("NOFAULT_OIDC_NAME", "the provider's name on the button (single sign-on)"),
    "oidc_discovery_url": (
        "NOFAULT_OIDC_DISCOVERY_URL",
        "the provider's metadata (the issuer's /.well-known/openid-configuration)",
    ),
    "oidc_scopes": ("NOFAULT_OIDC_SCOPES", "scopes asked for (openid email profile)"),
    "oidc_username_claim": (
        "NOFAULT_OIDC_USERNAME_CLAIM",
        "claim a new account's username comes from (preferred_username)",
    ),
    "oidc_groups_claim": ("NOFAULT_OIDC_GROUPS_CLAIM", "claim that lists the groups (groups)"),
    "oidc_role_map": (
        "NOFAULT_OIDC_ROLE_MAP",
        "group=role pairs, comma-separated (sre-leads=facilitator,eng=author); set at each login",
    ),
    "oidc_team_map": (
        "NOFAULT_OIDC_TEAM_MAP",
        "group=team pairs, comma-separated (eng-payments=Payments); set at each login",
    ),
    "oidc_default_role": (
        "NOFAULT_OIDC_DEFAULT_ROLE",
        "role of a person none of whose groups is in the role map (viewer)",
    ),
    "sso_only": (
        "NOFAULT_SSO_ONLY",
        "true: password login is off (the API's tokens still work), except for break-glass admins",
    ),
    "sso_break_glass": (
        "NOFAULT_SSO_BREAK_GLASS",
        "comma-separated usernames of admins who may still log in with a password",
    ),
    "scim_role_map": (
        "NOFAULT_SCIM_ROLE_MAP",
        "SCIM group=role pairs, comma-separated (sre-leads=facilitator); unset: the OIDC one",
    ),
    "scim_default_role": (
        "NOFAULT_SCIM_DEFAULT_ROLE",
        "role of a person SCIM creates, or whose groups are not in the role map (author)",
    ),
}

_CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, raw: object, minimum: int = 1) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def _list(raw: object) -> list[str]:
    if isinstance(raw, list):
        return [str(v).strip() for v in raw if str(v).strip()]
    return [part.strip() for part in str(raw).split(",") if part.strip()]


def parse_database_url(url: str, *, data_dir: Path, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn a database URL into Django's DATABASES entry; SQLite in the data folder when empty."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "nofault.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in ("sqlite", "sqlite3"):
        path = unquote(parsed.path)
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/"):
            path = path[1:] or ":memory:"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    if scheme not in ("postgres", "postgresql", "pgsql", "postgresql+psycopg"):
        raise ConfigError(
            f"{name} must start with postgres:// (or be empty for SQLite), not {scheme or url!r}://"
        )
    db_name = unquote(parsed.path.lstrip("/"))
    if not db_name:
        raise ConfigError(f"{name} names no database: add /NAME after the host")
    try:
        port = parsed.port
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number") from None
    # Statements are bound client-side (Django's default): nothing is prepared, so any
    # connection pooler works.
    options: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(parsed.hostname or ""),
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def _read_file(path_text: str) -> dict[str, Any]:
    path = Path(path_text)
    if not path.is_file():
        raise ConfigError(f"NOFAULT_CONFIG names {path_text!r}, which is not a file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"NOFAULT_CONFIG file {path_text} is not valid TOML: {exc}") from None
    section = data.get("nofault", data)
    if not isinstance(section, dict):
        raise ConfigError(f"NOFAULT_CONFIG file {path_text}: [nofault] must be a table")
    unknown = sorted(set(section) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"NOFAULT_CONFIG file {path_text}: unknown setting {unknown[0]!r} "
            f"(known: {', '.join(SETTINGS)})"
        )
    return section


def parse_email_url(url: str, *, name: str = "NOFAULT_EMAIL_URL") -> dict[str, Any]:
    """Turn a mail URL into Django's EMAIL_* settings; mail is printed when the URL is empty."""
    if not url or url == "console":
        return {"EMAIL_BACKEND": _CONSOLE_MAIL}
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme not in ("smtp", "smtps", "smtp+starttls") or not parsed.hostname:
        raise ConfigError(
            f"{name} must be smtp://host:port, smtp+starttls://… or smtps://…, or console, "
            f"not {url.split('@')[-1]!r}"
        )
    try:
        port = parsed.port or (465 if scheme == "smtps" else 25)
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": scheme == "smtp+starttls",
        "EMAIL_TIMEOUT": 10,
    }


def _pairs(name: str, raw: object) -> dict[str, str]:
    """Read `group=value` pairs, comma-separated (or a TOML table)."""
    if isinstance(raw, dict):
        items = [(str(k), str(v)) for k, v in raw.items()]
    else:
        items = []
        for part in _list(raw):
            group, sep, value = part.partition("=")
            if not sep:
                raise ConfigError(f"{name}: {part!r} is not group=value")
            items.append((group, value))
    pairs = {group.strip(): value.strip() for group, value in items}
    if any(not group or not value for group, value in pairs.items()):
        raise ConfigError(f"{name}: a pair has an empty group or value")
    return pairs


def _scim_roles(get: Any, oidc: OidcConfig | None) -> tuple[dict[str, str], str]:
    """SCIM's group-to-role map (the OIDC one when unset) and the role of everyone else."""
    from nofault.web.choices import Role

    name, raw = get("scim_role_map", "")
    role_map = _pairs(name, raw) if str(raw).strip() else dict(oidc.role_map if oidc else {})
    default_name, default = get("scim_default_role", "author")
    for setting, role in [*((name, r) for r in role_map.values()), (default_name, default)]:
        if role not in Role.values():
            raise ConfigError(
                f"{setting}: {role!r} is not a role (one of {', '.join(Role.values())})"
            )
    return role_map, str(default)


def _oidc(get: Any) -> OidcConfig | None:
    """The single sign-on settings, or None when no issuer is set."""
    from nofault.web.choices import Role

    name, raw = get("oidc_issuer", "")
    issuer = str(raw).strip()
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise ConfigError(f"{name} must start with https://, not {issuer!r}")
    name, raw = get("oidc_client_id", "")
    if not str(raw).strip():
        raise ConfigError(f"{name} is needed with NOFAULT_OIDC_ISSUER")
    values = {"client_id": str(raw).strip()}
    keys = ("client_secret", "name", "discovery_url", "scopes", "username_claim", "groups_claim")
    for key in (*keys, "default_role"):
        values[key] = str(get(f"oidc_{key}", getattr(OidcConfig, key))[1]).strip()
    if "openid" not in values["scopes"].split():
        raise ConfigError(f"{get('oidc_scopes', '')[0]} must include openid")
    role_map = _pairs(*get("oidc_role_map", ""))
    team_map = _pairs(*get("oidc_team_map", ""))
    roles = [("oidc_role_map", role) for role in role_map.values()]
    for key, role in [*roles, ("oidc_default_role", values["default_role"])]:
        if role not in Role.values():
            raise ConfigError(
                f"{get(key, '')[0]}: {role!r} is not a role (one of {', '.join(Role.values())})"
            )
    return OidcConfig(issuer=issuer, role_map=role_map, team_map=team_map, **values)


def _secret_key(data_dir: Path) -> str:
    key_file = data_dir / "secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def load_config(environ: dict[str, str] | os._Environ[str] | None = None) -> WebConfig:
    """Read and check every setting; raise ConfigError naming the first wrong one."""
    env = os.environ if environ is None else environ
    file_values = _read_file(env["NOFAULT_CONFIG"]) if env.get("NOFAULT_CONFIG") else {}

    def get(key: str, default: object) -> tuple[str, object]:
        var = SETTINGS[key][0]
        if var in env:
            return var, env[var]
        if key in file_values:
            return f"{key} (in NOFAULT_CONFIG)", file_values[key]
        return var, default

    name, raw = get("data_dir", "./data")
    data_dir = Path(str(raw)).expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{name}: cannot create the data folder {data_dir}: {exc}") from None
    if not os.access(data_dir, os.W_OK):
        raise ConfigError(f"{name}: the data folder {data_dir} is not writable")

    name, raw = get("debug", False)
    debug = _bool(name, raw)
    name, raw = get("behind_tls", False)
    behind_tls = _bool(name, raw)
    name, raw = get("allowed_hosts", "localhost,127.0.0.1,[::1],testserver")
    hosts = _list(raw)
    if not hosts:
        raise ConfigError(f"{name} must name at least one host")
    name, raw = get("csrf_trusted_origins", "")
    origins = _list(raw)
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigError(f"{name}: {origin!r} must start with http:// or https://")
    name, raw = get("time_zone", "UTC")
    time_zone = str(raw)
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(time_zone)
    except Exception:
        raise ConfigError(f"{name}: {time_zone!r} is not a known time zone") from None
    name, raw = get("secret_key", "")
    secret = str(raw) or _secret_key(data_dir)
    if len(secret) < 32:
        raise ConfigError(f"{name} must be at least 32 characters long")
    name, raw = get("database_url", "")
    database = parse_database_url(str(raw), data_dir=data_dir, name=name)
    name, raw = get("login_attempts", 5)
    attempts = _int(name, raw)
    name, raw = get("login_window_minutes", 15)
    window = _int(name, raw)
    name, raw = get("import_max_upload_mb", 50)
    import_max = _int(name, raw)
    _, org = get("organisation", "Example Org")
    name, raw = get("email_url", "")
    email = parse_email_url(str(raw), name=name)
    _, email_from = get("email_from", "nofault@localhost")
    name, raw = get("base_url", "http://127.0.0.1:8000")
    base_url = str(raw).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must start with http:// or https://, not {base_url!r}")
    name, raw = get("invite_days", 3)
    invite_days = _int(name, raw)
    name, raw = get("trusted_proxies", "")
    proxies = _list(raw)
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(f"{name}: {proxy!r} is not an address or a network") from None
    name, raw = get("metrics_token", "")
    metrics_token = str(raw)
    if metrics_token and len(metrics_token) < 16:
        raise ConfigError(f"{name} must be at least 16 characters long")
    name, raw = get("log_format", "plain")
    log_format = str(raw).strip().lower()
    if log_format not in ("plain", "json"):
        raise ConfigError(f"{name} must be plain or json, not {raw!r}")
    name, raw = get("worker_stale_seconds", 120)
    worker_stale = _int(name, raw, minimum=0)
    name, raw = get("task_lease_seconds", 600)
    task_lease = _int(name, raw, minimum=5)
    name, raw = get("tasks", "database")
    tasks = str(raw).strip().lower()
    if tasks not in ("database", "celery"):
        raise ConfigError(f"{name} must be database or celery, not {raw!r}")
    name, raw = get("celery_broker_url", "redis://127.0.0.1:6379/0")
    broker = str(raw)
    if not broker.startswith(("redis://", "rediss://", "amqp://", "amqps://")):
        raise ConfigError(f"{name} must be a redis:// or amqp:// address, not {broker!r}")
    oidc = _oidc(get)
    name, raw = get("sso_only", False)
    sso_only = _bool(name, raw)
    if sso_only and oidc is None:
        raise ConfigError(f"{name} needs NOFAULT_OIDC_ISSUER: nobody could log in")
    break_glass = _list(get("sso_break_glass", "")[1])
    name, raw = get("audit_retention_days", 365)
    audit_retention = _int(name, raw)
    scim_role_map, scim_default_role = _scim_roles(get, oidc)
    return WebConfig(
        data_dir=data_dir,
        secret_key=secret,
        debug=debug,
        allowed_hosts=hosts,
        database=database,
        behind_tls=behind_tls,
        time_zone=time_zone,
        organisation=str(org),
        csrf_trusted_origins=origins,
        login_attempts=attempts,
        login_window_minutes=window,
        import_max_upload_mb=import_max,
        email=email,
        email_from=str(email_from),
        base_url=base_url,
        invite_days=invite_days,
        trusted_proxies=proxies,
        metrics_token=metrics_token,
        log_format=log_format,
        worker_stale_seconds=worker_stale,
        task_lease_seconds=task_lease,
        tasks=tasks,
        celery_broker_url=broker,
        oidc=oidc,
        sso_only=sso_only,
        sso_break_glass=break_glass,
        audit_retention_days=audit_retention,
        scim_role_map=scim_role_map,
        scim_default_role=scim_default_role,
    )
