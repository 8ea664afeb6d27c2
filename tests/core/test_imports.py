"""Imports from real Google Docs, Confluence and Notion exports, and the front matter they state.

The exports are read from the shared corpus (never copied here); the postmortems written in
this file are our own, in the shapes those tools export.
"""

from __future__ import annotations

import io
import socket
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nofault.core.document import SectionKind
from nofault.core.imports import ImportFailure, Limits, import_file, import_path
from nofault.core.imports.metadata import parse_date
from nofault.core.markdown import parse_text
from tests.shared_corpus import shared_folder

IMPORTS = shared_folder("corpus/imports")
NOTION_MD = IMPORTS / "notion" / "markdown-export.7acd77c1-0197-44e3-9793-ae81ab520ac9_Export.zip"
NOTION_HTML = IMPORTS / "notion" / "html-export.67e39a7b-e75e-4dcb-9181-56ce222d3430_Export.zip"
DOCX = IMPORTS / "google-docs" / "Lebenslauf.google-docs-takeout.docx"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No import may reach the network: images and links stay references."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an import opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _pages(path: Path) -> dict[str, Any]:
    result = import_path(path)
    assert result.failures == []
    return {page.title: page for page in result.pages}


def _body(markdown: str) -> str:
    return markdown.split("\n---\n", 1)[1]


# --- the shared real exports -----------------------------------------------------------


def test_every_shared_export_converts_into_postmortems_that_read_back() -> None:
    inputs = [
        IMPORTS / "confluence" / "html-export",
        IMPORTS / "confluence" / "xml-export" / "entities.xml",
        NOTION_MD,
        NOTION_HTML,
        DOCX,
        *sorted((IMPORTS / "google-docs").glob("*.html")),
    ]
    for path in inputs:
        result = import_path(path)
        assert result.failures == [], path
        assert result.pages, path
        for page in result.pages:
            parsed = parse_text(page.markdown)
            assert parsed.has_front_matter and parsed.postmortem.title == page.title
            assert parsed.postmortem.status.value == "draft"
            assert not [p for p in parsed.problems if p.code in ("STR001", "STR003")], page.source


def test_google_docs_nested_lists_follow_their_level_classes() -> None:
    [page] = import_path(IMPORTS / "google-docs" / "lists.export.html").pages
    body = _body(page.markdown)
    assert "- List of stuff.\n  - With\n  - Subitems\n    - And\n    - Sub-subitems\n" in body
    assert "      1. But numbered not bulleted!" in body
    assert "3. List of stuff.\n   1. With" in body
    assert "This item has line breaks.\n  Here is a second line." in body


def test_google_docs_table_header_survives_the_broken_thead() -> None:
    [page] = import_path(IMPORTS / "google-docs" / "tables.export.html").pages
    body = _body(page.markdown)
    assert "| Column | Headings | Go | Here | And Here |\n| --- | --- | --- | --- | --- |\n" in body
    assert "| Values | 1120 | 5000 | To center | 🤷 emoji ❓ |" in body
    assert "|  |  |" not in body  # no empty header row


def test_google_docs_code_blocks_and_monospace_runs_become_fences() -> None:
    [page] = import_path(IMPORTS / "google-docs" / "code-blocks.export.html").pages
    body = _body(page.markdown)
    assert "```\nConsecutive lines\nThat are monospaced," in body
    assert "for (const i = 0; i < someList.length; i++) {\n  doSomething(someList[i]);\n}" in body
    assert "\uec03" not in body and "\uec02" not in body


def test_google_made_docx_keeps_headings_lists_and_names_the_layout_table() -> None:
    [page] = import_path(DOCX).pages
    assert page.title == "Ihr Name"
    body = _body(page.markdown)
    assert "## BERUFSERFAHRUNG" in body and "### Projektname — *Detail*" in body
    assert "- Text hier einfügen." in body
    assert any("layout table" in note for note in page.unmapped)
    assert any("BERUFSERFAHRUNG" in note for note in page.unmapped)  # an unknown section


def test_confluence_html_space_export() -> None:
    result = import_path(IMPORTS / "confluence" / "html-export")
    pages = {p.title: p for p in result.pages}
    assert set(pages) == {"JavaScript", "Clubspire", "Webclient"}
    javascript = parse_text(pages["JavaScript"].markdown).postmortem
    assert javascript.authors == ["Václav"]
    assert "  - v produkci je $verze cislo buildu/commitu" in pages["JavaScript"].markdown
    assert any("index" in note for note in result.notes)  # the space index is named, not a page
    assert any("child pages" in note for note in pages["Clubspire"].unmapped)
    assert any("no text" in note for note in pages["Webclient"].unmapped)  # an empty page


