"""Dependencies point one way: core imports nothing from cli, web or their frameworks."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).parents[1] / "src" / "nofault" / "core"
FORBIDDEN = ("nofault.cli", "nofault.web", "django", "rest_framework", "typer", "rich")


def test_core_imports_no_interface_code() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.startswith(FORBIDDEN):
                    offenders.append(
                        f"{path.relative_to(CORE.parent)}:{node.lineno} imports {name}"
                    )
    assert offenders == []
