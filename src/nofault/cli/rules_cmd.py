"""`nofault rules` and `nofault rule CODE`: what the linter checks, and why."""

from __future__ import annotations

import typer
from rich.markdown import Markdown
from rich.table import Table

from nofault.cli.console import fail, stdout
from nofault.cli.main import ExitCode, app
from nofault.core.lint.docs import rule_doc_markdown
from nofault.core.lint.registry import all_rules, get_rule


@app.command(name="rules")
def rules_command(
    category: str = typer.Option(None, "--category", "-c", help="Only this category."),
    plain: bool = typer.Option(False, "--plain", help="Tab-separated, for scripts."),
) -> None:
    """List every lint rule: code, path, level, status, since which version, and what it flags."""
    rules = [r for r in all_rules() if category is None or r.category.value == category]
    if plain:
        for r in rules:
            typer.echo(
                f"{r.code}\t{r.path}\t{r.level.value}\t{r.status.value}\t{r.since}\t{r.message}"
            )
        return
    table = Table(
        "Code", "Rule", "Level", "Status", "Since", "Flags", box=None, header_style="bold"
    )
    for r in rules:
        table.add_row(r.code, r.path, r.level.value, r.status.value, r.since, r.message)
    stdout.print(table)


@app.command(name="rule")
def rule_command(
    code: str = typer.Argument(..., help="A rule code (BLM101) or dotted path."),
    raw: bool = typer.Option(False, "--markdown", help="Print the Markdown source."),
) -> None:
    """Explain one rule: what it flags, why it hurts a blameless review, and what to write."""
    rule = get_rule(code)
    if rule is None:
        fail(f"no rule {code!r} (see `nofault rules`)")
        raise typer.Exit(ExitCode.USAGE)
    text = rule_doc_markdown(rule)
    if raw or not stdout.is_terminal:
        typer.echo(text, nl=False)
    else:
        stdout.print(Markdown(text))
