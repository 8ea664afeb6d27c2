"""Download a postmortem as Markdown, a standalone HTML page, or a PDF (WeasyPrint)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template.loader import render_to_string

from nofault.core.pdf import html_to_pdf
from nofault.web.postmortems.models import Postmortem
from nofault.web.rendering import markdown_to_html

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def export_filename(postmortem: Postmortem, extension: str) -> str:
    """A safe file name: the incident key and the title, slugged."""
    slug = re.sub(r"[^a-z0-9]+", "-", (postmortem.title or "postmortem").lower()).strip("-")[:60]
    key = re.sub(r"[^A-Za-z0-9-]+", "-", postmortem.incident.key)
    return f"{key}-{slug or 'postmortem'}.{extension}"


def export_html(postmortem: Postmortem) -> str:
    """A standalone, printable HTML page of the postmortem (sanitised)."""
    return render_to_string(
        "postmortems/export.html",
        {"postmortem": postmortem, "body": markdown_to_html(postmortem.source)},
    )


def export_pdf(postmortem: Postmortem) -> bytes:
    """The postmortem as PDF, rendered from the HTML export by WeasyPrint."""
    # Authors write the page, readers download it: nothing outside the app's static files is
    # read while rendering, so an image URL in the text cannot make the server fetch it.
    return html_to_pdf(export_html(postmortem), local_roots=[STATIC_DIR])
