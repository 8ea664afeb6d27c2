"""Shared Rich consoles: findings to stdout, messages to stderr."""

from __future__ import annotations

from rich.console import Console

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """Print an error message to stderr."""
    stderr.print(f"[bold red]error:[/] {message}", markup=True)
