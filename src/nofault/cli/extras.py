"""Optional parts of nofault: a command whose extra is not installed says which one to add."""

from __future__ import annotations

from importlib.util import find_spec

import typer

from nofault.cli.console import fail
from nofault.cli.main import ExitCode

# The modules each extra of pyproject.toml brings, by the name they are imported as
# (tests/cli/test_core_install.py checks this against pyproject.toml).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "pdf": ("weasyprint",),
    "import": ("mammoth", "markdownify", "bs4", "defusedxml"),
    "lsp": ("pygls", "lsprotocol"),
    "insights": ("sklearn", "numpy", "scipy", "snowballstemmer"),
    "web": (
        "django",
        "rest_framework",
        "drf_spectacular",
        "drf_spectacular_sidecar",
        "argon2",
        "gunicorn",
        "whitenoise",
        "nh3",
        "psycopg",
        "httpx",
        "slack_sdk",
        "icalendar",
        "prometheus_client",
        "django_scim",
        "mozilla_django_oidc",
        "cryptography",
    ),
    "celery": ("celery", "redis"),
}
# The web app renders PDFs and computes insights: its extra brings theirs.
EXTRA_MODULES["web"] += EXTRA_MODULES["pdf"] + EXTRA_MODULES["insights"]


def missing_modules(extra: str) -> list[str]:
    """Return the modules of an extra that cannot be imported here."""
    return [name for name in EXTRA_MODULES[extra] if find_spec(name) is None]


def require(extra: str, command: str) -> None:
    """Stop with one line naming the extra to install when a module of it is missing."""
    if missing_modules(extra):
        fail(f"nofault {command} needs the {extra} extra: pip install 'nofault[{extra}]'")
        raise typer.Exit(ExitCode.USAGE)
