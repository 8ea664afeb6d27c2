"""A Confluence page exported as HTML (a page, a space export, or Export to Word) tidied.

The XML space export is read by `storage.py`; both turn Confluence's macros into ordinary
elements and name the ones whose output only Confluence can compute.
"""

from __future__ import annotations

from typing import Any

from nofault.core.imports.html import clip, code_language, label_before, mark_task, new_tag
from nofault.core.imports.metadata import Facts, parse_date

_CONFLUENCE_NOTICES = {
    "information": "Info", "note": "Note", "warning": "Warning", "tip": "Tip",
}  # fmt: skip
_CONFLUENCE_KNOWN_MACROS = {
    "info", "note", "warning", "tip", "panel", "code", "noformat", "expand", "status",
    "jira", "anchor", "children", "toc", "details",
}  # fmt: skip


def tidy(soup: Any, facts: Facts, notes: list[str]) -> Any:
    """A Confluence page as plain HTML: its title, creator, macros, attachments, comments."""
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
        language = code_language(panel)
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
