"""Postmortems teams already have, brought in from Google Docs, Confluence, Notion and HTML.

`import_file` takes one uploaded file (a page, a .docx, an `entities.xml` or a zip of an
export) and `import_path` a file or a folder. Both return nofault Markdown pages with their
front matter inferred, a note for everything in the export that did not become a page, and a
failure, naming the file and the reason, for each file that could not be read.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml

from nofault.core.imports.archive import Limits, read_folder, read_zip
from nofault.core.imports.errors import ImportFailure, MissingExtra
from nofault.core.imports.metadata import Facts, Page, assemble

__all__ = [
    "ImportFailure",
    "ImportResult",
    "Limits",
    "MissingExtra",
    "Page",
    "import_file",
    "import_path",
]

PAGE_SUFFIXES = (".html", ".htm", ".docx", ".md", ".markdown", ".xml", ".doc", ".mht", ".mhtml")
# An export's own styling and icons: counted in one note rather than listed.
_CHROME_SUFFIXES = (".css", ".js", ".map", ".woff", ".woff2", ".ttf", ".eot")
_UNSUPPORTED = {
    ".odt": "an OpenDocument file: save it as .docx or HTML",
    ".pdf": "a PDF: export the page as HTML or .docx instead",
    ".rtf": "an RTF file: save it as .docx",
}


@dataclass
class ImportResult:
    """The pages an import gave, notes on what did not become a page, and unreadable files."""

    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)


def import_file(name: str, data: bytes, *, limits: Limits | None = None) -> ImportResult:
    """Import one file: a page, a Word document, an `entities.xml`, or a zip of an export."""
    limits = limits or Limits()
    if name.lower().endswith(".zip"):
        return _convert(read_zip(data, name, limits), origin=name, single=False)
    if len(data) > limits.max_member_bytes:
        raise ImportFailure(name, "is larger than the import limit", reason="too_large")
    return _convert({PurePosixPath(name).name: data}, origin=name, single=True)


def import_path(path: Path, *, limits: Limits | None = None) -> ImportResult:
    """Import a file or every export file under a folder."""
    limits = limits or Limits()
    if path.is_dir():
        members = read_folder(path, limits, wanted=lambda n: n.lower().endswith(PAGE_SUFFIXES))
        return _convert(members, origin=str(path), single=False)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(str(path), exc.strerror or str(exc)) from None
    return import_file(path.name, data, limits=limits)


def _convert(members: dict[str, bytes], *, origin: str, single: bool) -> ImportResult:
    members = _without_common_folder(members)
    result = ImportResult()
    others: list[str] = []
    chrome = 0
    for name in sorted(members):
        suffix = PurePosixPath(name).suffix.lower()
        if suffix in PAGE_SUFFIXES:
            try:
                _convert_page(name, members[name], result)
            except MissingExtra:
                raise
            except ImportFailure as failure:
                result.failures.append(failure)
            except RecursionError:
                # Markup nested hundreds of levels deep: no real export is, and the
                # converters walk the tree recursively.
                result.failures.append(ImportFailure(name, "is nested too deeply to convert"))
        elif single and suffix == ".txt":
            # Plain text given on its own (Google Docs' "Plain text" download); inside an
            # export a .txt file is an attachment.
            try:
                result.pages.append(text_page(members[name], name))
            except ImportFailure as failure:
                result.failures.append(failure)
        elif single:
            reason = _UNSUPPORTED.get(suffix, "not a format nofault imports")
            result.failures.append(ImportFailure(name, reason, reason="unsupported"))
        elif suffix in _CHROME_SUFFIXES or "/icons/" in f"/{name}":
            chrome += 1
        else:
            others.append(name)
    if chrome:
        result.notes.append(f"{chrome} style, script and icon file(s) of the export skipped")
    _attachments(others, result)
    if not result.pages and not result.failures:
        if single:
            result.failures.append(ImportFailure(origin, "holds no page to import", reason="empty"))
        else:
            result.notes.append(f"{origin}: no page found to import")
    return result


def _without_common_folder(members: dict[str, bytes]) -> dict[str, bytes]:
    """Names relative to the folder every member shares (Notion wraps its export in two)."""
    names = list(members)
    while names and all("/" in n for n in names):
        head = names[0].split("/", 1)[0]
        if any(n.split("/", 1)[0] != head for n in names):
            break
        names = [n.split("/", 1)[1] for n in names]
        members = {n.split("/", 1)[1]: data for n, data in members.items()}
    return members


def _convert_page(name: str, data: bytes, result: ImportResult) -> None:
    from nofault.core.imports.html import html_page
    from nofault.core.imports.storage import is_space_export, space_pages
    from nofault.core.imports.word import docx_page

    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".docx":
        result.pages.append(docx_page(data, name))
    elif suffix == ".xml":
        if not is_space_export(data):
            raise ImportFailure(name, "XML that is not a Confluence space export (entities.xml)")
        pages, notes = space_pages(data, name)
        result.pages.extend(pages)
        result.notes.extend(notes)
    elif suffix in (".md", ".markdown"):
        result.pages.append(markdown_page(data, name))
    elif suffix in (".doc", ".mht", ".mhtml"):
        html, kind = web_archive_html(data, name)
        page = html_page(html, name, kind=kind)
        if page is not None:
            result.pages.append(page)
    else:
        page = html_page(data, name)
        if page is None:
            result.notes.append(f"{name}: the export's index of pages, not a page: not imported")
        else:
            result.pages.append(page)


def web_archive_html(data: bytes, name: str) -> tuple[bytes, str]:
    """The HTML inside a MIME web archive: Confluence's "Export to Word" `.doc`, or `.mht`."""
    head = data[:2048].lower()
    if b"mime-version" not in head and b"content-type: multipart" not in head:
        if name.lower().endswith(".doc"):
            raise ImportFailure(name, "an old binary Word file: save it as .docx")
        raise ImportFailure(name, "not a MIME web archive")
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                text = payload.decode(charset, errors="replace")
                kind = (
                    "Confluence page (Word export)"
                    if "confluence" in text.lower()
                    else ("Web archive")
                )
                return text.encode("utf-8"), kind
    raise ImportFailure(name, "a web archive without an HTML page in it")


