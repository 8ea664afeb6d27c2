"""Word documents (.docx, as Google Docs, Word and LibreOffice write them) through mammoth."""

from __future__ import annotations

import io
import zipfile

from nofault.core.imports.errors import ImportFailure, MissingExtra
from nofault.core.imports.html import clip, convert, parse_html
from nofault.core.imports.metadata import Facts, Page, assemble, parse_date

try:
    import mammoth
    from defusedxml import ElementTree
except ImportError:  # pragma: no cover - the import extra is part of dev installs
    mammoth = None

KIND = "Word document (.docx)"
# What reading a damaged XML part of the package raises (defusedxml's refusals are ValueErrors).
_XML_ERRORS = (SyntaxError, ValueError, KeyError, zipfile.BadZipFile, OSError)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"

# Styles Word and Google Docs use for a title and subtitle, mapped so they are not reported.
_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
r[style-name='Strong'] => strong
"""


def docx_page(data: bytes, name: str) -> Page:
    """Convert a .docx file, reporting what mammoth and nofault could not carry over."""
    if mammoth is None:
        raise MissingExtra("mammoth")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if "word/document.xml" not in archive.namelist():
            raise ImportFailure(name, "not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise ImportFailure(name, "not a Word document (not a zip package)") from None
    notes: list[str] = []
    try:
        facts = _core_properties(archive)
    except _XML_ERRORS:
        facts = Facts()
        notes.append("the document's properties (author, title, dates) could not be read")
    images: list[str] = []

    def image_reference(image: object) -> dict[str, str]:
        # The picture stays inside the .docx: the page names it instead of embedding it.
        images.append(getattr(image, "alt_text", None) or "")
        return {"src": f"image-{len(images)}", "alt": images[-1] or f"image {len(images)}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(image_reference),
        )
    except Exception as exc:  # mammoth's parsers on untrusted input: any failure is named
        reason = f"{type(exc).__name__}: {exc}"
        raise ImportFailure(name, f"the Word document could not be read ({reason})") from None
    for message in sorted({m.message for m in result.messages}):
        notes.append(f"Word: {message} (its text is kept as an ordinary paragraph)")
    if images:
        notes.append(
            f"{len(images)} picture(s) are inside the .docx: kept as references image-1 … "
            f"image-{len(images)}, the pictures themselves are not carried over"
        )
    try:
        notes.extend(_comments(archive))
    except _XML_ERRORS:
        notes.append("the document's comments could not be read: none are carried over")
    names = archive.namelist()
    embedded = [n for n in names if n.startswith("word/embeddings/")]
    if embedded:
        notes.append(f"embedded objects left out: {', '.join(n.split('/')[-1] for n in embedded)}")
    drawn = sorted(
        {n.split("/")[1] for n in names if n.startswith(("word/charts/", "word/diagrams/"))}
    )
    if drawn:
        notes.append(f"{' and '.join(drawn)} left out (drawn by Word, no text to carry over)")
    document = archive.read("word/document.xml")
    deleted, inserted = document.count(b"<w:del "), document.count(b"<w:ins ")
    if deleted or inserted:
        notes.append(
            f"tracked changes: {inserted} insertion(s) kept as text, {deleted} deletion(s) "
            "left out, as if all were accepted"
        )
    soup = parse_html(result.value, name)
    body = convert(soup, notes)
    return assemble(body=body, facts=facts, source=name, kind=KIND, unmapped=notes)


def _core_properties(archive: zipfile.ZipFile) -> Facts:
    facts = Facts()
    if "docProps/core.xml" not in archive.namelist():
        return facts  # Google Docs writes none
    root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    title = root.findtext(f"{_DC}title") or ""
    creator = root.findtext(f"{_DC}creator") or ""
    created = root.findtext(f"{_DCTERMS}created") or ""
    facts.title = title.strip() or None
    if creator.strip():
        facts.authors.append(creator.strip())
    facts.created = parse_date(created)
    return facts


def _comments(archive: zipfile.ZipFile) -> list[str]:
    if "word/comments.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("word/comments.xml"))
    notes = []
    for comment in root.iter(f"{_W}comment"):
        author = comment.get(f"{_W}author") or "someone"
        text = " ".join(t.text or "" for t in comment.iter(f"{_W}t"))
        notes.append(f"comment by {author} left out: {clip(text)}")
    return notes
