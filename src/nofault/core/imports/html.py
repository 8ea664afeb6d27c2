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
from urllib.parse import parse_qs, urlsplit

from nofault.core.document import SectionKind
from nofault.core.imports.errors import ImportFailure, MissingExtra
from nofault.core.imports.metadata import Facts, Page, assemble, parse_date
from nofault.core.markdown import heading_kind

try:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag
    from markdownify import MarkdownConverter

    INSTALLED = True
except ImportError:  # pragma: no cover - the import extra is part of dev installs
    INSTALLED = False

_EMBEDDED = ("iframe", "object", "embed", "video", "audio", "canvas", "svg", "form", "applet")
_CHROME = ("script", "style", "noscript", "template", "head", "link", "meta", "base")
_MONO_FONTS = ("mono", "courier", "consolas", "menlo", "monaco")
_LIST_LEVEL = re.compile(r"^lst-kix_(\w+)-(\d+)$")
_CODE_START, _CODE_END = "\uec03", "\uec02"  # Google Docs' code block markers


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
    if soup.find(class_="doc-content") or soup.find(class_=_LIST_LEVEL):
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
    root = _TIDY[flavour](soup, facts, notes)
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
            code_language_callback=_code_language,
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


def _code_language(tag: Any) -> str:
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


# --- Google Docs -----------------------------------------------------------------------


def _google_docs(soup: Any, facts: Facts, notes: list[str]) -> Any:
    styles = _css_classes(" ".join(s.get_text() for s in soup.find_all("style")))
    # A downloaded document is the body; a published one is a div.doc-content inside a page.
    body = soup.find(class_="doc-content") or soup.body or soup
    title = body.find("p", class_="title")
    if title is not None:
        facts.title = title.get_text(" ", strip=True) or None
        title.decompose()
    elif soup.title and soup.title.get_text(strip=True):
        facts.title = soup.title.get_text(" ", strip=True)
    _google_comments(body, notes)
    _google_links(body)
    _google_code(body, styles)
    _google_styles(body, styles)
    _google_lists(body)
    return body


def _css_classes(css: str) -> dict[str, set[str]]:
    """Map each `.cN` class of Google's stylesheet to the text styles it sets."""
    found: dict[str, set[str]] = {}
    for rule in css.split("}"):
        selector, _, declarations = rule.partition("{")
        selector = selector.strip()
        if not selector.startswith(".c") or not selector[2:].isdigit():
            continue
        text = declarations.lower().replace(" ", "")
        marks = set()
        if "font-weight:700" in text or "font-weight:bold" in text:
            marks.add("strong")
        if "font-style:italic" in text:
            marks.add("em")
        if "line-through" in text:
            marks.add("del")
        family = text.partition("font-family:")[2].partition(";")[0]
        if any(font in family for font in _MONO_FONTS):
            marks.add("code")
        if marks:
            found[selector[1:]] = marks
    return found


def _google_comments(body: Any, notes: list[str]) -> None:
    for ref in body.find_all("a", href=lambda h: bool(h and h.startswith("#cmnt"))):
        if ref.decomposed or ref.parent is None:
            continue  # inside a comment already taken out
        anchor_id = ref.get("id") or ""
        if anchor_id.startswith("cmnt_ref"):
            parent = ref.parent if ref.parent and ref.parent.name == "sup" else ref
            parent.decompose()
            continue
        holder = ref.find_parent("div") or ref.parent
        text = holder.get_text(" ", strip=True)
        notes.append(f"comment left out: {clip(text)}")
        holder.decompose()


def _google_links(body: Any) -> None:
    for link in body.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.netloc.endswith("google.com") and parts.path == "/url":
            target = parse_qs(parts.query).get("q")
            if target:
                link["href"] = target[0]


def _google_code(body: Any, styles: dict[str, set[str]]) -> None:
    """Docs' code blocks (between U+EC03 and U+EC02) and runs of monospace paragraphs."""
    run: list[Any] = []
    inside = False
    for paragraph in list(body.find_all("p", recursive=False)):
        text = paragraph.get_text()
        starts, ends = _CODE_START in text, _CODE_END in text
        spans = paragraph.find_all("span")
        mono = bool(spans) and all(
            "code" in _marks(span, styles) for span in spans if span.get_text().strip()
        )
        if starts:
            inside = True
        if inside or (mono and text.strip()):
            run.append(paragraph)
        else:
            _fence(run)
            run = []
        if ends:
            inside = False
            _fence(run)
            run = []
    _fence(run)


