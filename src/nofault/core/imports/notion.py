"""Notion's HTML export tidied into plain HTML (its Markdown export needs no tidying)."""

from __future__ import annotations

from typing import Any

from bs4 import NavigableString, Tag

from nofault.core.imports.html import clip, mark_task, new_tag
from nofault.core.imports.metadata import Facts


def tidy(soup: Any, facts: Facts, notes: list[str]) -> Any:
    """A Notion page as plain HTML: its title, properties, to-dos, callouts and toggles."""
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
