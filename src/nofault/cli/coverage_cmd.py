"""`nofault coverage`: the review coverage ledger, read from a nofault server's REST API."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from nofault.cli.console import fail, stdout
from nofault.cli.extras import require
from nofault.cli.main import ExitCode, app


class CoverageFormat(StrEnum):
    """Output formats of `nofault coverage`."""

    TEXT = "text"
    JSON = "json"


EXIT_UNREACHABLE = 3


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _rates(title: str, groups: dict[str, Any]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(title.split()[-1].capitalize())
    for column in ("Covered", "Incidents", "Rate"):
        table.add_column(column, justify="right")
    for name, rate in groups.items():
        table.add_row(name, str(rate["covered"]), str(rate["total"]), _percent(rate["rate"]))
    return table


def fetch_coverage(
    server: str, token: str | None, *, state: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """Return the server's `/api/coverage` answer (raises `httpx.HTTPError` when unreachable)."""
    import httpx

    params: dict[str, str | int] = {"limit": limit}
    if state:
        params["state"] = state
    headers = {"Authorization": f"Token {token}"} if token else {}
    response = httpx.get(
        f"{server.rstrip('/')}/api/coverage", params=params, headers=headers, timeout=30
    )
    if response.status_code in (401, 403):
        raise PermissionError("the server refused the token (see `nofault coverage --help`)")
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


@app.command()
def coverage(
    server: str = typer.Option(
        os.environ.get("NOFAULT_SERVER", "http://127.0.0.1:8000"),
        "--server",
        help="The nofault server (or $NOFAULT_SERVER).",
    ),
    token: str | None = typer.Option(
        os.environ.get("NOFAULT_TOKEN"),
        "--token",
        help="An API token (POST /api/token/, or $NOFAULT_TOKEN).",
        show_default=False,
    ),
    output_format: CoverageFormat = typer.Option(
        CoverageFormat.TEXT, "--format", "-f", help="Output format.", case_sensitive=False
    ),
    state: str | None = typer.Option(
        None,
        "--state",
        help="List only incidents in this state (missing, drafting, in_review, published, "
        "waived, overdue).",
    ),
    limit: int = typer.Option(50, "--limit", "-n", min=0, max=1000, help="Incidents to list."),
) -> None:
    """Show every incident's review state and the coverage rate by severity, team and month."""
    require("web", "coverage")
    import httpx

    try:
        data = fetch_coverage(server, token, state=state, limit=limit)
    except PermissionError as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    except (httpx.HTTPError, ValueError) as exc:
        fail(f"cannot read {server}/api/coverage: {exc}")
        raise typer.Exit(EXIT_UNREACHABLE) from None
    if output_format is CoverageFormat.JSON:
        typer.echo(json.dumps(data, indent=2))
        return
    total = data["total"]
    stdout.print(
        f"Review coverage: {_percent(total['rate'])} "
        f"({total['covered']} of {total['total']} incidents published or waived)"
    )
    states = ", ".join(f"{n} {s}" for s, n in sorted(total["states"].items()))
    if states:
        stdout.print(f"States: {states}")
    for title, key in (("By severity", "by_severity"), ("By team", "by_team"),
                       ("By month", "by_month")):  # fmt: skip
        if data[key]:
            stdout.print(_rates(title, data[key]))
    if not data["incidents"]:
        return
    table = Table(title=f"Incidents ({len(data['incidents'])} of {data['count']})",
                  title_justify="left")  # fmt: skip
    for column in ("Incident", "Severity", "Review", "State", "Due", "Title"):
        table.add_column(column)
    for row in data["incidents"]:
        state_text = row["state"]
        if row.get("waiver"):
            w = row["waiver"]
            state_text += f" (by {w['by']} as {w['role']}: {w['reason']})"
        table.add_row(row["key"], row["severity"], row["level"], state_text, row["due"] or "",
                      row["title"])  # fmt: skip
    stdout.print(table)
