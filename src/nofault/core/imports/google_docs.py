"""Google Docs' HTML export (downloaded or published) tidied into plain HTML.

Docs writes each list level as a sibling list whose class names the level, bold and italics
as CSS classes, links through Google's redirect, code blocks between two private-use
characters, and comments as footnotes at the end; each is turned back into what it means.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import NavigableString, Tag

from nofault.core.imports.html import LIST_LEVEL, clip, new_tag
from nofault.core.imports.metadata import Facts

_MONO_FONTS = ("mono", "courier", "consolas", "menlo", "monaco")
_CODE_START, _CODE_END = "\uec03", "\uec02"  # Google Docs' code block markers


def tidy(soup: Any, facts: Facts, notes: list[str]) -> Any:
    """A Google Docs page as plain HTML: its title, comments, links, code, styles and lists."""
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
        found = LIST_LEVEL.match(cls)
        if found:
            return int(found.group(2))
    return None
