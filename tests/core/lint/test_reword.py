"""Blame findings suggest a rewording built from the flagged sentence's own words."""

from __future__ import annotations

import pytest

from nofault.core.lint.engine import lint
from nofault.core.lint.packs.blame.reword import gerund


def _blame_suggestions(text: str) -> list[str]:
    return [f.suggestion for f in lint(text).findings if f.category == "blame"]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Priya forgot to rotate the signing key before the release.", "Rotating the signing key"),
        ("The on-call engineer did not roll the change back.", "Rolling the change back"),
        ("The contractor patched the host but never actually restarted it.", "Restarting it"),
        ("Tom should have drained the node first.", "draining the node first"),
        ("The outage was caused by the contractor.", "lead to the outage"),
    ],
)
def test_the_suggestion_reuses_the_sentences_words(sentence: str, words: str) -> None:
    suggestions = _blame_suggestions(sentence)
    assert suggestions, sentence
    assert any(words in s for s in suggestions), suggestions


def test_a_suggestion_never_carries_another_sentences_example() -> None:
    suggestions = _blame_suggestions("Priya forgot to rotate the signing key.")
    assert suggestions and not any("certificate" in s for s in suggestions)


def test_a_sentence_of_no_known_shape_gets_its_words_quoted_and_the_advice() -> None:
    suggestions = _blame_suggestions(
        "It should have been obvious to anyone that the disk was filling."
    )
    assert suggestions and all(s.startswith(("Instead of “", "What")) for s in suggestions), (
        suggestions
    )


@pytest.mark.parametrize(
    ("verb", "ing"),
    [("renew", "renewing"), ("update", "updating"), ("updated", "updating"), ("run", "running"),
     ("stopped", "stopping"), ("tried", "trying"), ("took", "taking"), ("see", "seeing"),
     ("noticed", "noticing"), ("check", "checking"), ("tie", "tying")],
)  # fmt: skip
def test_gerund(verb: str, ing: str) -> None:
    assert gerund(verb) == ing