def _fence(run: list[Any]) -> None:
    if not run:
        return
    lines = []
    for paragraph in run:
        for br in paragraph.find_all("br"):
            br.replace_with("\n")
        text = paragraph.get_text().replace("\xa0", " ")
        lines.append(text.replace(_CODE_START, "").replace(_CODE_END, ""))
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    pre, code = new_tag("pre"), new_tag("code")
    code.string = "\n".join(lines)
    pre.append(code)
    run[0].replace_with(pre)
    for paragraph in run[1:]:
        paragraph.decompose()


def _marks(tag: Any, styles: dict[str, set[str]]) -> set[str]:
    marks: set[str] = set()
    for cls in tag.get("class") or []:
        marks |= styles.get(cls, set())
    return marks


def _google_styles(body: Any, styles: dict[str, set[str]]) -> None:
    for span in body.find_all("span"):
        marks = _marks(span, styles)
        if not marks or not span.get_text().strip() or span.find_parent(["h1", "h2", "h3", "pre"]):
            continue
        for mark in ("code", "del", "em", "strong"):
            if mark in marks:
                span.wrap(new_tag(mark))


def new_tag(name: str) -> Any:
    """A new, detached element."""
    return BeautifulSoup("", "html.parser").new_tag(name)


def _google_lists(body: Any) -> None:
    """Nest Google's sibling lists by the level in their `lst-kix_<id>-<level>` class."""
    stack: list[tuple[int, Any]] = []
    for element in list(body.children):
        if not isinstance(element, Tag) or element.name not in ("ul", "ol"):
            if isinstance(element, Tag) or (
                isinstance(element, NavigableString) and element.strip()
            ):
                stack = []
            continue
        level = _list_level(element)
        if level is None:
            stack = []
            continue
        while stack and stack[-1][0] > level:
            stack.pop()
        if stack and stack[-1][0] == level and stack[-1][1].name == element.name:
            for item in list(element.find_all("li", recursive=False)):
                stack[-1][1].append(item.extract())
            element.decompose()
            continue
        if stack and stack[-1][0] < level:
            items = stack[-1][1].find_all("li", recursive=False)
            if items:
                items[-1].append(element.extract())
        elif stack:
            stack.pop()
        stack.append((level, element))


def _list_level(element: Any) -> int | None:
    for cls in element.get("class") or []:
        found = _LIST_LEVEL.match(cls)
        if found:
            return int(found.group(2))
    return None


# --- Notion ----------------------------------------------------------------------------


def _notion(soup: Any, facts: Facts, notes: list[str]) -> Any:
    article = soup.find("article", class_="page")
    header = article.find("header")
    if header is not None:
        title = header.find(class_="page-title")
        facts.title = title.get_text(" ", strip=True) if title else None
        description = header.find(class_="page-description")
        for table in header.find_all("table", class_="properties"):
            _properties(table, facts)
            article.find(class_="page-body").insert(0, table.extract())
        if description is not None and description.get_text(strip=True):
            description.name = "p"
            article.find(class_="page-body").insert(0, description.extract())
        cover = header.find("img", class_="page-cover-image")
        if cover is not None:
            notes.append(f"page cover image left out: {cover.get('src', '')}")
        header.decompose()
    body = article.find(class_="page-body")
    for table in body.find_all("table", class_="properties"):
        _properties(table, facts)
    for todo in body.find_all("ul", class_="to-do-list"):
        for item in todo.find_all("li", recursive=False):
            box = item.find(class_="checkbox")
            checked = box is not None and "checkbox-on" in (box.get("class") or [])
            if box is not None:
                box.decompose()
            mark_task(item, done=checked)
    _merge_lists(body)
    for toc in body.find_all("nav", class_="table_of_contents"):
        toc.decompose()
        notes.append("table of contents left out (nofault lists the sections itself)")
    for callout in body.find_all("figure", class_="callout"):
        for icon in callout.find_all(class_="icon"):
            icon.decompose()
        callout.name = "blockquote"
    for toggle in body.find_all("details"):
        summary = toggle.find("summary")
        if summary is not None:
            summary.name = "p"
            summary.wrap(new_tag("strong"))
        toggle.name = "div"
    for equation in body.find_all("figure", class_="equation"):
        notes.append(
            f"equation kept as its source text: {clip(equation.get_text(' ', strip=True))}"
        )
    return body


def mark_task(item: Any, *, done: bool) -> None:
    """Start a list item with a task box, `[x]` or `[ ]`, as Markdown task lists write it."""
    box = "[x]" if done else "[ ]"
    for text in item.find_all(string=True):
        if text.strip():
            text.replace_with(f"{box} {text.lstrip()}")
            return
    item.append(box)


