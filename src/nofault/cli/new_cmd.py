"""`nofault new`: write a new postmortem from the template."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import typer

from nofault.cli.console import fail, stderr
from nofault.cli.main import ExitCode, app
from nofault.core.document import DEFAULT_SEVERITIES, ReviewLevel
from nofault.core.guide import GuideInputError, load_guide_config
from nofault.core.guide.config import GuideConfig
from nofault.core.lint.config import ConfigError, discover_config
from nofault.core.template import new_postmortem_markdown


def slugify(text: str) -> str:
    """Return a file-name-safe slug of a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "postmortem"


@app.command()
def new(
    title: str = typer.Option("Untitled incident", "--title", "-t", help="The postmortem's title."),
    severity: str = typer.Option(None, "--severity", "-s", help="Severity, e.g. SEV2."),
    incident: list[str] = typer.Option(
        [], "--incident", "-i", help="Incident id this postmortem reviews (repeatable)."
    ),
    light: bool = typer.Option(
        False, "--light", help="A light review for a minor incident: only the few key sections."
    ),
    author: list[str] = typer.Option([], "--author", "-a", help="Author (repeatable)."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="File to write, or a folder to write a new file into. "
        "Without it the postmortem is printed.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    guide: Path = typer.Option(
        None,
        "--guide",
        help="guide.toml whose template to follow (default: `guide` under "
        "[tool.nofault] in the nearest config).",
    ),
) -> None:
    """Write a new postmortem from the template, every section with a line of guidance."""
    settings = _guide_settings(guide, output)
    if severity is not None and severity.upper() in DEFAULT_SEVERITIES:
        severity = severity.upper()
    level = ReviewLevel.LIGHT if light else ReviewLevel.FULL
    if settings is not None and severity is not None:
        defined = settings.severity(severity)
        if defined is not None:
            severity = defined.name
            level = ReviewLevel.LIGHT if light else defined.review
    text = new_postmortem_markdown(
        title=title,
        severity=severity,
        incidents=incident,
        review_level=level,
        authors=author,
        **({"template": settings.postmortem_template} if settings is not None else {}),
    )
    if output is None:
        typer.echo(text, nl=False)
        return
    target = output
    if output.is_dir() or str(output).endswith(("/", "\\")):
        target = output / f"{date.today().isoformat()}-{slugify(title)}.md"
    if target.exists() and not force:
        fail(f"{target} already exists (use --force to overwrite)")
        raise typer.Exit(ExitCode.USAGE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    stderr.print(f"wrote {target}")


def _guide_settings(guide: Path | None, output: Path | None) -> GuideConfig | None:
    """The guide whose template to follow: `--guide`, else `guide =` in the nearest config."""
    try:
        if guide is None:
            config = discover_config(output if output is not None else Path.cwd())
            if not config.guide:
                return None
            base = Path(config.source).parent if config.source else Path.cwd()
            guide = base / config.guide
        return load_guide_config(guide)
    except (GuideInputError, ConfigError) as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc
