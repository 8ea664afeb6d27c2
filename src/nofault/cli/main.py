"""The `nofault` command: a Typer app whose commands live in sibling modules."""

from __future__ import annotations

from enum import IntEnum

import typer

from nofault.__about__ import __version__


class ExitCode(IntEnum):
    """Exit codes every command uses (documented in docs/cli.md)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


app = typer.Typer(
    name="nofault",
    help="Blameless postmortems: write them from your organisation's template, lint them for "
    "blame and shallow analysis, and follow through on their action items.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nofault {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Blameless postmortems from the command line."""


# Each module registers its commands on `app` when imported.
from nofault.cli import (  # noqa: E402, F401
    coverage_cmd,
    guide_cmd,
    insights_cmd,
    lint_cmd,
    new_cmd,
    remind_cmd,
    rules_cmd,
    web_cmd,
)
