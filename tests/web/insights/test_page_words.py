"""The insights page's words: when its figures were computed, what its abbreviations mean."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.insights.conftest import login

pytestmark = pytest.mark.django_db


def test_computed_time_and_abbreviations_read_plainly(published: Any, viewer: Any) -> None:
    page = login(viewer).get("/insights/").content.decode()
    computed = re.search(r"computed\s+(\S+(?: \S+)?) UTC", page)
    assert computed is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", computed.group(1)), computed.group(1)
    for short, long in (
        ("TTD", "time to detect"),
        ("TTM", "time to mitigate"),
        ("TTR", "time to resolve"),
    ):
        assert f'<abbr title="{long}">{short}</abbr> ({long})' in page
    assert 'aria-describedby="metrics-legend"' in page and 'id="metrics-legend"' in page
