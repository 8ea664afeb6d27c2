"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only harmless tags and links.

A postmortem is rendered a section at a time and each section's HTML is kept (by its text)
in a small cache: the editor's live preview re-renders only the section being typed in,
not the whole document on every keystroke.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from typing import Any
from urllib.parse import quote

import nh3
from django.forms import BoundField
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from markdown_it import MarkdownIt

from nofault.web.choices import ChoiceSet

# What renders a postmortem's kept HTML. A kept body rendered by another (an upgrade of
# either library, or a change to the tags kept below: bump the number) is rendered again by
# the worker (postmortems.render_stale).
RENDERER = f"nofault 1; markdown-it-py {version('markdown-it-py')}; nh3 {version('nh3')}"

_md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "details",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


def sanitise_html(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes (no script, no handlers)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def strip_front_matter(text: str) -> str:
    """Return the Markdown body without its YAML front matter."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[index + 1 :])
    return text


# What makes one part of a document depend on another: a link reference definition is
# used anywhere, a raw HTML tag may open in one section and close in the next.
_CROSS_SECTION = re.compile(r"^ {0,3}\[[^\]]*\]:|<[A-Za-z/!?]", re.M)
_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")


def markdown_sections(body: str) -> list[str]:
    """Split Markdown before each top-level heading outside fenced code.

    Rendering the parts one after the other gives the same HTML as rendering the whole: an
    ATX heading at the start of a line ends any paragraph, list, table or quote before it.
    A text whose parts could refer to each other (link reference definitions, raw HTML)
    stays in one part.
    """
    if _CROSS_SECTION.search(body):
        return [body]
    sections: list[str] = []
    start = 0
    offset = 0
    fence: str | None = None  # the open fence's marker, while inside fenced code
    for line in body.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is not None:
            closing = _FENCE_CLOSE.match(bare)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                fence = None
        elif opening := _FENCE_OPEN.match(bare):
            if not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                fence = opening.group(1)
        elif offset > start and _ATX_HEADING.match(bare):
            sections.append(body[start:offset])
            start = offset
        offset += len(line)
    sections.append(body[start:])
    return sections


@lru_cache(maxsize=1024)
def _section_html(section: str) -> str:
    return sanitise_html(_md.render(section))


def markdown_to_html(text: str, *, front_matter: bool = True) -> str:
    """Render Markdown (front matter left out) to sanitised HTML, a section at a time."""
    body = strip_front_matter(text) if front_matter else text
    return "".join(_section_html(section) for section in markdown_sections(body))


# --- page fragments ------------------------------------------------------------------------
# Lists of many rows (incidents, action cards, findings) are built here with format_html
# rather than by a template loop: the template engine costs tens of microseconds a node,
# which on a page of 50 rows was most of the request. Each helper escapes every value.


_URL_SAFE = RFC3986_SUBDELIMS + "~:@"  # what reverse() leaves unquoted in a path argument


def url_maker(viewname: str, sample: int | str = 2147483647) -> Callable[[int | str], str]:
    """A function giving the URL of `viewname` for one argument, reversing only once.

    The URL is reversed for `sample` (an integer for <int:...> paths, a word for <str:...>)
    and the argument put where the sample was, quoted as reverse() quotes it. Kept per view
    name, sample and script prefix.
    """
    key = (viewname, sample, get_script_prefix())
    made = _MAKERS.get(key)
    if made is None:
        made = _MAKERS[key] = _url_maker(viewname, sample)
    return made


_MAKERS: dict[tuple[str, int | str, str], Callable[[int | str], str]] = {}


def _url_maker(viewname: str, sample: int | str) -> Callable[[int | str], str]:
    url = reverse(viewname, args=[sample])
    prefix, _, suffix = url.rpartition(quote(str(sample), safe=_URL_SAFE))

    def make(value: int | str) -> str:
        return f"{prefix}{quote(str(value), safe=_URL_SAFE)}{suffix}"

    return make


_BADGES: dict[type[ChoiceSet], dict[str, SafeString]] = {}


def _badges(choice_set: type[ChoiceSet]) -> dict[str, SafeString]:
    badges = _BADGES.get(choice_set)
    if badges is None:
        badges = _BADGES[choice_set] = {
            c.value: format_html('<span class="tag c-{}">{}</span>', c.colour, c.label)
            for c in choice_set.CHOICES
        }
    return badges


def badge(choice_set: type[ChoiceSet], value: str) -> SafeString:
    """A value as its coloured tag with its label, as the `badge` template filter shows it."""
    found = _badges(choice_set).get(value)
    if found is not None:
        return found
    return format_html(
        '<span class="tag c-{}">{}</span>', choice_set.colour(value), choice_set.label(value)
    )


def esc(value: Any) -> str:
    """Escape a value for HTML text or a quoted attribute (format_html's escaping, faster)."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, SafeString):
        return value
    return html.escape(str(value))


def text(value: Any) -> str:
    """A value as the template engine prints it ("" for None; dates localised)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if type(value) is date:  # a list shows the same few hundred days again and again
        return _date_text(value)
    return str(localize(value))


@lru_cache(maxsize=4096)
def _date_text(value: date) -> str:
    return str(localize(value))


_WIDGETS: dict[tuple[Any, ...], SafeString] = {}
_WIDGETS_MAX = 1024


def widget_html(field: BoundField) -> SafeString:
    """A form field's widget as HTML, rendered once per form, field and value.

    Django renders a select through a template per option; a page of filters spent more
    on that than on its rows. The widget's HTML depends only on what the key holds.
    """
    value = field.value()
    if isinstance(value, list | tuple):
        value = tuple(str(v) for v in value)
    elif value is not None:
        value = str(value)
    form = field.form
    key = (type(form), field.name, form.prefix, form.auto_id, value, bool(field.errors))
    html = _WIDGETS.get(key)
    if html is None:
        if len(_WIDGETS) >= _WIDGETS_MAX:
            _WIDGETS.clear()
        html = _WIDGETS[key] = SafeString(str(field))
    return html