def markdown_page(data: bytes, name: str) -> Page:
    """A Markdown page: nofault's own kept as it is, others (Notion's) given front matter."""
    text = _text(data, name)
    front, body = _front_matter(text)
    if front is not None and _is_nofault(front):
        return Page(source=name, kind="nofault Markdown", title="", markdown=text, unmapped=())
    facts = Facts()
    if front:
        # Another tool's front matter (Jekyll, Hugo, Obsidian, a Notion database export).
        for key, value in front.items():
            words = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            lowered = str(key).lower()
            if lowered == "title" and not isinstance(value, list):
                facts.title = words
            elif lowered in ("date", "created", "created_at", "created time"):
                facts.properties.append(("date", words))
            elif lowered in ("tags", "labels", "categories") and isinstance(value, list):
                facts.labels.extend(str(v) for v in value)
            else:
                facts.properties.append((str(key), words))
    stem = PurePosixPath(name).stem
    kind = "Notion page (Markdown)" if _has_notion_id(stem) else "Markdown"
    return assemble(body=body, facts=facts, source=name, kind=kind, unmapped=[])


# Front matter keys that only nofault's format uses: such a file is imported as it is.
_NOFAULT_KEYS = {
    "incidents", "review_level", "facilitator", "reviewers", "responders", "impact",
    "started_at", "detected_at", "mitigated_at", "resolved_at",
}  # fmt: skip


def _is_nofault(front: dict[str, object]) -> bool:
    status = str(front.get("status", ""))
    return bool(_NOFAULT_KEYS & set(front)) or status in ("draft", "in_review", "published")


def _front_matter(text: str) -> tuple[dict[str, object] | None, str]:
    """A leading YAML mapping and the text after it, or (None, text) when there is none."""
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return None, text
    try:
        front = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return None, text
    if not isinstance(front, dict):
        return None, text
    return front, text[end + 5 :]


def text_page(data: bytes, name: str) -> Page:
    """A plain-text document: its first line is the title, the rest its text."""
    first, _, rest = _text(data, name).strip().partition("\n")
    facts = Facts(title=first.strip() or None)
    return assemble(body=rest, facts=facts, source=name, kind="Plain text", unmapped=[])


def _text(data: bytes, name: str) -> str:
    """UTF-8 text with Unix line ends, or ImportFailure naming why it is not text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(name, f"not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise ImportFailure(name, "holds a NUL byte: not a text file")
    return text.replace("\r\n", "\n")


def _has_notion_id(stem: str) -> bool:
    last = stem.rsplit(" ", 1)[-1]
    return len(last) == 32 and all(c in "0123456789abcdef" for c in last)


def _named_in(filename: str, text: str) -> bool:
    """Whether a page names a file ("test.png"); a bare number such as "1" does not count."""
    return "." in filename.strip(".") and filename in text


def _attachments(others: list[str], result: ImportResult) -> None:
    if not others:
        return
    text = "\n".join(unquote(page.markdown) for page in result.pages)
    referenced = [n for n in others if n in text or _named_in(PurePosixPath(n).name, text)]
    unreferenced = [n for n in others if n not in referenced]
    if referenced:
        result.notes.append(
            "attachments not imported; the pages keep references to them: "
            + ", ".join(referenced[:20])
            + (f" and {len(referenced) - 20} more" if len(referenced) > 20 else "")
        )
    tables = [n for n in unreferenced if n.lower().endswith(".csv")]
    rest = [n for n in unreferenced if n not in tables]
    for name in tables:
        result.notes.append(f"{name}: a table or database export, not a page: not imported")
    if rest:
        result.notes.append(
            f"{len(rest)} file(s) neither a page nor referenced by one, not imported: "
            + ", ".join(rest[:20])
            + (f" and {len(rest) - 20} more" if len(rest) > 20 else "")
        )
