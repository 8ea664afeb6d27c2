"""Print how the importers do on real exports and on real postmortems turned into HTML.

Three figures:

1. Each export in `../shared/corpus/imports/` (Confluence HTML and XML space exports, Notion
   Markdown and HTML zips, Google Docs HTML and .docx): pages made, notes on what was not
   mapped, files that could not be read, and the time taken.
2. Fidelity on real text: every postmortem of `../shared/corpus/real-postmortems/` is rendered
   to HTML (markdown-it, tables on), imported as an HTML page, and read again; then the same
   in the shape Google Docs exports (title paragraph, bold as a CSS class, each list level a
   sibling list), with the headings typed as bold lines, and as Word documents written with
   python-docx (Word's heading, list and table styles). The figure is the share of
   documents whose known section kinds all survive, and the share of timeline events,
   contributing factors and action items the import keeps, against the same counts read
   from the original Markdown.
3. Speed: the same HTML, repeated to about 0.5, 1, 2 and 4 MB, imported whole; the CPU time
   per MB should stay flat as the input doubles.

    python benchmarks/imports.py
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from nofault.core.document import SectionKind
from nofault.core.imports import import_file, import_path
from nofault.core.markdown import parse_text


def shared() -> Path:
    """The shared material: $NOFAULT_SHARED, beside the repository, or /work/shared."""
    repo = Path(__file__).resolve().parents[1]
    for candidate in (os.environ.get("NOFAULT_SHARED"), repo.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "corpus").is_dir():
            return Path(candidate) / "corpus"
    sys.exit("shared corpus not found: set NOFAULT_SHARED")


def exports(corpus: Path) -> None:
    """Figure 1: the real exports."""
    base = corpus / "imports"
    inputs = [
        base / "confluence" / "html-export",
        base / "confluence" / "xml-export" / "entities.xml",
        *sorted((base / "notion").glob("*.zip")),
        *sorted((base / "google-docs").iterdir()),
    ]
    print("Real exports (pages, notes on what was not mapped, unreadable files, seconds):")
    for path in inputs:
        started = time.perf_counter()
        result = import_path(path)
        elapsed = time.perf_counter() - started
        notes = sum(len(p.unmapped) for p in result.pages) + len(result.notes)
        print(
            f"  {path.relative_to(base)!s:70} {len(result.pages):3} pages {notes:3} notes "
            f"{len(result.failures)} unreadable {elapsed:6.3f} s"
        )


def _counts(markdown: str) -> tuple[set[SectionKind], Counter[str]]:
    doc = parse_text(markdown).postmortem
    kinds = {s.kind for s in doc.sections if s.kind != SectionKind.OTHER}
    counts = Counter(
        timeline=len(doc.timeline),
        factors=len(doc.contributing_factors),
        actions=len(doc.action_items),
    )
    return kinds, counts


def google_docs_style(html: str, title: str, *, bold_headings: bool) -> str:
    """The same page as Google Docs writes it: a title paragraph, bold as a CSS class, each
    list level a sibling list classed `lst-kix_<id>-<level>`; optionally its section headings
    (the level below the title) as bold lines, as a document typed without heading styles."""
    soup = BeautifulSoup(html, "html.parser")
    first = soup.find(["h1", "h2", "h3", "h4", "h5", "h6"])
    if first is not None and first.get_text(" ", strip=True) == title:
        first.name = "p"
        first["class"] = ["title"]
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    section_level = min((h.name for h in headings), default="h2")
    for strong in soup.find_all(["strong", "b"]):
        strong.name = "span"
        strong["class"] = ["c9"]
    if bold_headings:
        for heading in soup.find_all(section_level):
            text = heading.get_text(" ", strip=True)
            heading.clear()
            span = soup.new_tag("span", attrs={"class": "c9"})
            span.string = text
            heading.append(span)
            heading.name = "p"
    for number, top in enumerate(soup.find_all(["ul", "ol"])):
        if top.find_parent(["ul", "ol"]) is not None:
            continue
        siblings = _flatten(soup, top, f"l{number}", 0)
        for sibling in reversed(siblings):
            top.insert_after(sibling)
        top.decompose()
    style = "<style>.c9{font-weight:700}</style>"
    return f'<html><head>{style}</head><body class="doc-content">{soup.body or soup}</body></html>'


def _flatten(soup: Any, node: Any, list_id: str, level: int) -> list[Any]:
    """One list per run of items at a level, nested lists following their parent item."""
    out: list[Any] = []
    current = None
    for item in node.find_all("li", recursive=False):
        nested = [n.extract() for n in item.find_all(["ul", "ol"], recursive=False)]
        if current is None:
            current = soup.new_tag(node.name, attrs={"class": f"lst-kix_{list_id}-{level}"})
            out.append(current)
        current.append(item.extract())
        for child in nested:
            out.extend(_flatten(soup, child, list_id, level + 1))
            current = None
    return out


def word_document(html: str, title: str) -> bytes:
    """The same page as a .docx written with python-docx: Word's heading, list and table
    styles, plain runs for the text."""
    import docx

    document = docx.Document()
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True, recursive=False):
        _word_block(document, element, title, depth=0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _word_block(document: Any, element: Any, title: str, depth: int) -> None:
    text = " ".join(element.get_text(" ", strip=True).split())
    if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        level = 0 if text == title else min(int(element.name[1]), 9)
        document.add_heading(text, level=level)
    elif element.name in ("ul", "ol"):
        style = "List Bullet" if element.name == "ul" else "List Number"
        for item in element.find_all("li", recursive=False):
            nested = [n.extract() for n in item.find_all(["ul", "ol"], recursive=False)]
            words = " ".join(item.get_text(" ", strip=True).split())
            suffix = f" {min(depth + 1, 3)}" if depth else ""
            document.add_paragraph(words, style=f"{style}{suffix}")
            for child in nested:
                _word_block(document, child, title, depth + 1)
    elif element.name == "table":
        rows = element.find_all("tr")
        width = max((len(r.find_all(["td", "th"])) for r in rows), default=0)
        if rows and width:
            table = document.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, cell in enumerate(row.find_all(["td", "th"])):
                    table.cell(r, c).text = " ".join(cell.get_text(" ", strip=True).split())
    elif element.name == "pre":
        document.add_paragraph(element.get_text())
    elif element.name == "blockquote":
        for child in element.find_all(True, recursive=False):
            _word_block(document, child, title, depth)
    elif text:
        document.add_paragraph(text)


def fidelity(corpus: Path) -> list[bytes]:
    """Figure 2: real postmortems through HTML and back; returns the HTML pages."""
    renderer = MarkdownIt("commonmark").enable("table")
    pages = []
    variants = (
        "HTML",
        "Google Docs HTML",
        "Google Docs HTML, bold lines for headings",
        "Word documents (.docx)",
    )
    for variant in variants:
        pages = _fidelity(corpus, renderer, variant)
    return pages


def _fidelity(corpus: Path, renderer: MarkdownIt, variant: str) -> list[bytes]:
    pages = []
    kept_all = documents = 0
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    for path in sorted((corpus / "real-postmortems").glob("*.md")):
        if path.name == "SOURCES.md":
            continue
        source = path.read_text(encoding="utf-8")
        body = source.split("\n---\n", 1)[1] if source.startswith("---\n") else source
        rendered = renderer.render(body)
        title = parse_text(source).postmortem.title or ""
        if variant.startswith("Google"):
            rendered = google_docs_style(rendered, title, bold_headings="bold" in variant)
        html = f"<html><body>{rendered}</body></html>".encode()
        pages.append(html)
        kinds, counts = _counts(source)
        if variant.startswith("Word"):
            [page] = import_file(f"{path.stem}.docx", word_document(rendered, title)).pages
        else:
            [page] = import_file(f"{path.stem}.html", html).pages
        new_kinds, new_counts = _counts(page.markdown)
        documents += 1
        kept_all += kinds <= new_kinds
        lost.update(k.value for k in kinds - new_kinds)
        before.update(counts)
        for key, value in counts.items():
            after[key] += min(value, new_counts[key])
    print(f"\nReal postmortems as {variant}, imported back ({documents} documents):")
    print(f"  every known section kind kept: {kept_all}/{documents} ({kept_all / documents:.0%})")
    for key in ("timeline", "factors", "actions"):
        share = after[key] / before[key] if before[key] else 1.0
        print(f"  {key:9} kept: {after[key]}/{before[key]} ({share:.0%})")
    if lost:
        print(f"  section kinds lost: {dict(lost)}")
    return pages


def speed(pages: list[bytes]) -> None:
    """Figure 3: import time per MB as the input doubles."""
    unit = b"".join(p.replace(b"<html><body>", b"").replace(b"</body></html>", b"") for p in pages)
    print(
        "\nSpeed (one HTML page made of the real postmortems repeated; CPU seconds of this "
        "process, best of 2 runs, so that other work on the machine does not count):"
    )
    for megabytes in (0.5, 1, 2, 4):
        repeat = max(1, int(megabytes * 1024 * 1024 / len(unit)))
        html = b"<html><body>" + unit * repeat + b"</body></html>"
        best = min(_timed(html) for _ in range(2))
        size = len(html) / 1024 / 1024
        print(f"  {size:5.1f} MB: {best:6.2f} CPU s, {best / size:5.2f} CPU s per MB")


def _timed(html: bytes) -> float:
    started = time.process_time()
    import_file("big.html", html)
    return time.process_time() - started


def main() -> None:
    """Print the three figures."""
    corpus = shared()
    exports(corpus)
    pages = fidelity(corpus)
    speed(pages)


if __name__ == "__main__":
    main()
