"""How similar incidents reads text: stems, concepts, and the word lists they come from."""

from __future__ import annotations

from pathlib import Path

import yaml

from nofault.core.insights.terms import filler, read_text

DATA = Path(__file__).parents[3] / "src" / "nofault" / "core" / "insights" / "data"


def test_every_entry_of_the_word_lists_is_text() -> None:
    # YAML reads `no`, `on` or `503` unquoted as a boolean or a number: they must be quoted.
    for name in ("concepts.yaml", "common_words.yaml"):
        for group, words in yaml.safe_load((DATA / name).read_text(encoding="utf-8")).items():
            assert isinstance(group, str)
            assert words and all(isinstance(w, str) and w.strip() for w in words), group


def test_one_failure_in_three_wordings_gives_the_same_concepts() -> None:
    wordings = (
        "The TLS certificate expired on Saturday.",
        "Our cert lapsed: nobody renewed it.",
        "x509: certificate has expired or is not yet valid (not after 2024-01-01)",
    )
    for text in wordings:
        assert {"certificate", "expiry"} <= set(read_text(text).concepts), text


def test_words_are_stems_without_function_words() -> None:
    reading = read_text("The workers were OOM-killed and no one restarted them on time")
    assert reading.words == ("worker", "oom", "kill", "restart", "time")
    assert reading.surfaces["kill"] == "killed"
    assert "memory" in reading.concepts


def test_a_multi_word_phrase_is_one_concept_and_needs_all_its_words() -> None:
    assert "disk full" in read_text("writes failed: no space left on device").concepts
    assert "disk full" not in read_text("no space was left for questions").concepts


def test_filler_words_are_known_by_their_stem() -> None:
    assert filler("team") and filler("custom")  # "customers" stems to "custom"
    assert not filler("certif")


def test_reading_a_long_hostile_text_stays_linear() -> None:
    text = ("a" * 5_000 + " ") * 200 + "ran out of memory " * 2_000
    reading = read_text(text)
    # "out of memory" at "out", then "memory" itself: two counts per mention, nothing more.
    assert reading.concepts.count("memory") == 4_000
    assert reading.concepts.count("exhaustion") == 2_000
