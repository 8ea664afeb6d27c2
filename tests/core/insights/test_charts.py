"""SVG charts: well-formed XML, accessible, the right number of marks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nofault.core.insights.charts import bar_chart, line_chart, stacked_bar_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby", "").split()
    assert len(ids) == 2
    assert root.find("svg:title", NS) is not None and root.find("svg:desc", NS) is not None
    return root


def _marks(root: ET.Element, cls: str, tag: str = "rect") -> list[ET.Element]:
    return [e for e in root.iter(f"{{{NS['svg']}}}{tag}") if e.get("class") == cls]


def test_bar_chart_has_one_bar_per_value_and_labels_as_text() -> None:
    svg = bar_chart("On time <by team>", {"platform": 75, "data & ml": 40.5, "web": None})
    root = _parse(svg)
    assert len(_marks(root, "bar")) == 3
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "data & ml" in texts and "40.5" in texts and "75" in texts
    assert "data & ml: 40.5" in (root.find("svg:desc", NS).text or "")


def test_stacked_bar_chart_draws_each_nonzero_segment() -> None:
    svg = stacked_bar_chart(
        "Incidents", ["Jan", "Feb", "Mar"], {"SEV1": [1, 0, 2], "SEV2": [3, 1, 0]}
    )
    root = _parse(svg)
    assert len(_marks(root, "bar")) == 4
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert [t for t in texts if t in {"4", "1", "2"}][:3] == ["4", "1", "2"]


def test_line_chart_breaks_at_missing_values() -> None:
    svg = line_chart("TTR", ["Jan", "Feb", "Mar", "Apr"], {"resolve": [10, 20, None, 30]})
    root = _parse(svg)
    assert len(_marks(root, "point", "circle")) == 3
    assert len(_marks(root, "line", "polyline")) == 1  # the lone April point draws no line


def test_same_chart_same_bytes_and_distinct_ids() -> None:
    a = bar_chart("A", {"x": 1})
    assert a == bar_chart("A", {"x": 1})
    assert ET.fromstring(a).get("aria-labelledby") != ET.fromstring(bar_chart("B", {"x": 1})).get(
        "aria-labelledby"
    )


def test_empty_data_is_still_valid_svg() -> None:
    for svg in (bar_chart("x", {}), stacked_bar_chart("x", [], {}), line_chart("x", [], {})):
        _parse(svg)
