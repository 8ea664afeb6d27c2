"""The learning report in Markdown, HTML and PDF (the PDF's text read back with pypdf)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

from pypdf import PdfReader

from nofault.core.insights.report import build_report, to_html, to_markdown, to_pdf
from tests.core.insights.test_metrics import PMS, TODAY


def test_markdown_report_has_the_sections_a_leader_reads() -> None:
    md = to_markdown(build_report(PMS, today=TODAY))
    for heading in (
        "## In short",
        "## Recurring themes",
        "## Metrics",
        "### By severity",
        "## Action items that slipped",
        "## Reviews that are missing",
    ):
        assert heading in md
    assert "2 of 3 owed reviews published or waived (67%)" in md
    assert "| INC-1 | action A3 |" in md
    assert "| INC-3 |" in md  # the draft's incident is missing a review


def test_html_report_is_standalone_with_valid_svg_charts() -> None:
    page = to_html(build_report(PMS, today=TODAY, title="Q2 <learning>"))
    assert page.startswith("<!DOCTYPE html>") and "Q2 &lt;learning&gt;" in page
    assert "<script" not in page and "http" not in page.split("<svg", 1)[0].split("</style>")[1]
    svgs = [s.split("</svg>")[0] + "</svg>" for s in ("<svg" + p for p in page.split("<svg")[1:])]
    assert len(svgs) == 3  # incidents, response times, on time (no themes in this set)
    for svg in svgs:
        ET.fromstring(svg)
    HTMLParser().feed(page)


def test_since_limits_the_period() -> None:
    md = to_markdown(build_report(PMS, since=date(2026, 4, 1), today=TODAY))
    assert "- 2 incidents;" in md and "2026-Q2" in md


def test_pdf_report_text() -> None:
    data = to_pdf(build_report(PMS, today=TODAY, title="Learning report Q2"))
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Learning report Q2" in text
    assert "Action items that slipped" in text and "Reviews that are missing" in text
    assert "INC-3" in text
