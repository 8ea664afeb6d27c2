"""HTML pages from Google Docs, Confluence, Notion and elsewhere, as nofault Markdown.

Each tool's export is tidied into plain HTML first (its page chrome removed, its macros and
list quirks turned into ordinary elements) and then converted by markdownify. Whatever cannot
be carried over (embedded objects, comments, macros that only the tool can render) is named
in the page's report; images and attachments stay as references and are never fetched.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

from nofault.core.document import SectionKind
from nofault.core.imports.errors import ImportFailure, MissingExtra
from nofault.core.imports.metadata import Facts, Page, assemble
from nofault.core.markdown import heading_kind

try:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag
    from markdownify import MarkdownConverter

    INSTALLED = True
except ImportError:  # pragma: no cover - the import extra is part of dev installs
    INSTALLED = False

_EMBEDDED = ("iframe", "object", "embed", "video", "audio", "canvas", "svg", "form", "applet")
_CHROME = ("script", "style", "noscript", "template", "head", "link", "meta", "base")
# Google Docs marks each list with its level: `lst-kix_<list id>-<level>`.
LIST_LEVEL = re.compile(r"^lst-kix_(\w+)-(\d+)$")


def require() -> None:
    """Raise MissingExtra when the HTML conversion libraries are not installed."""
    if not INSTALLED:
        raise MissingExtra("markdownify and beautifulsoup4")


def parse_html(data: bytes | str, name: str) -> Any:
    """Read bytes as an HTML tree, or raise ImportFailure naming why they are not HTML."""
    require()
    if isinstance(data, bytes) and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16", errors="replace")  # Word's "Unicode" web pages
    if isinstance(data, bytes) and b"\x00" in data[:4096]:
        raise ImportFailure(name, "binary data, not an HTML page", reason="unreadable")
    with warnings.catch_warnings():
        # bs4 warns about bytes it could not decode (reported per page instead) and about
        # text that looks like a file name; neither belongs on the console.
        warnings.simplefilter("ignore")
        return BeautifulSoup(data, "html.parser")


def detect(soup: Any) -> str:
    """Name the tool an HTML page was exported from."""
    body = soup.body or soup
    if soup.find("article", class_="page") and soup.find(class_="page-body"):
        return "notion"
    if body.find(id="main-content") or soup.find(id="title-text"):
        return "confluence"
    if soup.find(class_="doc-content") or soup.find(class_=LIST_LEVEL):
        return "google-docs"
    return "html"


KINDS = {
    "notion": "Notion page (HTML)",
    "confluence": "Confluence page (HTML)",
    "google-docs": "Google Docs (HTML)",
    "html": "HTML page",
}


def is_index(soup: Any, flavour: str) -> bool:
    """Whether a page is an export's table of contents rather than a page of its own."""
    if flavour == "confluence":
        main = soup.find(id="main-content")
        return main is None or "wiki-content" not in (main.get("class") or [])
    if flavour == "html":
        # Notion's export index: a bare list of links to the exported pages.
        return bool(soup.find("ul", id=lambda v: bool(v and v.startswith("id::"))))
    return False


def html_page(data: bytes | str, name: str, *, kind: str | None = None) -> Page | None:
    """Convert one exported HTML page; None when it is an export's index, not a page."""
    soup = parse_html(data, name)
    flavour = detect(soup)
    if is_index(soup, flavour):
        return None
    notes: list[str] = []
    if getattr(soup, "contains_replacement_characters", False):
        notes.append("some bytes were not valid in the page's encoding: shown as �")
    facts = Facts()
    root = _tidy(flavour)(soup, facts, notes)
    body = convert(root, notes)
    return assemble(
        body=body, facts=facts, source=name, kind=kind or KINDS[flavour], unmapped=notes
    )


def convert(root: Any, notes: list[str]) -> str:
    """Tidy a tree's generic parts and return it as Markdown."""
    _drop_chrome(root, notes)
    _bold_headings(root, notes)
    _embedded(root, notes)
    _images(root, notes)
    _tables(root, notes)
    _unwrap_image_links(root)
    markdown = _Converter().convert_soup(root)
    return _tidy_markdown(markdown)


# --- generic tidying -------------------------------------------------------------------


def _drop_chrome(root: Any, notes: list[str]) -> None:
    for tag in root.find_all(_CHROME):
        tag.decompose()
    comments = [c for c in root.find_all(string=lambda s: isinstance(s, Comment)) if c.strip()]
    for comment in comments:
        comment.extract()
    if comments:
        notes.append(f"{_count(len(comments), 'HTML comment')} left out (not shown on the page)")


