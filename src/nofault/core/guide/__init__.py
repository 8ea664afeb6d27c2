"""The guide: the organisation's values and principles → a Blameless Postmortem Guide.

`read_statements` and `load_guide_config` read the inputs (errors name file and line),
`make_guide` makes the Guide, and `to_markdown`, `to_html` and `to_pdf` render it;
`build_guide` does all of it from file paths in one call (the web app uses it).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from nofault.core.guide.build import make_guide
from nofault.core.guide.config import GuideConfig, load_guide_config, parse_guide_config
from nofault.core.guide.errors import GuideInputError
from nofault.core.guide.inputs import Inputs, Statement, StatementKind, read_statements
from nofault.core.guide.model import Guide, Trace
from nofault.core.guide.pdf import PdfUnavailable, to_pdf
from nofault.core.guide.render import to_html, to_html_body, to_markdown

STARTER_FILES = ("values.yaml", "principles.yaml", "guide.toml")


def starter_file(name: str) -> str:
    """Return the text of one documented example input file (`nofault guide init` writes them)."""
    return (
        resources.files("nofault.core.guide")
        .joinpath(f"data/starter/{name}")
        .read_text(encoding="utf-8")
    )


def read_inputs(values: Path | None, principles: Path | None) -> Inputs:
    """Read the values and principles files; at least one must be given."""
    if values is None and principles is None:
        raise GuideInputError("<arguments>", None, "give the values, the principles, or both")
    return Inputs(
        values=read_statements(values, StatementKind.VALUE) if values else [],
        principles=read_statements(principles, StatementKind.PRINCIPLE) if principles else [],
    )


def render_guide(guide: Guide, fmt: str) -> str | bytes:
    """Render a built guide as `md`, `html` (text) or `pdf` (bytes)."""
    if fmt == "pdf":
        return to_pdf(guide)
    if fmt == "html":
        return to_html(guide)
    if fmt == "html-body":
        return to_html_body(guide)
    if fmt == "md":
        return to_markdown(guide)
    raise ValueError(f"unknown guide format {fmt!r} (use md, html or pdf)")


def build_guide(
    *,
    values: Path | None,
    principles: Path | None,
    config: Path | None = None,
    fmt: str = "md",
    organisation: str | None = None,
) -> str | bytes:
    """Read the input files, build the guide and render it; bad input raises GuideInputError."""
    guide = make_guide(
        read_inputs(values, principles), load_guide_config(config), organisation=organisation
    )
    return render_guide(guide, fmt)


__all__ = [
    "STARTER_FILES",
    "Guide",
    "GuideConfig",
    "GuideInputError",
    "Inputs",
    "PdfUnavailable",
    "Statement",
    "StatementKind",
    "Trace",
    "build_guide",
    "load_guide_config",
    "make_guide",
    "parse_guide_config",
    "read_inputs",
    "read_statements",
    "render_guide",
    "starter_file",
    "to_html",
    "to_html_body",
    "to_markdown",
    "to_pdf",
]
