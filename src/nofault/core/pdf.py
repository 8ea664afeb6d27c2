"""HTML to PDF through WeasyPrint, shared by every core renderer that writes PDF.

WeasyPrint is imported on first use (it loads Pango, slow at start), and a missing library
becomes one clear error naming what to install.
"""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def html_to_pdf(html: str) -> bytes:
    """Render a standalone HTML page to PDF bytes; raise PdfUnavailable when it cannot run.

    No base URL is given: the pages nofault renders carry everything inline, so nothing is
    fetched while rendering.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts are missing
        raise PdfUnavailable(
            "PDF output needs WeasyPrint and Pango (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0 fonts-dejavu-core): {exc}"
        ) from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
