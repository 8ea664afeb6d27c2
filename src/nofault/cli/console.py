"""Shared Rich consoles: findings to stdout, messages to stderr."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """Print an error message to stderr, its text as written (brackets are not markup)."""
    stderr.print(f"[bold red]error:[/] {escape(message)}", markup=True)
