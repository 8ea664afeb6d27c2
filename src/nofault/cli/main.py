"""The `nofault` command: a Typer app whose commands live in sibling modules."""

from __future__ import annotations

import importlib
import sys
from enum import IntEnum
from typing import Any

if sys.argv[1:2] == ["lint"]:
    # `nofault lint` compiles through the patterns kept from earlier runs from the start, so
    # that the libraries' own (Typer's, pydantic's, about 50) are read back too.
    from nofault.core.lint.kept import use_kept

    use_kept()

import typer
from typer.core import TyperGroup

from nofault.__about__ import __version__


class ExitCode(IntEnum):
    """Exit codes every command uses (documented in docs/cli.md)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


# Each command's module, imported only when the command runs (or help lists it): `nofault
# lint` starts without the guide, the insights or the web code, and a command whose extra is
# not installed says so when it runs (nofault.cli.extras). A module registers its commands on
# `app` when imported; a new command adds its name here.
COMMAND_MODULES = {
    "lint": "nofault.cli.lint_cmd",
    "rules": "nofault.cli.rules_cmd",
    "rule": "nofault.cli.rules_cmd",
    "new": "nofault.cli.new_cmd",
    "import": "nofault.cli.import_cmd",
    "guide": "nofault.cli.guide_cmd",
    "similar": "nofault.cli.insights_cmd",
    "themes": "nofault.cli.insights_cmd",
    "report": "nofault.cli.insights_cmd",
    "coverage": "nofault.cli.coverage_cmd",
    "remind": "nofault.cli.remind_cmd",
    "deliveries": "nofault.cli.deliveries_cmd",
    "audit": "nofault.cli.audit_cmd",
    "worker": "nofault.cli.worker_cmd",
    "backup": "nofault.cli.backup_cmd",
    "restore": "nofault.cli.backup_cmd",
    "export": "nofault.cli.backup_cmd",
    "serve": "nofault.cli.web_cmd",
    "createadmin": "nofault.cli.user_cmd",
    "user": "nofault.cli.user_cmd",
    "scim": "nofault.cli.scim_cmd",
    "demo": "nofault.cli.web_cmd",
    "lsp": "nofault.cli.lsp_cmd",
}


class LazyCommands(TyperGroup):
    """The top-level command group: it imports a command's module when the command is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Return every command name, the table's order first."""
        return [*COMMAND_MODULES, *(name for name in self.commands if name not in COMMAND_MODULES)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return a command, importing its module and building it on first use."""
        module = COMMAND_MODULES.get(cmd_name)
        if cmd_name not in self.commands and module is not None:
            importlib.import_module(module)
            built = typer.main.get_command(app)
            self.commands.update(getattr(built, "commands", {}))
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="nofault",
    cls=LazyCommands,
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