def _merge_lists(body: Any) -> None:
    """Join the one-item lists Notion writes for each list item into one list."""
    for element in body.find_all(["ul", "ol"]):
        if element.decomposed or element.parent is None:
            continue
        following = element.next_sibling
        while following is not None:
            if isinstance(following, NavigableString) and not following.strip():
                following = following.next_sibling
                continue
            if (
                isinstance(following, Tag)
                and following.name == element.name
                and following.get("class") == element.get("class")
            ):
                after = following.next_sibling
                for item in list(following.find_all("li", recursive=False)):
                    element.append(item.extract())
                following.decompose()
                following = after
                continue
            break


def _properties(table: Any, facts: Facts) -> None:
    for row in table.find_all("tr"):
        key, value = row.find("th"), row.find("td")
        if key is not None and value is not None:
            facts.properties.append(
                (key.get_text(" ", strip=True), value.get_text(", ", strip=True))
            )


# --- Confluence ------------------------------------------------------------------------

_CONFLUENCE_NOTICES = {
    "information": "Info", "note": "Note", "warning": "Warning", "tip": "Tip",
}  # fmt: skip
_CONFLUENCE_KNOWN_MACROS = {
    "info", "note", "warning", "tip", "panel", "code", "noformat", "expand", "status",
    "jira", "anchor", "children", "toc", "details",
}  # fmt: skip


def _confluence(soup: Any, facts: Facts, notes: list[str]) -> Any:
    title = soup.find(id="title-text")
    if title is not None:
        text = title.get_text(" ", strip=True)
        facts.title = text.split(" : ", 1)[1] if " : " in text else text
    elif soup.title:
        facts.title = soup.title.get_text(" ", strip=True) or None
    metadata = soup.find(class_="page-metadata")
    if metadata is not None:
        _confluence_metadata(metadata, facts)
    for section in soup.find_all(class_="pageSection"):
        heading = section.find(class_="pageSectionTitle")
        name = heading.get_text(" ", strip=True).rstrip(":") if heading else "section"
        links = [
            a.get_text(" ", strip=True) for a in section.find_all("a") if a.get_text(strip=True)
        ]
        if links:
            notes.append(f"{name} not imported (kept in Confluence): {', '.join(links[:20])}")
    comments = soup.find(id="comments-section")
    if comments is not None:
        for comment in comments.find_all(class_="comment-content"):
            notes.append(f"page comment left out: {clip(comment.get_text(' ', strip=True))}")
    main = soup.find(id="main-content")
    confluence_macros(main, notes)
    return main


def _confluence_metadata(metadata: Any, facts: Facts) -> None:
    author = metadata.find(class_="author")
    if author is not None and author.get_text(strip=True):
        facts.authors.append(author.get_text(" ", strip=True))
    text = " ".join(metadata.get_text(" ", strip=True).split())
    # "Created by A on 01.02.2020" dates the page; "last modified (or edited, or updated) …
    # on" dates only an edit.
    head, _, _ = text.partition(", last ")
    if " on " in head:
        facts.created = parse_date(head.rsplit(" on ", 1)[1])


def confluence_macros(main: Any, notes: list[str]) -> None:
    """Turn the macros of Confluence's rendered view into plain elements, noting the rest."""
    for box in main.find_all(class_="confluence-information-macro"):
        kind = next(
            (
                label
                for cls, label in _CONFLUENCE_NOTICES.items()
                for c in box.get("class") or []
                if c == f"confluence-information-macro-{cls}"
            ),
            "Note",
        )
        for icon in box.find_all(class_="aui-icon"):
            icon.decompose()
        box.name = "blockquote"
        label_before(box, f"{kind}: ")
    for panel in main.find_all("pre", class_="syntaxhighlighter-pre"):
        code = new_tag("code")
        code.string = panel.get_text()
        language = _code_language(panel)
        if language:
            code["class"] = [f"language-{language}"]
        panel.clear()
        panel.append(code)
    for toc in main.find_all(class_="toc-macro"):
        toc.decompose()
        notes.append("table of contents macro left out (nofault lists the sections itself)")
    for control in main.find_all(class_="expand-control"):
        control.name = "p"
        control.wrap(new_tag("strong"))
    for task_list in main.find_all("ul", class_="inline-task-list"):
        for item in task_list.find_all("li", recursive=False):
            mark_task(item, done="checked" in (item.get("class") or []))
    if main.find("ul", class_="childpages-macro"):
        notes.append("child pages macro kept as a list of links to the child pages")
    for element in main.find_all(attrs={"data-macro-name": True}):
        name = element.get("data-macro-name")
        if name not in _CONFLUENCE_KNOWN_MACROS:
            notes.append(f"macro {name!r} kept as the text Confluence rendered for it")
    for image in main.find_all("img", class_="emoticon"):
        image.replace_with(image.get("alt") or "")


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


_TIDY: dict[str, Callable[[Any, Facts, list[str]], Any]] = {
    "google-docs": _google_docs,
    "notion": _notion,
    "confluence": _confluence,
    "html": _plain,
}
