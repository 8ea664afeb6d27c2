"""Render a Guide as PDF through WeasyPrint: the HTML page, with page numbers and the name."""

from __future__ import annotations

from dataclasses import dataclass

from nofault.core import pdf as core_pdf
from nofault.core.guide.model import Guide
from nofault.core.guide.render import to_html
from nofault.core.pdf import html_layout


class PdfUnavailable(OSError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


# Page furniture for print: the organisation's name at the top of every page (taken from the
# cover, so it never passes through CSS string escaping) and "page N of M" at the bottom.
PDF_CSS = """
@page { size: A4; margin: 15mm 14mm 15mm 14mm;
  @top-left { content: string(org); font-size: 8pt; color: #5b6475; }
  @top-right { content: string(part, start); font-size: 8pt; color: #5b6475; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
                   color: #5b6475; } }
@page :first { @top-left { content: none; } @top-right { content: none; } }
#org-name { string-set: org content(); }
section.part h2 { string-set: part content(); }
nav.toc { columns: 2; column-gap: 1.5rem; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
"""


@dataclass(frozen=True, slots=True)
class PdfLayout:
    """The PDF of a guide and where its parts fall: `starts` maps each part's key to its page."""

    data: bytes
    pages: int
    starts: dict[str, int]

    @property
    def before_appendix(self) -> int:
        """Pages before the one the appendix starts on (every page when there is none)."""
        return self.starts["appendix"] - 1 if "appendix" in self.starts else self.pages


def pdf_layout(guide: Guide) -> PdfLayout:
    """Render the guide to PDF and say on which page each part starts."""
    try:
        document = html_layout(to_html(guide, extra_css=PDF_CSS))
    except core_pdf.PdfUnavailable as exc:
        raise PdfUnavailable(str(exc)) from exc
    starts = {}
    for part in guide.parts:
        starts[part.key] = next(
            n for n, page in enumerate(document.pages, start=1) if part.anchor in page.anchors
        )
    return PdfLayout(document.write_pdf(), len(document.pages), starts)


def to_pdf(guide: Guide) -> bytes:
    """Render the guide to PDF bytes; raise PdfUnavailable when WeasyPrint cannot run."""
    return pdf_layout(guide).data