def _bold_headings(root: Any, notes: list[str]) -> None:
    """Bold lines and bold labels naming a section nofault knows become that section's heading.

    Many documents mark their sections with bold text rather than a heading style: a line
    bold all through ("**Root causes**"), or a bold label opening a paragraph ("**Impact:**
    1.2 B queries lost", as the Google SRE book's template writes them). A label that names a
    known section, outside lists and tables, and whose kind no heading of the page already
    has, is taken as one. When the page has no section headings of its own (none at the
    first two levels) and such labels were found, its other bold lines are its sections too.
    """
    headings = root.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    # A section's level: the page's own top level, or the second when its headings are all
    # deeper (then they are the sub-headings, such as a timeline's times).
    level = min(min((int(h.name[1]) for h in headings), default=2), 2)
    seen = {heading_kind(h.get_text(" ", strip=True)) for h in headings}
    found = []
    for paragraph in root.find_all("p"):
        if paragraph.find_parent(["li", "td", "th", "table", "blockquote"]):
            continue
        label, rest = _bold_label(paragraph)
        if not label or len(label) > 120:
            continue
        kind = heading_kind(label)
        if kind != SectionKind.OTHER and rest and kind in seen:
            continue  # the page has a heading for it: this is a line within
        found.append((paragraph, label, rest, kind))
        if kind != SectionKind.OTHER:
            seen.add(kind)
    known = [item for item in found if item[3] != SectionKind.OTHER]
    own_sections = any(int(h.name[1]) <= 2 for h in headings)
    chosen = known
    if known and not own_sections:
        # A whole bold line, not a sentence, names a section the page marks the same way.
        chosen = [i for i in found if i[3] != SectionKind.OTHER or not (i[2] or i[1].endswith("."))]
    for paragraph, label, rest, _kind in chosen:
        heading = new_tag(f"h{level}")
        heading.string = label
        paragraph.insert_before(heading)
        if rest:
            paragraph.clear()  # detaches the children, which `rest` still holds
            paragraph.extend(rest)
        else:
            paragraph.decompose()
    if chosen:
        notes.append(
            "bold lines and labels read as section headings: "
            + ", ".join(repr(item[1]) for item in chosen[:12])
            + (f" and {len(chosen) - 12} more" if len(chosen) > 12 else "")
        )


def _bold_label(paragraph: Any) -> tuple[str, list[Any]]:
    """The bold text a paragraph opens with, and what follows it when it ends with a colon.

    The paragraph is left as it is; the caller moves what follows into place.
    """
    children = [
        c for c in paragraph.contents if not (isinstance(c, NavigableString) and not c.strip())
    ]
    if not children or not isinstance(children[0], Tag) or children[0].name not in ("strong", "b"):
        return "", []
    label = " ".join(children[0].get_text(" ", strip=True).split())
    rest = children[1:]
    if not rest:
        return label.rstrip(":").strip(), []
    first = rest[0]
    if isinstance(first, NavigableString) and first.lstrip().startswith(":"):
        label += ":"
        rest = [NavigableString(first.lstrip()[1:].lstrip()), *rest[1:]]
    if not label.endswith(":"):
        return "", []  # a bold phrase opening a sentence, not a label
    return label.rstrip(":").strip(), rest


def _embedded(root: Any, notes: list[str]) -> None:
    for tag in root.find_all(_EMBEDDED):
        if tag.decomposed:
            continue
        source = tag.get("src") or tag.get("data") or ""
        if not source:
            found = tag.find("source", src=True)
            source = found.get("src", "") if found else ""
        label = tag.get("title") or tag.name
        if source and not source.startswith("data:"):
            link = new_tag("a")
            link["href"] = source
            link.string = f"{label} ({tag.name})"
            tag.replace_with(link)
            notes.append(f"embedded {tag.name} kept as a link: {source}")
        else:
            text = tag.get_text(" ", strip=True) if tag.name == "form" else ""
            tag.replace_with(text)
            notes.append(f"embedded {tag.name} left out (nothing to link to)")


def _images(root: Any, notes: list[str]) -> None:
    inline = 0
    for image in root.find_all("img"):
        source = image.get("src", "")
        if source.startswith("data:"):
            inline += 1
            image["src"] = f"embedded-image-{inline}"
    if inline:
        notes.append(
            f"{_count(inline, 'image')} embedded in the page itself: kept as a placeholder "
            "reference (embedded-image-N), the picture is not carried over"
        )


def _tables(root: Any, notes: list[str]) -> None:
    layout = 0
    for table in reversed(root.find_all("table")):
        if table.find(["h1", "h2", "h3", "h4", "h5", "h6", "table"]):
            # A table used for page layout: its cells are read in order as ordinary blocks.
            for cell in table.find_all(["td", "th"]):
                cell.name = "div"
            for part in table.find_all(["tr", "thead", "tbody", "tfoot", "colgroup", "col"]):
                part.unwrap()
            table.name = "div"
            layout += 1
            continue
        for part in table.find_all(["thead", "tbody", "tfoot", "colgroup", "caption"]):
            if part.name == "caption":
                part.name = "p"
                table.insert_before(part.extract())
            elif part.name == "colgroup":
                part.decompose()
            else:
                part.unwrap()
        for br in table.find_all("br"):
            br.replace_with(" ")
        rows = table.find_all("tr")
        for row in rows:
            if row.find_parent("tr"):  # a row nested in a row by broken markup
                row.parent.insert_after(row.extract())
        if rows and not rows[0].find("th"):
            for cell in rows[0].find_all("td", recursive=False):
                cell.name = "th"
    if layout:
        notes.append(f"{_count(layout, 'layout table')} read as ordinary text, not as a table")