def test_confluence_xml_export_takes_current_pages_only() -> None:
    result = import_path(IMPORTS / "confluence" / "xml-export" / "entities.xml")
    titles = sorted(p.title for p in result.pages)
    assert titles == ["AreTagsImported", "HoomePage", "notagspage", "three tags page"]
    assert any("draft" in n and "earlier version" in n for n in result.notes)
    assert any("comment" in n for n in result.notes)
    home = next(p for p in result.pages if p.title == "AreTagsImported")
    doc = parse_text(home.markdown).postmortem
    assert doc.created == date(2023, 12, 18)
    assert "> **Tip:** Welcome to your first space." in home.markdown  # the tip macro as a quote
    assert any("'roadmap'" in n for n in home.unmapped)
    assert any("'children'" in n for n in home.unmapped)
    tagged = next(p for p in result.pages if p.title == "three tags page")
    assert "three1" in tagged.markdown and "admin" in tagged.markdown


@pytest.mark.parametrize("path", [NOTION_MD, NOTION_HTML], ids=["markdown", "html"])
def test_notion_export_zips(path: Path) -> None:
    result = import_path(path)
    pages = {p.title: p for p in result.pages}
    assert {"Testseite", "subpage", "Wöchentliche To-do-Liste", "Zu Beginn"} <= set(pages)
    todo = pages["Wöchentliche To-do-Liste"].markdown
    assert "- [x] Mama anrufen\n- [x] Tisch bei Buddha Bowl reservieren\n" in todo.replace(
        "[x]  ", "[x] "
    )
    image = pages["note with image and some other stuff"].markdown
    assert "test.png)" in image and "https://www.youtube.com/watch?v=wqT1SxhyaKM" in image
    assert any("test.png" in n and "attachments" in n for n in result.notes)
    assert any("index" in n for n in result.notes)


