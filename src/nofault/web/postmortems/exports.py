"""Download a postmortem as Markdown, a standalone HTML page, or a PDF (WeasyPrint)."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from nofault.web.postmortems.models import Postmortem
from nofault.web.rendering import markdown_to_html


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
    from weasyprint import HTML  # imported here: it loads Pango, slow at start

    # No base_url: the page has no external resources, so nothing is fetched.
    pdf: bytes = HTML(string=export_html(postmortem)).write_pdf()
    return pdf
