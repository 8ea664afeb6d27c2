"""`nofault guide`: write example inputs, and build the Blameless Postmortem Guide."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from nofault.cli.console import fail, stderr
from nofault.cli.extras import require
from nofault.cli.main import ExitCode, app
from nofault.core.guide import (
    STARTER_FILES,
    GuideInputError,
    PdfUnavailable,
    load_guide_config,
    make_guide,
    read_inputs,
    starter_file,
    to_html,
    to_markdown,
    to_pdf,
)

guide_app = typer.Typer(
    help="The Blameless Postmortem Guide, built from your core values and leadership principles.",
    no_args_is_help=True,
)
app.add_typer(guide_app, name="guide")


class GuideFormat(StrEnum):
    """Output formats of `nofault guide build`."""

    MD = "md"
    HTML = "html"
    PDF = "pdf"


@guide_app.command("init")
def init(
    directory: Path = typer.Argument(Path("."), help="Folder to write the example files into."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
) -> None:
    """Write documented example values.yaml, principles.yaml and guide.toml to start from."""
    targets = [directory / name for name in STARTER_FILES]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        fail(f"{', '.join(map(str, existing))} already exist (use --force to overwrite)")
        raise typer.Exit(ExitCode.USAGE)
    directory.mkdir(parents=True, exist_ok=True)
    for target in targets:
        target.write_text(starter_file(target.name), encoding="utf-8")
        stderr.print(f"wrote {target}")
    stderr.print(
        f"next: edit them, then run [bold]nofault guide build --values {targets[0]} "
        f"--principles {targets[1]} --config {targets[2]} -o guide.html[/]",
        markup=True,
    )


@guide_app.command("build")
def build(
    values: Path = typer.Option(
        None, "--values", help="Core values: YAML, or a Markdown list `- **Name**: description`."
    ),
    principles: Path = typer.Option(
        None, "--principles", help="Leadership principles: YAML or a Markdown list."
    ),
    config: Path = typer.Option(
        None, "--config", "-c", help="guide.toml: name, severities, deadlines, roles, template."
    ),
    fmt: GuideFormat = typer.Option(
        None, "--format", "-f", help="md, html or pdf (default: from the -o suffix, else md)."
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="File to write. Without it Markdown or HTML is printed."
    ),
    organisation: str = typer.Option(
        None,
        "--organisation",
        "--organization",
        help="The organisation's name (default: `name` under [organisation] in guide.toml).",
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Fail when a value or principle still maps to no practice (for CI).",
    ),
) -> None:
    """Build the guide: the process, roles, template and language, traced to your values."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = {"html": GuideFormat.HTML, "htm": GuideFormat.HTML, "pdf": GuideFormat.PDF}.get(
            suffix, GuideFormat.MD
        )
    if fmt is GuideFormat.PDF and output is None:
        fail("PDF output needs a file: add -o guide.pdf")
        raise typer.Exit(ExitCode.USAGE)
    if fmt is GuideFormat.PDF:
        require("pdf", "guide build --format pdf")
    try:
        inputs = read_inputs(values, principles)
        settings = load_guide_config(config)
        guide = make_guide(inputs, settings, organisation=organisation)
    except GuideInputError as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc
    for warning in guide.warnings:
        stderr.print(f"[yellow]warning:[/] {config or 'guide.toml'}: {warning}", markup=True)
    try:
        if fmt is GuideFormat.PDF:
            data: bytes | str = to_pdf(guide)
        elif fmt is GuideFormat.HTML:
            data = to_html(guide)
        else:
            data = to_markdown(guide)
    except PdfUnavailable as exc:
        fail(str(exc))
        raise typer.Exit(ExitCode.USAGE) from exc
    if output is None:
        typer.echo(data, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8")
        stderr.print(f"wrote {output} ({fmt.value})")
    traced = len(guide.traces)
    todo = guide.to_complete
    stderr.print(f"{traced - len(todo)} of {traced} values and principles map to practices")
    for trace in todo:
        s = trace.statement
        stderr.print(
            f"[yellow]to complete:[/] {s.source}:{s.line}: {s.kind.value} {s.name!r} "
            "maps to no practice yet; describe it, or add `practices:` or `themes:`",
            markup=True,
        )
    guessed = [t for t in guide.traces if t.matched_by.value == "closest"]
    for trace in guessed:
        s = trace.statement
        labels = ", ".join(t.label for t in trace.themes)
        stderr.print(
            f"[yellow]to confirm:[/] {s.source}:{s.line}: {s.kind.value} {s.name!r} "
            f"read as the closest themes ({labels}); confirm them with `themes:`",
            markup=True,
        )
    if strict and todo:
        raise typer.Exit(ExitCode.FINDINGS)