# --- front matter from what the text states --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Incident report July 11 2025 - Database failover", date(2025, 7, 11)),
        ("2023-02-01 Heavy use of the search cluster", date(2023, 2, 1)),
        ("Oct 31 2021 Dust Storm", date(2021, 10, 31)),
        ("on 4th of March 2026 at noon", date(2026, 3, 4)),
        ("17.02.2015", date(2015, 2, 17)),
        ("25/12/2024", date(2024, 12, 25)),
        ("03/04/2026", None),  # March or April: never guessed
        ("version 2.3.4 of the agent", None),
        ("2026-02-30", None),
    ],
)
def test_dates_are_read_only_when_unambiguous(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


POSTMORTEM_HTML = """<html><head><title>Checkout errors after a config push</title></head><body>
<h1>Checkout errors after a config push</h1>
<table><tr><td><b>Incident date</b></td><td>March 4, 2026</td></tr>
<tr><td><b>Severity</b></td><td>Sev 2</td></tr>
<tr><td><b>Affected services</b></td><td>checkout, payments-gateway</td></tr>
<tr><td><b>Authors</b></td><td>@amara, Jonas Weber</td></tr></table>
<h2>Summary</h2><p>A configuration push removed the payment provider's endpoint.</p>
<h2>Root causes</h2><ol><li>The config service accepted a file with no endpoint.</li></ol>
<h2>Action items</h2><ul><li>Validate config before push (owner: platform)</li></ul>
<p><img src="http://internal.example/graph.png" alt="error rate"></p>
<iframe src="https://dashboards.example/d/checkout"></iframe>
<!-- reviewer note: check the timeline -->
<h2>Vendor notes</h2><p>Kept as written.</p>
</body></html>"""


def test_front_matter_is_read_from_a_metadata_table_and_marked_inferred() -> None:
    [page] = import_file("checkout.html", POSTMORTEM_HTML.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.title == "Checkout errors after a config push"
    assert doc.created == date(2026, 3, 4)
    assert doc.severity == "SEV2"
    assert doc.services == ["checkout", "payments-gateway"]
    assert doc.authors == ["amara", "Jonas Weber"]
    front = yaml.safe_load(page.markdown.split("---\n")[1])
    assert set(front["inferred"]) == {"created", "severity", "services", "authors"}
    assert front["imported_from"] == "HTML page: checkout.html"
    kinds = {s.kind for s in doc.sections}
    assert {
        SectionKind.SUMMARY,
        SectionKind.CONTRIBUTING_FACTORS,
        SectionKind.ACTION_ITEMS,
    } <= kinds
    # Kept as references, never fetched; what could not be carried over is named.
    assert "![error rate](http://internal.example/graph.png)" in page.markdown
    assert "https://dashboards.example/d/checkout" in page.markdown
    assert any("iframe" in n for n in page.unmapped)
    assert any("HTML comment" in n for n in page.unmapped)
    assert any("'Vendor notes'" in n for n in page.unmapped)


def test_nothing_is_invented_and_unusable_values_are_reported() -> None:
    html = (
        "<h1>Search was slow</h1><p>Severity: High</p><p>Written 03/04/2026.</p>"
        "<h2>Summary</h2><p>Queries took seconds.</p>"
    )
    [page] = import_file("slow.html", html.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.severity is None and doc.created is None and doc.services == []
    assert any("'High'" in n for n in page.unmapped)
    both = "<h1>Two</h1><p>First called a SEV3, later raised to SEV1.</p>"
    [page] = import_file("two.html", both.encode()).pages
    assert parse_text(page.markdown).postmortem.severity is None
    assert any("several severities" in n for n in page.unmapped)


def test_notion_properties_and_markdown_property_lines() -> None:
    html = """<html><body><article class="page sans"><header><h1 class="page-title">Queue backlog</h1>
    <table class="properties"><tbody><tr class="property-row"><th>Severity</th><td>SEV3</td></tr>
    <tr class="property-row"><th>Date</th><td><time>@May 2, 2025</time></td></tr>
    <tr class="property-row"><th>Owner</th><td><span class="user">Li Wei</span></td></tr>
    </tbody></table></header><div class="page-body"><h2>Summary</h2><p>Jobs waited.</p>
    <ul class="to-do-list"><li><div class="checkbox checkbox-off"></div> <span>Alert on lag</span></li></ul>
    <ul class="to-do-list"><li><div class="checkbox checkbox-on"></div> <span>Drain queue</span></li></ul>
    </div></article></body></html>"""
    [page] = import_file("Queue backlog 0123456789abcdef0123456789abcdef.html", html.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert (doc.title, doc.severity, doc.created) == ("Queue backlog", "SEV3", date(2025, 5, 2))
    assert doc.authors == ["Li Wei"]
    assert "- [ ] Alert on lag\n- [x] Drain queue" in page.markdown
    markdown = "# Disk full on builders\n\nDate: 2024-09-19\nServices: ci, artifacts\n\n## Impact\n\nBuilds failed.\n"
    [page] = import_file(
        "Disk full on builders 0123456789abcdef0123456789abcdef.md", markdown.encode()
    ).pages
    doc = parse_text(page.markdown).postmortem
    assert (doc.title, doc.created, doc.services) == (
        "Disk full on builders",
        date(2024, 9, 19),
        ["ci", "artifacts"],
    )
    assert page.kind == "Notion page (Markdown)"


STORAGE_PAGE = """<p>Severity: SEV1</p><ac:structured-macro ac:name="info"><ac:rich-text-body>
<p>Customer facing.</p></ac:rich-text-body></ac:structured-macro><h1>Timeline</h1>
<ul><li>14:02 UTC deploy starts</li></ul><h1>Action items</h1>
<ac:task-list><ac:task><ac:task-status>complete</ac:task-status><ac:task-body>Roll back</ac:task-body></ac:task>
<ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>Add a canary for <ac:link><ri:user ri:userkey="k1" /></ac:link></ac:task-body></ac:task></ac:task-list>
<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[kubectl rollout undo deploy/api]]></ac:plain-text-body></ac:structured-macro>
<p><ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">OPS-12</ac:parameter></ac:structured-macro>
<ac:image><ri:attachment ri:filename="latency.png" /></ac:image></p>
<ac:structured-macro ac:name="gliffy"><ac:parameter ac:name="name">network</ac:parameter></ac:structured-macro>"""


def _entities(body: str) -> bytes:
    cdata = body.replace("]]>", "]]]]><![CDATA[>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<hibernate-generic datetime="2025-01-10 10:00:00">
<object class="ConfluenceUserImpl" package="com.atlassian.confluence.user"><id name="key">k1</id>
<property name="name"><![CDATA[dana]]></property></object>
<object class="Page" package="com.atlassian.confluence.pages"><id name="id">10</id>
<property name="title"><![CDATA[API outage 2025-01-09]]></property>
<property name="creationDate">2025-01-10 09:00:00.000</property>
<property name="contentStatus"><![CDATA[current]]></property>
<property name="creator" class="ConfluenceUserImpl" package="com.atlassian.confluence.user"><id name="key">k1</id></property>
</object>
<object class="BodyContent" package="com.atlassian.confluence.core"><id name="id">20</id>
<property name="body"><![CDATA[{cdata}]]></property><property name="bodyType">2</property>
<property name="content" class="Page" package="com.atlassian.confluence.pages"><id name="id">10</id></property>
</object></hibernate-generic>""".encode()


def test_confluence_storage_format_macros_tasks_and_links() -> None:
    [page] = import_file("entities.xml", _entities(STORAGE_PAGE)).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.title == "API outage 2025-01-09"
    assert doc.severity == "SEV1" and doc.authors == ["dana"]
    assert doc.created == date(2025, 1, 9)  # the date the title states, not the page's
    assert "- [x] Roll back\n- [ ] Add a canary for @dana" in page.markdown
    assert "```bash\nkubectl rollout undo deploy/api\n```" in page.markdown
    assert "OPS-12" in page.markdown and "latency.png" in page.markdown
    assert any("'gliffy'" in n for n in page.unmapped)
    assert {SectionKind.TIMELINE, SectionKind.ACTION_ITEMS} <= {s.kind for s in doc.sections}


def test_xml_bombs_and_broken_xml_are_refused_with_the_reason() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<hibernate-generic><object class="Page"><property name="title">&b;</property></object></hibernate-generic>"""
    result = import_file("entities.xml", bomb)
    assert result.pages == [] and "refused" in result.failures[0].message
    result = import_file("entities.xml", b"<hibernate-generic><object class='Page'>")
    assert "not well-formed" in result.failures[0].message


def test_word_document_with_properties_comments_and_a_table() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.author = "Priya Natarajan"
    document.core_properties.title = "Login failures after certificate rotation"
    document.add_heading("Login failures after certificate rotation", level=0)
    intro = document.add_paragraph("Severity: SEV2")
    document.add_paragraph("Date: 3 November 2025")
    document.add_comment(intro.runs, text="Confirm the severity with support", author="Jo")
    document.add_heading("Timeline", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Time", "Event"
    table.cell(1, 0).text, table.cell(1, 1).text = "09:14 UTC", "Certificate rotated"
    document.add_heading("Lessons learned", level=1)
    document.add_paragraph("Rotate with an overlap.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    [page] = import_file("login.docx", buffer.getvalue()).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.title == "Login failures after certificate rotation"
    assert (doc.severity, doc.created, doc.authors) == (
        "SEV2",
        date(2025, 11, 3),
        ["Priya Natarajan"],
    )
    assert len(doc.timeline) == 1 and "Certificate rotated" in doc.timeline[0].text
    assert "- Rotate with an overlap." in page.markdown
    assert any("comment by Jo" in n and "Confirm the severity" in n for n in page.unmapped)


# --- bad input: named, never a traceback -----------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_unreadable_files_are_named_with_the_reason() -> None:
    result = import_file("notes.docx", b"not a zip at all")
    assert result.failures[0].name == "notes.docx" and "Word" in result.failures[0].message
    result = import_file("old.doc", b"\xd0\xcf\x11\xe0")
    assert ".docx" in result.failures[0].message
    result = import_file("page.md", b"\xff\xfe\x00broken")
    assert "UTF-8" in result.failures[0].message
    result = import_file("export.zip", _zip({"a.md": b"# A\n", "b.html": b"\x00\x01\x02"}))
    assert [f.name for f in result.failures] == ["b.html"]
    with pytest.raises(ImportFailure, match="not a readable zip"):
        import_file("export.zip", b"PK\x03\x04 truncated")


def test_zip_limits_count_nested_archives_too() -> None:
    inner = _zip({f"p{i}.md": b"# P\n" for i in range(4)})
    outer = _zip({"Export-Part-1.zip": inner, "q.md": b"# Q\n"})
    assert len(import_file("export.zip", outer).pages) == 5
    with pytest.raises(ImportFailure, match="more than 4 files") as raised:
        import_file("export.zip", outer, limits=Limits(max_members=4))
    assert raised.value.reason == "too_large"
    bomb = _zip({"zeros.html": b"<p>" + b"0" * 3_000_000 + b"</p>"})
    assert len(bomb) < 20_000
    with pytest.raises(ImportFailure, match="unpacks to more than 2 MB"):
        import_file("bomb.zip", bomb, limits=Limits(max_total_bytes=2 * 1024 * 1024))


def test_bold_lines_and_labels_naming_known_sections_become_headings() -> None:
    # The Google SRE book's layout: bold labels opening paragraphs, metadata lines first.
    html = (
        "<h1>Sonnet search outage</h1>"
        "<p><b>Date:</b> 2015-10-21</p><p><b>Authors</b>: jen, marty</p>"
        "<p><b>Summary:</b> Search was down for 66 minutes.</p>"
        "<p><b>Impact</b>: an estimated 1.2 B queries lost.</p>"
        "<p><strong>Root causes:</strong></p><ol><li>A resource leak under load.</li></ol>"
        "<p><b>Note</b> that the cache was cold.</p>"  # a bold phrase, not a label
        "<p><b>Thanks to the on-call team</b></p>"  # bold, but not a section nofault knows
        "<h2>Impact</h2><p>Told again under its own heading.</p>"
    )
    [page] = import_file("sonnet.html", html.encode()).pages
    doc = parse_text(page.markdown).postmortem
    kinds = [s.kind for s in doc.sections]
    assert kinds == [
        SectionKind.SUMMARY,
        SectionKind.CONTRIBUTING_FACTORS,
        SectionKind.IMPACT,
    ]
    assert (doc.created, doc.authors) == (date(2015, 10, 21), ["jen", "marty"])
    assert "## Summary\n\nSearch was down for 66 minutes." in page.markdown
    assert "**Impact**: an estimated 1.2 B queries lost." in page.markdown  # a heading has it
    assert "**Note** that the cache was cold." in page.markdown
    assert any("read as section headings" in n for n in page.unmapped)


def test_a_published_google_doc_and_a_confluence_word_export() -> None:
    published = """<html><head><style>.c4{font-weight:700}</style></head><body><div id="banners"></div>
    <div id="contents"><div class="c2 doc-content"><p class="c1 title"><span>DNS outage</span></p>
    <p class="c1"><span class="c4">Summary</span></p><p class="c1"><span>Resolvers timed out.</span></p>
    <ul class="c3 lst-kix_abc-0 start"><li><span>First</span></li></ul>
    <ul class="c3 lst-kix_abc-1 start"><li><span>Nested</span></li></ul></div></div>
    <div id="footer">Published by Google Docs</div></body></html>"""
    [page] = import_file("DNS outage.html", published.encode()).pages
    assert page.kind == "Google Docs (HTML)" and page.title == "DNS outage"
    assert "## Summary" in page.markdown and "- First\n  - Nested" in page.markdown
    assert "Published by Google Docs" not in page.markdown
    html = (
        "<html><body><div id='main-content' class='wiki-content'><p>Severity: SEV4</p>"
        "<h1>Summary</h1><p>Badge printer offline.</p><p>Confluence</p></div></body></html>"
    )
    mime = (
        "Date: Mon, 3 Mar 2025 10:00:00 +0000 (UTC)\nMessage-ID: <x@localhost>\n"
        "Subject: Exported From Confluence\nMIME-Version: 1.0\n"
        'Content-Type: multipart/related; boundary="BOUNDARY"\n\n--BOUNDARY\n'
        "Content-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n"
        "Content-Location: file:///C:/exported.html\n\n"
        + html.replace("=", "=3D")
        + "\n--BOUNDARY--\n"
    )
    [page] = import_file("Badge printer.doc", mime.encode()).pages
    assert page.kind == "Confluence page (Word export)"
    assert parse_text(page.markdown).postmortem.severity == "SEV4"
    assert "Badge printer offline." in page.markdown


def test_a_severity_outside_the_configured_ones_is_reported() -> None:
    [page] = import_file("big.html", b"<h1>Big one</h1><p>This was our first SEV0.</p>").pages
    assert parse_text(page.markdown).postmortem.severity is None
    assert any("SEV0" in n for n in page.unmapped)


def test_another_tools_front_matter_is_read_and_nofaults_own_is_kept() -> None:
    hugo = (
        "---\ntitle: Build cache poisoned\ndate: 2024-06-12\nauthor: Ravi\n"
        "tags: [ci, SEV3]\naffected services: builds\n---\n\n## What happened\n\nStale artefacts.\n"
    )
    [page] = import_file("build-cache.md", hugo.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert (doc.title, doc.created, doc.severity) == (
        "Build cache poisoned",
        date(2024, 6, 12),
        "SEV3",
    )
    assert doc.authors == ["Ravi"] and doc.services == ["builds"]
    own = (
        "---\nseverity: SEV2\nstatus: draft\nteam: payments\n---\n\n# Ours\n\n## Summary\n\nKept.\n"
    )
    [page] = import_file("ours.md", own.encode()).pages
    assert page.markdown == own and page.kind == "nofault Markdown"
    rule = "---\n\nA page that starts with a rule.\n"
    [page] = import_file("rule.md", rule.encode()).pages
    assert page.kind == "Markdown" and "A page that starts with a rule." in page.markdown


def test_deep_nesting_odd_encodings_and_empty_exports_are_named() -> None:
    deep = import_file("deep.html", b"<table><tr><td>" * 500 + b"x")
    assert deep.pages == [] and deep.failures[0].message == "is nested too deeply to convert"
    [page] = import_file("word.htm", "<h1>Résumé</h1><p>Überblick</p>".encode("utf-16")).pages
    assert page.title == "Résumé" and "Überblick" in page.markdown
    [page] = import_file(
        "latin.html",
        "<h1>Café</h1><p>d\xe9j\xe0 \x81</p>".encode("cp1252", errors="ignore") + b"\x81",
    ).pages
    assert page.title == "Café"
    empty = import_file("entities.xml", b"<hibernate-generic></hibernate-generic>")
    assert empty.failures[0].message == "holds no page to import"


_TAGS = ["p", "div", "ul", "ol", "li", "table", "tr", "td", "th", "thead", "b", "i", "a", "img",
         "h1", "h2", "h3", "pre", "code", "br", "span", "blockquote", "iframe", "details",
         "summary", "figure", "ac:structured-macro", "ac:rich-text-body", "ac:task-list",
         "ac:task", "ac:link", "ri:user"]  # fmt: skip


@st.composite
def _markup(draw: Any) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(st.sampled_from(_TAGS))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            attrs = draw(st.sampled_from(["", ' class="title"', ' href="#cmnt1"', ' src="x.png"',
                                          ' class="lst-kix_a-1"', ' ac:name="info"']))  # fmt: skip
            pieces.append(f"<{tag}{attrs}>")
        elif kind == 1:
            pieces.append(f"</{tag}>")
        else:
            pieces.append(draw(st.text(max_size=20)))
    return "".join(pieces)


@settings(max_examples=60, deadline=None)
@given(_markup(), st.sampled_from(["page.html", "entities.xml", "page.md"]))
def test_any_markup_gives_pages_or_named_failures(markup: str, name: str) -> None:
    data = markup.encode()
    if name == "entities.xml":
        data = _entities(markup)
    result = import_file(name, data)
    for page in result.pages:
        assert parse_text(page.markdown).has_front_matter or page.kind == "nofault Markdown"
    for failure in result.failures:
        assert failure.message


def _docx_with(changes: dict[str, bytes], original: Path | bytes = DOCX) -> bytes:
    source = zipfile.ZipFile(original if isinstance(original, Path) else io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, changes.pop(info.filename, source.read(info)))
        for name, data in changes.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_damaged_word_document_is_named_or_read_around() -> None:
    broken = import_file("cv.docx", _docx_with({"word/document.xml": b"<w:document><<<"}))
    assert broken.pages == [] and "could not be read" in broken.failures[0].message
    [page] = import_file("cv.docx", _docx_with({"docProps/core.xml": b"<broken"})).pages
    assert page.title == "Ihr Name"
    assert any("properties" in n for n in page.unmapped)


def test_a_page_marking_all_its_sections_in_bold_keeps_them_all() -> None:
    html = (
        "<p class='title'>Payments queue stalled</p>"
        "<p><b>Summary</b></p><p>Payments waited for an hour.</p>"
        "<p><b>Customer comms</b></p><p>We posted twice.</p>"  # not a section nofault knows
        "<p><b>Timeline</b></p><ul><li>14:02 UTC queue stops</li></ul>"
        "<p><b>This sentence is bold for emphasis.</b></p>"
    )
    [page] = import_file("stall.html", html.encode()).pages
    headings = [s.heading for s in parse_text(page.markdown).postmortem.sections]
    assert headings == ["Summary", "Customer comms", "Timeline"]
    assert "**This sentence is bold for emphasis.**" in page.markdown
    with_own = "<h2>Summary</h2><p>Payments waited.</p><p><b>Customer comms</b></p><p>Twice.</p>"
    [page] = import_file("own.html", f"<h1>Stalled</h1>{with_own}".encode()).pages
    assert [s.heading for s in parse_text(page.markdown).postmortem.sections] == ["Summary"]


CONFLUENCE_PAGE = """<!DOCTYPE html><html><head><title>Ops : 2025-02-11 Login outage</title></head>
<body><div id="page"><div id="main"><div id="main-header"><h1 id="title-heading" class="pagetitle">
<span id="title-text">Ops : 2025-02-11 Login outage</span></h1></div><div id="content" class="view">
<div class="page-metadata">Created by <span class='author'>Mina Kovač</span>, last modified on Feb 14, 2025</div>
<div id="main-content" class="wiki-content group">
<div class="toc-macro client-side-toc-macro"><ul><li><a href="#x">Summary</a></li></ul></div>
<div class="table-wrap"><table class="confluenceTable"><tbody>
<tr><th class="confluenceTh">Severity</th><td class="confluenceTd">SEV2</td></tr>
<tr><th class="confluenceTh">Affected services</th><td class="confluenceTd">login, sessions</td></tr></tbody></table></div>
<h2 id="x">Summary</h2><div class="confluence-information-macro confluence-information-macro-warning">
<span class="aui-icon aui-icon-small aui-iconfont-error confluence-information-macro-icon"></span>
<div class="confluence-information-macro-body"><p>Users could not sign in for 25 minutes.</p></div></div>
<h2>Resolution</h2><div class="code panel pdl"><div class="codeContent panelContent pdl">
<pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: bash; gutter: false">kubectl rollout undo deploy/login</pre></div></div>
<h2>Action items</h2><ul class="inline-task-list"><li class="checked"><span>Pin the session library</span></li>
<li><span>Alert on login errors</span></li></ul>
<div class="expand-container"><div class="expand-control"><span class="expand-control-text">Raw logs</span></div>
<div class="expand-content"><p>401s from 09:12 to 09:37.</p></div></div>
<p><span class="status-macro aui-lozenge aui-lozenge-current" data-macro-name="status">IN PROGRESS</span>
<span data-macro-name="gliffy">diagram</span></p>
</div>
<div class="pageSection group"><div class="pageSectionHeader"><h2 id="attachments" class="pageSectionTitle">Attachments:</h2></div>
<div class="greybox" align="left"><a href="attachments/1/2.png">errors.png</a> (image/png)</div></div>
<div id="comments-section" class="pageSection group"><div class="comment-content wiki-content"><p>Add the vendor ticket.</p></div></div>
</div></div></div></body></html>"""


def test_confluence_page_macros_tasks_and_metadata() -> None:
    [page] = import_file("2025-02-11-Login-outage_123.html", CONFLUENCE_PAGE.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.title == "2025-02-11 Login outage"
    assert (doc.severity, doc.services, doc.authors) == (
        "SEV2",
        ["login", "sessions"],
        ["Mina Kovač"],
    )
    assert doc.created == date(2025, 2, 11)  # the title's date, not the last edit's
    assert "> **Warning:** Users could not sign in for 25 minutes." in page.markdown
    assert "```bash\nkubectl rollout undo deploy/login\n```" in page.markdown
    assert "- [x] Pin the session library\n- [ ] Alert on login errors" in page.markdown
    assert "**Raw logs**" in page.markdown and "401s from 09:12" in page.markdown
    assert "IN PROGRESS" in page.markdown
    notes = " | ".join(page.unmapped)
    for expected in ("table of contents", "'gliffy'", "errors.png", "Add the vendor ticket"):
        assert expected in notes
    assert "'status'" not in notes


def test_google_docs_comments_links_and_styles() -> None:
    html = """<html><head><style>.c1{font-weight:700}.c2{font-style:italic}.c3{text-decoration:line-through}
    </style><title>Cache outage</title></head><body class="c0 doc-content">
    <p class="c4 title"><span>Cache outage</span></p>
    <h2><span>Summary</span></h2><p><span>The cache</span><span class="c1">&nbsp;evicted</span><span> every key.</span><sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup></p>
    <p><span class="c2">Maybe</span><span> </span><span class="c3">twice</span><span>. See </span><span><a href="https://www.google.com/url?q=https://status.example.com/incidents/42&amp;sa=D&amp;source=editors">the status page</a></span>.</p>
    <div><p><a href="#cmnt_ref1" id="cmnt1">[a]</a><span>Was it every key or most keys?</span></p></div>
    </body></html>"""
    [page] = import_file("Cache outage.html", html.encode()).pages
    assert page.title == "Cache outage"
    assert (
        "**evicted**" in page.markdown
        and "*Maybe*" in page.markdown
        and "~~twice~~" in page.markdown
    )
    assert "[the status page](https://status.example.com/incidents/42)" in page.markdown
    assert "[a]" not in page.markdown and "every key or most" not in page.markdown
    assert any("comment left out" in n and "every key or most keys" in n for n in page.unmapped)


def test_confluence_blog_posts_and_old_wiki_markup() -> None:
    blog = (
        _entities("<p>Severity: SEV3</p><h1>Summary</h1><p>Builds queued.</p>")
        .replace(
            b'class="Page" package="com.atlassian.confluence.pages"><id name="id">10',
            b'class="BlogPost" package="com.atlassian.confluence.pages"><id name="id">10',
        )
        .replace(
            b'class="Page" package="com.atlassian.confluence.pages"><id name="id">10</id></property>',
            b'class="BlogPost" package="com.atlassian.confluence.pages"><id name="id">10</id></property>',
        )
    )
    [page] = import_file("entities.xml", blog).pages
    assert page.source == "entities.xml (blog post 10)"
    assert parse_text(page.markdown).postmortem.severity == "SEV3"
    wiki = _entities("h1. Summary\n\n* Builds queued for an hour").replace(
        b'<property name="bodyType">2</property>', b'<property name="bodyType">0</property>'
    )
    [page] = import_file("entities.xml", wiki).pages
    assert "h1. Summary" in page.markdown and "* Builds queued for an hour" in page.markdown
    assert any("old wiki markup" in n for n in page.unmapped)


def test_word_tracked_changes_are_read_as_accepted_and_reported() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Before. MARK")
    buffer = io.BytesIO()
    document.save(buffer)
    tracked = (
        b'<w:t>Before. </w:t></w:r><w:ins w:id="1" w:author="a" w:date="2025-01-01T00:00:00Z">'
        b"<w:r><w:t>added</w:t></w:r></w:ins>"
        b'<w:del w:id="2" w:author="a" w:date="2025-01-01T00:00:00Z">'
        b"<w:r><w:delText>removed</w:delText></w:r></w:del>"
    )
    xml = zipfile.ZipFile(buffer).read("word/document.xml")
    xml = xml.replace(b"<w:t>Before. MARK</w:t></w:r>", tracked)
    changed = _docx_with({"word/document.xml": xml}, buffer.getvalue())
    [page] = import_file("tracked.docx", changed).pages
    assert "Before. added" in page.markdown and "removed" not in page.markdown
    assert any("1 insertion(s) kept" in n and "1 deletion(s) left out" in n for n in page.unmapped)


def test_author_lists_keep_emails_and_drop_mention_signs() -> None:
    html = "<h1>Queue</h1><p>Authors: @kim, lee@example.com and Ana Souza (SRE)</p>"
    [page] = import_file("q.html", html.encode()).pages
    assert parse_text(page.markdown).postmortem.authors == ["kim", "lee@example.com", "Ana Souza"]


def test_a_table_of_columns_is_not_read_as_metadata() -> None:
    html = (
        "<h1>Slow checkout</h1><table><tr><th>Owner</th><th>Action</th></tr>"
        "<tr><td>payments</td><td>Add a timeout</td></tr></table>"
        "<table><tr><td>Service</td><td>Impact</td></tr><tr><td>checkout</td><td>slow</td></tr></table>"
        "<table><tr><td><b>Date</b></td><td>2025-04-01</td></tr><tr><td><b>Owner</b></td><td>Noor</td></tr></table>"
    )
    [page] = import_file("slow.html", html.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert doc.services == [] and doc.authors == ["Noor"] and doc.created == date(2025, 4, 1)


def test_text_opening_a_line_never_becomes_a_heading_list_or_quote() -> None:
    html = (
        "<h1>Retry storm</h1><h2>1. Summary</h2>"
        "<p>Pasted from the runbook:<br># retry later<br>1. not a step<br>- not a bullet<br>"
        "> not a quote</p><p>Mid-line 2. and # and - stay as they are.</p>"
    )
    [page] = import_file("storm.html", html.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert [(s.heading, s.kind) for s in doc.sections] == [("1. Summary", SectionKind.SUMMARY)]
    assert "\\# retry later\n1\\. not a step\n\\- not a bullet\n\\> not a quote" in page.markdown
    assert "Mid-line 2. and # and - stay as they are." in page.markdown


def test_plain_text_on_its_own_is_a_page_and_inside_an_export_an_attachment() -> None:
    text = "Disk full on the build farm\n\nDate: 2024-02-02\nSeverity: SEV4\n\nSummary\n\nBuilds stopped.\n"
    [page] = import_file("Disk full.txt", text.encode()).pages
    doc = parse_text(page.markdown).postmortem
    assert (doc.title, doc.created, doc.severity) == (
        "Disk full on the build farm",
        date(2024, 2, 2),
        "SEV4",
    )
    result = import_file(
        "export.zip",
        _zip({"page.md": b"# Page\n\n![log](notes.txt)\n", "notes.txt": text.encode()}),
    )
    assert [p.title for p in result.pages] == ["Page"]
    assert any("notes.txt" in n for n in result.notes)


@pytest.mark.parametrize(
    "line",
    [
        "Incident Date/Time: March 4, 2026 14:02 UTC",
        "**Date of the incident:** 4 March 2026",
        "- Start time: 2026-03-04 14:02",
    ],
)
def test_date_labels_as_teams_write_them(line: str) -> None:
    [page] = import_file("x.html", f"<h1>Outage</h1><p>{line}</p>".encode()).pages
    assert parse_text(page.markdown).postmortem.created == date(2026, 3, 4)


def test_zipped_google_docs_web_page_and_a_confluence_xml_export_zip() -> None:
    page_html = (IMPORTS / "google-docs" / "tables.export.html").read_bytes()
    page_html = page_html.replace(b"</body>", b'<p><img src="images/image1.png"></p></body>')
    google = _zip({"Tables.html": page_html, "images/image1.png": b"\x89PNG\r\n"})
    result = import_file("Tables.zip", google)
    [page] = result.pages
    assert page.kind == "Google Docs (HTML)" and "![](images/image1.png)" in page.markdown
    assert any("images/image1.png" in n for n in result.notes)
    entities = (IMPORTS / "confluence" / "xml-export" / "entities.xml").read_bytes()
    space = _zip(
        {
            "entities.xml": entities,
            "exportDescriptor.properties": b"spaceKey=OPS\n",
            "attachments/360451/1/1": b"\x89PNG\r\n",
        }
    )
    result = import_file("Confluence-space-export.zip", space)
    assert len(result.pages) == 4 and result.failures == []
    assert any(
        "exportDescriptor.properties" in n and "attachments/360451/1/1" in n for n in result.notes
    )
