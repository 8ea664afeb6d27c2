"""Themes: paraphrased factors from different incidents land in one theme, others do not."""

from __future__ import annotations

from nofault.core.insights.themes import find_themes, quarter_of
from tests.core.insights.conftest import pm

RECORDS = [
    pm("a", "Payments failed in eu-south", factors=(
        "No alert rules existed for the new eu-south region.",
        "The config change shipped without schema validation."), started="2026-01-10T09:00:00",
        services=("payments",)),
    pm("b", "Search errors in ap-east", factors=(
        "Alert rules were not defined for the ap-east region.",), started="2026-02-10T09:00:00",
        services=("search",)),
    pm("c", "Checkout broken by settings", factors=(
        "The configuration change went out without validation against the schema.",),
        started="2026-04-02T09:00:00", services=("checkout",)),
    pm("d", "Disk filled", factors=("Debug logs filled the disk of the search nodes.",),
       started="2026-04-03T09:00:00", services=("search",)),
]  # fmt: skip


def _theme_of(themes: list, key: str, text_part: str) -> int | None:
    for i, t in enumerate(themes):
        if any(m.postmortem == key and text_part in m.text for m in t.members):
            return i
    return None


def test_paraphrased_factors_form_one_theme() -> None:
    themes = find_themes(RECORDS)
    alerts = _theme_of(themes, "a", "alert")
    assert alerts is not None and alerts == _theme_of(themes, "b", "Alert")
    config = _theme_of(themes, "a", "config")
    assert config is not None and config == _theme_of(themes, "c", "configuration")
    assert alerts != config


def test_a_factor_seen_once_is_not_a_theme() -> None:
    assert _theme_of(find_themes(RECORDS), "d", "Debug") is None


def test_counts_by_quarter_service_and_category() -> None:
    themes = find_themes(RECORDS)
    alerts = themes[_theme_of(themes, "a", "alert") or 0]
    assert alerts.count == 2
    assert alerts.by_quarter == {"2026-Q1": 2}
    assert alerts.by_service == {"payments": 1, "search": 1}
    assert alerts.by_category == {"technical": 2}
    assert "alert" in alerts.label or "region" in alerts.label


def test_quarter_of() -> None:
    from datetime import date

    assert quarter_of(date(2026, 3, 31)) == "2026-Q1"
    assert quarter_of(date(2026, 10, 1)) == "2026-Q4"
    assert quarter_of(None) == "unknown"


def test_two_stage_clustering_on_many_factors_keeps_paraphrases_together() -> None:
    import nofault.core.insights.themes as themes_module

    many = [*RECORDS] + [
        pm(f"n{i}", f"noise {i}", factors=(f"Unrelated condition number {i} in subsystem {i}.",))
        for i in range(60)
    ]
    old = themes_module.DIRECT_LIMIT
    themes_module.DIRECT_LIMIT = 10  # force the MiniBatchKMeans stage on a small set
    try:
        themes = find_themes(many)
    finally:
        themes_module.DIRECT_LIMIT = old
    alerts = _theme_of(themes, "a", "alert")
    assert alerts is not None and alerts == _theme_of(themes, "b", "Alert")


def test_a_theme_label_leaves_out_filler_words() -> None:
    for texts in (
        (
            "Traffic does not reach production evenly.",
            "Traffic does not reach production in one wave.",
        ),
        ("The report does not list every vendor.", "The report did not list each vendor."),
    ):
        records = [
            pm(f"s{i}", f"Incident {i}", factors=(text,), started=f"2026-0{i + 1}-10T09:00:00")
            for i, text in enumerate(texts)
        ]
        themes = find_themes(records)
        assert len(themes) == 1 and len(themes[0].terms) == 3
        assert not any(w in ("does", "did") for t in themes[0].terms for w in t.split())
