"""Confluence's XML space export (`entities.xml`): its current pages, in storage format.

The export is a flat list of Hibernate objects linked by id: a `Page` names its creator and
its dates, its text is a `BodyContent` pointing back at it, and its labels come through
`Labelling` → `Label`. Only the current version of each page is imported; drafts and the
historical versions (pages with an `originalVersion`) are counted in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from nofault.core.imports.errors import ImportFailure, MissingExtra
from nofault.core.imports.html import (
    clip,
    convert,
    label_before,
    mark_task,
    new_tag,
    parse_html,
    strong,
)
from nofault.core.imports.metadata import Facts, Page, assemble, parse_date

try:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse
except ImportError:  # pragma: no cover - the import extra is part of dev installs
    iterparse = None

KIND = "Confluence space export (XML)"

_NOTICES = {"info": "Info", "note": "Note", "warning": "Warning", "tip": "Tip", "panel": ""}
_CODE = {"code", "noformat"}
# Macros whose output Confluence computes when the page is shown: there is no text to keep.
_GENERATED = {
    "toc", "children", "contributors", "recently-updated", "pagetree", "roadmap", "livesearch",
    "create-from-template", "blog-posts", "content-report-table", "page-index", "attachments",
    "space-details", "popular-labels", "related-labels", "jira-chart", "gadget", "profile",
    "change-history", "excerpt-include", "include", "tasks-report-macro", "detailssummary",
}  # fmt: skip


@dataclass
class _Object:
    cls: str
    id: str
    properties: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)


def is_space_export(data: bytes) -> bool:
    """Whether bytes look like a Confluence `entities.xml`."""
    return b"<hibernate-generic" in data[:2048]


def space_pages(data: bytes, name: str) -> tuple[list[Page], list[str]]:
    """Return the current pages of a space export and notes on what was not imported."""
    if iterparse is None:
        raise MissingExtra("defusedxml")
    objects = _objects(data, name)
    users = {o.id: o.properties.get("name", "") for o in objects if o.cls.endswith("UserImpl")}
    bodies = {
        o.refs.get("content"): (o.properties.get("body", ""), o.properties.get("bodyType", "2"))
        for o in objects
        if o.cls == "BodyContent"
    }
    labels = {o.id: o.properties.get("name", "") for o in objects if o.cls == "Label"}
    page_labels: dict[str, list[str]] = {}
    for o in objects:
        if o.cls == "Labelling" and o.refs.get("content") and o.refs.get("label") in labels:
            page_labels.setdefault(o.refs["content"], []).append(labels[o.refs["label"]])
    pages, notes = [], []
    drafts = history = 0
    for o in objects:
        if o.cls not in ("Page", "BlogPost"):
            continue
        if o.properties.get("contentStatus", "current") != "current":
            drafts += 1
            continue
        if "originalVersion" in o.refs:
            history += 1
            continue
        creator = users.get(o.refs.get("creator", "")) or o.properties.get("creatorName", "")
        facts = Facts(
            title=o.properties.get("title") or None,
            authors=[creator.strip()] if creator.strip() else [],
            created=parse_date(o.properties.get("creationDate", "")),
            labels=[label for label in page_labels.get(o.id, []) if label],
        )
        page_notes: list[str] = []
        text, body_type = bodies.get(o.id, ("", "2"))
        if body_type == "2":
            root = storage_to_html(text, name, page_notes, users)
        else:
            # Confluence before 4.0 stored wiki markup ("h1. Title", "* item"): kept as text.
            root = parse_html("", name)
            for block in text.split("\n\n"):
                paragraph = new_tag("p")
                paragraph.string = block.strip()
                root.append(paragraph)
            if text.strip():
                page_notes.append("the page is in Confluence's old wiki markup: kept as plain text")
        body = convert(root, page_notes)
        pages.append(
            assemble(
                body=body,
                facts=facts,
                source=f"{name} ({'blog post' if o.cls == 'BlogPost' else 'page'} {o.id})",
                kind=KIND,
                unmapped=page_notes,
            )
        )
    if drafts or history:
        notes.append(
            f"{name}: {drafts} draft(s) and {history} earlier version(s) of pages not imported "
            "(only each page's current version is)"
        )
    comments = [o for o in objects if o.cls == "Comment"]
    if comments:
        notes.append(f"{name}: {len(comments)} comment(s) not imported")
    attachments = [o for o in objects if o.cls == "Attachment"]
    if attachments:
        notes.append(
            f"{name}: {len(attachments)} attachment(s) not imported (pages keep their names)"
        )
    return pages, notes


def _objects(data: bytes, name: str) -> list[_Object]:
    import io

    objects: list[_Object] = []
    try:
        for _event, element in iterparse(io.BytesIO(data), events=("end",)):
            if element.tag != "object":
                continue
            item = _Object(cls=element.get("class", ""), id="")
            for child in element:
                key = child.get("name", "")
                if child.tag == "id":
                    item.id = (child.text or "").strip()
                elif child.tag == "property":
                    ref = child.find("id")
                    if ref is not None:
                        item.refs[key] = (ref.text or "").strip()
                    else:
                        item.properties[key] = child.text or ""
            objects.append(item)
            element.clear()
    except DefusedXmlException as exc:
        raise ImportFailure(name, f"refused: {exc}", reason="unreadable") from None
    except SyntaxError as exc:  # ElementTree's ParseError
        raise ImportFailure(name, f"not well-formed XML ({exc})", reason="unreadable") from None
    return objects


def storage_to_html(body: str, name: str, notes: list[str], users: dict[str, str]) -> Any:
    """Turn a page in Confluence storage format into plain HTML, noting what is left out."""
    soup = parse_html(body, name)
    for macro in reversed(soup.find_all("ac:structured-macro")):
        _macro(macro, notes)
    for tasks in soup.find_all("ac:task-list"):
        tasks.name = "ul"
        for task in tasks.find_all("ac:task", recursive=False):
            status = task.find("ac:task-status")
            done = status is not None and status.get_text(strip=True) == "complete"
            text = task.find("ac:task-body")
            item = new_tag("li")
            if text is not None:
                for child in list(text.contents):
                    item.append(child.extract())
            mark_task(item, done=done)
            task.replace_with(item)
    for link in soup.find_all("ac:link"):
        _link(link, users)
    for image in soup.find_all("ac:image"):
        target = image.find(["ri:attachment", "ri:url"])
        source = ""
        if target is not None:
            source = target.get("ri:filename") or target.get("ri:value") or ""
        tag = new_tag("img")
        tag["src"] = source
        tag["alt"] = image.get("ac:alt") or image.get("ac:title") or source
        image.replace_with(tag)
    for emoticon in soup.find_all("ac:emoticon"):
        emoticon.replace_with(emoticon.get("ac:emoji-fallback") or f":{emoticon.get('ac:name')}:")
    markers = soup.find_all("ac:inline-comment-marker")
    for marker in markers:
        marker.unwrap()
    if markers:
        notes.append(f"{len(markers)} inline comment(s) left out (the text they mark is kept)")
    for placeholder in soup.find_all("ac:placeholder"):
        placeholder.decompose()
    for time in soup.find_all("time"):
        time.replace_with(time.get("datetime") or time.get_text())
    for user in soup.find_all("ri:user"):
        user.replace_with(f"@{users.get(user.get('ri:userkey', ''), 'user')}")
    for tag in soup.find_all(["ac:layout", "ac:layout-section", "ac:layout-cell"]):
        tag.unwrap()
    leftovers = sorted({t.name for t in soup.find_all(True) if ":" in t.name})
    for tag in soup.find_all(True):
        if ":" in tag.name:
            tag.unwrap()
    if leftovers:
        notes.append(f"storage elements kept as their text: {', '.join(leftovers)}")
    return soup


def _param(macro: Any, name: str) -> str:
    for param in macro.find_all("ac:parameter", recursive=False):
        if param.get("ac:name") == name:
            return str(param.get_text(" ", strip=True))
    return ""


def _macro(macro: Any, notes: list[str]) -> None:
    name = macro.get("ac:name", "")
    rich = macro.find("ac:rich-text-body", recursive=False)
    plain = macro.find("ac:plain-text-body", recursive=False)
    if name in _NOTICES and rich is not None:
        block = new_tag("blockquote")
        label = _param(macro, "title") or _NOTICES[name]
        for child in list(rich.contents):
            block.append(child.extract())
        if label:
            label_before(block, f"{label}: ")
        macro.replace_with(block)
    elif name in _CODE and plain is not None:
        pre, code = new_tag("pre"), new_tag("code")
        code.string = plain.get_text()
        language = _param(macro, "language")
        if language:
            code["class"] = [f"language-{language}"]
        pre.append(code)
        macro.replace_with(pre)
    elif name == "expand" and rich is not None:
        block = new_tag("div")
        block.append(strong(_param(macro, "title") or "Details"))
        for child in list(rich.contents):
            block.append(child.extract())
        macro.replace_with(block)
    elif name == "status":
        macro.replace_with(f"[{_param(macro, 'title') or _param(macro, 'colour')}]")
    elif name == "jira":
        key = _param(macro, "key")
        macro.replace_with(key)
        if not key:
            notes.append("a Jira macro without an issue key left out")
    elif name == "anchor":
        macro.decompose()
    elif name == "details" and rich is not None:
        # Page properties: a table of the page's own facts, read like any other table.
        block = new_tag("div")
        for child in list(rich.contents):
            block.append(child.extract())
        macro.replace_with(block)
    elif rich is not None or plain is not None:
        block = new_tag("div")
        for child in list((rich or plain).contents):
            block.append(child.extract())
        macro.replace_with(block)
        notes.append(f"macro {name!r} unwrapped: its text is kept, its function is not")
    else:
        why = "computed by Confluence" if name in _GENERATED else "not supported"
        detail = _param(macro, "title") or _param(macro, "source")
        notes.append(
            f"macro {name!r} left out ({why})"
            + (f": {clip(unquote(detail), 80)}" if detail else "")
        )
        macro.decompose()


def _link(link: Any, users: dict[str, str]) -> None:
    body = link.find(["ac:plain-text-link-body", "ac:link-body"])
    text = body.get_text(" ", strip=True) if body is not None else ""
    page = link.find("ri:page")
    user = link.find("ri:user")
    attachment = link.find("ri:attachment")
    if user is not None:
        link.replace_with(f"@{users.get(user.get('ri:userkey', ''), text or 'user')}")
        return
    if page is not None:
        title = page.get("ri:content-title", "")
        link.replace_with(text or title)
        return
    if attachment is not None:
        anchor = new_tag("a")
        anchor["href"] = attachment.get("ri:filename", "")
        anchor.string = text or attachment.get("ri:filename", "")
        link.replace_with(anchor)
        return
    link.replace_with(text or link.get("ac:anchor", ""))
