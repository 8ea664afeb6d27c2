"""HTML to PDF through WeasyPrint, shared by every core renderer that writes PDF.

WeasyPrint is imported on first use (it loads Pango, slow at start), and a missing library
becomes one clear error naming what to install. Rendering never reaches the network or the
disk beyond what the caller allows: a postmortem is written by its authors and read by many,
so an `<img src="http://internal-host/…">` in it must not make the server fetch that address.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts are missing
        raise PdfUnavailable(
            "PDF output needs WeasyPrint and Pango (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0 fonts-dejavu-core): {exc}"
        ) from exc
    return weasyprint


def _local_file(url: str, roots: Sequence[Path]) -> Path | None:
    """The file a `file:` URL names, when it lies inside one of `roots`; otherwise None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    for root in roots:
        if path.is_file() and path.is_relative_to(root.resolve()):
            return path
    return None


def closed_url_fetcher(local_roots: Sequence[Path] = ()) -> Any:
    """A WeasyPrint URL fetcher that serves `data:` URLs and files under `local_roots`, only.

    Every other URL (http, https, ftp, other files) is refused before any connection is made;
    WeasyPrint then leaves the image or stylesheet out and the PDF still builds.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(local_roots)

    class ClosedFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            path = _local_file(url, roots)
            if path is None:
                raise ValueError(f"not fetched while rendering a PDF: {url[:200]}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ClosedFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def html_layout(html: str, *, local_roots: Sequence[Path] = ()) -> Any:
    """Lay a standalone HTML page out in pages (WeasyPrint's Document: pages, anchors)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=closed_url_fetcher(local_roots))
    return document.render()


def html_to_pdf(html: str, *, local_roots: Sequence[Path] = ()) -> bytes:
    """Render a standalone HTML page to PDF bytes; raise PdfUnavailable when it cannot run.

    Only `data:` URLs and files under `local_roots` (say, the app's own static files) are
    read while rendering; nothing is fetched from the network.
    """
    pdf: bytes = html_layout(html, local_roots=local_roots).write_pdf()
    return pdf
