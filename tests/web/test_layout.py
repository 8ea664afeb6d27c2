"""No web app reaches into another's private names (import-linter checks the layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import nofault.web

WEB = Path(nofault.web.__file__).parent


def _private(name: str) -> bool:
    # A model's _meta is Django's documented Options API, not a private name.
    return name.startswith("_") and not name.startswith("__") and name != "_meta"


def _reaches(source: str, app: str) -> list[str]:
    """The private names of other apps that a module of `app` imports or reads."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> app of the module it names
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nofault.web."):
            dotted = str(node.module).split(".")
            other = dotted[2]
            for alias in node.names:
                if other != app and (_private(alias.name) or any(map(_private, dotted[3:]))):
                    found.append(f"{node.module}.{alias.name}")
                modules[alias.asname or alias.name] = other
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and modules.get(node.value.id, app) != app
            and _private(node.attr)
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def _app(path: Path) -> str:
    parts = path.relative_to(WEB).parts
    return parts[0] if len(parts) > 1 else ""


def test_no_app_reads_another_apps_private_names() -> None:
    reached = {
        str(path.relative_to(WEB)): names
        for path in WEB.rglob("*.py")
        if "migrations" not in path.parts
        and (names := _reaches(path.read_text(encoding="utf-8"), _app(path)))
    }
    assert reached == {}


def test_the_check_sees_a_private_name() -> None:
    source = (
        "from nofault.web.postmortems import services\n"
        "from nofault.web.incidents.selectors import _hidden\n"
        "from nofault.web.actions import selectors\n"
        "services._write, selectors._filtered\n"
    )
    assert sorted(_reaches(source, "actions")) == [
        "nofault.web.incidents.selectors._hidden",
        "services._write",
    ]
