"""The search page shows snippets as plain words and says what an empty search lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils.safestring import mark_safe

from nofault.web.templatetags import plain
from tests.web.insights.conftest import login

pytestmark = pytest.mark.django_db


def test_plain_drops_markdown_marks_and_keeps_highlights() -> None:
    snippet = mark_safe(
        "&lt;!-- what happened --&gt;\n## Summary\n\n- **F1** the <mark>canary</mark> "
        "stage | `config` |\n| --- | --- |\n&gt; quoted; latency &gt; 5 s, #3 and C# code"
    )
    assert str(plain(snippet)) == (
        "what happened Summary F1 the <mark>canary</mark> stage config quoted; "
        "latency &gt; 5 s, #3 and C# code"
    )


def test_snippets_read_as_text(published: Any, viewer: Any) -> None:
    page = login(viewer).get("/search/?q=summary").content.decode()
    snippets = re.findall(r'<div class="snippet">(.*?)</div>', page, re.S)
    assert snippets and any("<mark>" in s for s in snippets)
    for s in snippets:
        assert "## " not in s and "--&gt;" not in s and "&lt;!--" not in s and "**" not in s


def test_an_empty_search_says_it_lists_the_latest(published: Any, viewer: Any) -> None:
    page = login(viewer).get("/search/").content.decode()
    count = re.search(r'<p class="muted" id="result-count">(.*?)</p>', page, re.S)
    assert count is not None and 'class="search-hit"' in page
    assert "Type some words" not in count.group(1) and "latest" in count.group(1)


def test_results_and_filters_name_kinds_and_statuses_in_words(published: Any, viewer: Any) -> None:
    page = login(viewer).get("/search/?q=error+growth&kind=action").content.decode()
    hits = re.findall(r'<div class="search-hit">(.*?)<div class="snippet">', page, re.S)
    assert hits and all("Action item" in h for h in hits)
    assert any("In progress" in h for h in hits)  # A2 of the published postmortem
    form = page.split('<div id="results">')[0]
    assert ">In progress</option>" in form and ">Won&#x27;t do</option>" in form
    assert ">Action item</option>" in form
    for raw in ("in_progress", "wont_do", "in_review", ">action<"):
        assert raw not in "".join(hits) and f">{raw}</option>" not in form