def _unwrap_image_links(root: Any) -> None:
    for link in root.find_all("a"):
        images = link.find_all("img")
        if (
            len(images) == 1
            and not link.get_text(strip=True)
            and link.get("href") == images[0].get("src")
        ):
            link.unwrap()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class _Converter(MarkdownConverter if INSTALLED else object):  # type: ignore[misc]
    """markdownify with nofault's habits: ATX headings, `-` bullets, fenced code."""

    def __init__(self) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            code_language_callback=code_language,
            escape_underscores=False,
            escape_misc=False,
            table_infer_header=True,
            strip=["span", "font", "mark", "u", "ins", "small", "abbr", "cite", "sup", "sub"],
        )

    def escape(self, text: str, parent_tags: Any) -> str:
        """Escape what would start a heading, list or quote when text opens a line.

        Only these few markers are escaped (not every `|`, `+` or `=` of the text): a line
        break in a Word paragraph followed by "# retry" must not become a heading.
        """
        text = str(super().escape(text, parent_tags))
        if "_inline" in parent_tags:
            return text  # a heading or a table cell is one line that starts nothing
        found = _BLOCK_MARKER.match(text)
        if found:
            # "1. " is escaped after its number ("1\. "), other markers before themselves.
            cut = found.end(2) if found.group(2) else found.end(1)
            text = f"{text[:cut]}\\{text[cut:]}"
        return text


# A heading, list item or quote marker at the start of a text (anchored: linear).
_BLOCK_MARKER = re.compile(r"(\s*)(?:(\d{1,9})(?=[.)](?:\s|$))|#{1,6}(?=\s|$)|[-+*](?=\s)|>)")


def code_language(tag: Any) -> str:
    found = tag if tag.name == "code" else tag.find("code")
    for element in (tag, found):
        if element is None:
            continue
        for cls in element.get("class") or []:
            if cls.startswith("language-"):
                return str(cls[len("language-") :]).lower()
        brush = element.get("data-syntaxhighlighter-params") or ""
        if brush.startswith("brush:"):
            return str(brush[6:].split(";")[0].strip())
    return ""


def _tidy_markdown(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        if line.startswith("#"):
            line = _plain_heading(line)
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def _plain_heading(line: str) -> str:
    """A heading without the bold or italics an editor put around all of it."""
    marks, _, text = line.partition(" ")
    if set(marks) != {"#"}:
        return line
    text = text.strip()
    for wrapper in ("**", "__", "*", "_"):
        if len(text) > 2 * len(wrapper) and text.startswith(wrapper) and text.endswith(wrapper):
            text = text[len(wrapper) : -len(wrapper)].strip()
    return f"{marks} {text}"


def new_tag(name: str) -> Any:
    """A new, detached element."""
    return BeautifulSoup("", "html.parser").new_tag(name)


def mark_task(item: Any, *, done: bool) -> None:
    """Start a list item with a task box, `[x]` or `[ ]`, as Markdown task lists write it."""
    box = "[x]" if done else "[ ]"
    for text in item.find_all(string=True):
        if text.strip():
            text.replace_with(f"{box} {text.lstrip()}")
            return
    item.append(box)


def label_before(block: Any, label: str) -> None:
    """Start a block's first paragraph with a bold label ("**Warning:** …")."""
    first = block.find("p")
    (first if first is not None else block).insert(0, strong(label))


def strong(text: str) -> Any:
    """A new `<strong>` element holding the text."""
    tag = new_tag("strong")
    tag.string = text
    return tag


def clip(text: str, size: int = 120) -> str:
    """The text on one line, cut to `size` characters for a report."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


# --- plain HTML ------------------------------------------------------------------------


def _plain(soup: Any, facts: Facts, notes: list[str]) -> Any:
    if soup.title and soup.title.get_text(strip=True):
        facts.title = soup.title.get_text(" ", strip=True)
    body = soup.find("main") or soup.find("article") or soup.body or soup
    for chrome in body.find_all(["nav", "footer"]):
        text = chrome.get_text(" ", strip=True)
        if text:
            notes.append(f"page {chrome.name} left out: {clip(text, 80)}")
        chrome.decompose()
    return body


def _tidy(flavour: str) -> Callable[[Any, Facts, list[str]], Any]:
    """The function that turns one tool's exported page into plain HTML."""
    if flavour == "google-docs":
        from nofault.core.imports import google_docs

        return google_docs.tidy
    if flavour == "notion":
        from nofault.core.imports import notion

        return notion.tidy
    if flavour == "confluence":
        from nofault.core.imports import confluence

        return confluence.tidy
    return _plain
