"""Render a Guide as PDF through WeasyPrint: the HTML page, with page numbers and the name."""

from __future__ import annotations

from nofault.core import pdf as core_pdf
from nofault.core.guide.model import Guide
from nofault.core.guide.render import to_html
from nofault.core.pdf import html_to_pdf


class PdfUnavailable(OSError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


# Page furniture for print: the organisation's name at the top of every page (taken from the
# cover, so it never passes through CSS string escaping) and "page N of M" at the bottom.
PDF_CSS = """
@page { size: A4; margin: 15mm 14mm 15mm 14mm;
  @top-left { content: string(org); font-size: 8pt; color: #5b6475; }
  @top-right { content: string(part); font-size: 8pt; color: #5b6475; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
                   color: #5b6475; } }
@page :first { @top-left { content: none; } @top-right { content: none; } }
#org-name { string-set: org content(); }
section.part h2 { string-set: part content(); }
nav.toc { columns: 2; column-gap: 1.5rem; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
"""


def to_pdf(guide: Guide) -> bytes:
    """Render the guide to PDF bytes; raise PdfUnavailable when WeasyPrint cannot run."""
    try:
        return html_to_pdf(to_html(guide, extra_css=PDF_CSS))
    except core_pdf.PdfUnavailable as exc:
        raise PdfUnavailable(str(exc)) from exc
