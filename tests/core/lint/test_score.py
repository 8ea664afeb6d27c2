"""The depth score and the response times: pure functions, and what the linter attaches."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from nofault.core.lint.config import LintConfig, config_from_mapping
from nofault.core.lint.engine import lint
from nofault.core.lint.packs.depth.score import WEIGHTS, depth_score, response_times
from nofault.core.lint.report import to_json
from nofault.core.markdown import parse

CORPUS = Path(__file__).parents[2] / "data" / "postmortems"
TODAY = date(2026, 6, 1)


def _pm(name: str):  # type: ignore[no-untyped-def]
    return parse((CORPUS / name).read_text(encoding="utf-8"))


def to_json_score(text: str, today: date) -> Any:
    """Return the score object the JSON report carries for one linted text."""
    result = lint(text, path="pm.md", config=LintConfig(), today=today)
    return json.loads(to_json([result]))["files"][0]["score"]


def test_weights_sum_to_100_for_each_review_level() -> None:
    for level, weights in WEIGHTS.items():
        assert sum(weights.values()) == 100, level


def test_response_times_from_the_timeline() -> None:
    times = response_times(_pm("deep-checkout-config-push.md"))
    assert times.as_dict() == {
        "time_to_detect_minutes": 7.0,
        "time_to_mitigate_minutes": 36.0,
        "time_to_resolve_minutes": 78.0,
    }


def test_response_times_with_a_declared_zone_and_front_matter() -> None:
    # All times UTC on one day, a list timeline, and detected_at in the front matter.
    times = response_times(_pm("deep-cache-stampede-list-timeline.md"))
    assert times.time_to_detect_minutes == 6.0
    assert times.time_to_mitigate_minutes == 24.0
    assert times.time_to_resolve_minutes == 70.0


def test_response_times_unknown_without_zones() -> None:
    times = response_times(_pm("shallow-timeline-no-zone.md"))
    assert times.time_to_detect_minutes is None and times.time_to_resolve_minutes is None


def test_response_times_across_midnight() -> None:
    text = (
        "---\nseverity: SEV3\n---\n\n# Outage\n\n## Timeline\n\n"
        "- 23:50 UTC — [start] Errors start\n- 23:58 UTC — [detection] Alert\n"
        "- 00:20 UTC — [resolution] Fixed\n"
    )
    times = response_times(parse(text))
    assert (times.time_to_detect_minutes, times.time_to_resolve_minutes) == (8.0, 30.0)


def test_deep_scores_high_and_shallow_low_with_parts_explained() -> None:
    deep = depth_score(_pm("deep-checkout-config-push.md"), today=TODAY)
    shallow = depth_score(_pm("shallow-everything.md"), today=TODAY)
    assert deep.score >= 95 and deep.passed
    assert shallow.score <= 25 and not shallow.passed and shallow.min == 60
    names = [p.name for p in shallow.parts]
    assert names == list(WEIGHTS["full"])
    by_name = {p.name: p for p in shallow.parts}
    assert by_name["factors"].points == 0 and "naming a person" in by_name["factors"].detail
    assert "no five-whys chain" in by_name["chains"].detail
    assert "not measured" in by_name["impact"].detail
    assert round(sum(p.points for p in shallow.parts)) == shallow.score


def test_each_gap_costs_points() -> None:
    deep = depth_score(_pm("deep-checkout-config-push.md"), today=TODAY).score
    for name in (
        "shallow-single-cause.md", "shallow-short-chain.md", "shallow-no-detection.md",
        "shallow-thin-timeline.md", "shallow-impact-vague.md", "shallow-no-learning.md",
        "actions-vague.md", "actions-unlinked.md", "actions-only-process-sev1.md",
    ):  # fmt: skip
        assert depth_score(_pm(name), today=TODAY).score < deep, name


def test_light_reviews_are_scored_on_their_own_parts() -> None:
    light = depth_score(_pm("light-good-cache-jitter.md"), today=TODAY)
    assert light.score == 100
    skipped = [p for p in light.parts if p.max == 0]
    assert {p.name for p in skipped} == {"categories", "chains", "reasoning", "timeline", "impact"}
    assert all(p.detail == "not required for a light review" for p in skipped)


def test_minimum_per_severity_is_configuration() -> None:
    pm = _pm("public-shape-dead-flag-deploy-shallow.md")
    assert not depth_score(pm, today=TODAY).passed
    lenient = config_from_mapping({"min-depth": {"SEV1": 50}})
    assert depth_score(pm, config=lenient, today=TODAY).passed
    assert depth_score(pm, config=config_from_mapping({"min-depth": {}}), today=TODAY).min is None


def test_lint_attaches_the_score_in_the_documented_shape() -> None:
    text = (CORPUS / "shallow-everything.md").read_text(encoding="utf-8")
    typed = lint(text, config=LintConfig(), today=TODAY).score
    assert typed is not None and not typed.passed and typed.min == 60
    score = to_json_score(text, TODAY)
    assert set(score) == {"score", "min", "passed", "parts", "times"}
    assert score["passed"] is False and score["min"] == 60
    assert set(score["parts"][0]) == {"name", "points", "max", "detail"}
    assert set(score["times"]) == {
        "time_to_detect_minutes", "time_to_mitigate_minutes", "time_to_resolve_minutes",
    }  # fmt: skip
    # Overdue depends on the day: the same document scores higher before its due date.
    earlier = to_json_score(text, date(2026, 4, 1))
    quality = {p["name"]: p["points"] for p in earlier["parts"]}["action quality"]
    later = {p["name"]: p["points"] for p in score["parts"]}["action quality"]
    assert quality >= later
