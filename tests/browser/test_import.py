"""Importing real exports through the web page in a real browser: a Google Docs .docx, a
Confluence page and a Notion zip are queued, the worker imports them, and the page (asking
again every second) shows the drafts, each with what was not mapped."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.shared_corpus import shared_folder
from tests.web.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPORTS = shared_folder("corpus/imports")
EXPORTS = [
    (
        IMPORTS / "google-docs" / "Lebenslauf.google-docs-takeout.docx",
        1,
        "Ihr Name",
        "layout table",
    ),
    (
        IMPORTS / "confluence" / "html-export" / "JavaScript_9273401.html",
        1,
        "JavaScript",
        "Zakladni info",
    ),
    (
        IMPORTS / "notion" / "markdown-export.7acd77c1-0197-44e3-9793-ae81ab520ac9_Export.zip",
        12,
        "Wöchentliche To-do-Liste",
        "test.png",
    ),
]


def test_import_docx_confluence_and_notion_through_the_page(live_server: Any, page: Any) -> None:
    from django.test import Client

    from nofault.web.postmortems.models import Postmortem
    from nofault.web.worker.runner import work

    base = live_server.url
    client = Client()
    # The login form has its own browser test.
    assert client.login(username=make_user("author", "sam").username, password=PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    for path, count, title, reported in EXPORTS:
        page.goto(f"{base}/postmortems/import/")
        page.set_input_files("input[name=file]", str(path))
        page.click("button[type=submit]")
        expect(page.locator("#import-job .import-status")).to_contain_text("Queued")
        assert work(burst=True, schedule=False).succeeded == 1
        report = page.locator("#import-report")
        expect(report).to_contain_text(f"Done: imported {count} draft")
        expect(report).to_contain_text(reported)
        page.click(f"#import-report a:text-is('{title}')")
        expect(page.locator("h1").first).to_contain_text(title)
        assert Postmortem.objects.get(title=title).status == "draft"
    assert Postmortem.objects.count() == 14
