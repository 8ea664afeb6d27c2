"""A suppression's reason: the editor's placeholder is no reason until the writer replaces it."""

from __future__ import annotations

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint, suppression_comment

SENTENCE = "The deploy failed because of human error.\n"


def _codes(comment: str) -> set[str]:
    config = LintConfig(select=["BLM201", "STR010"])
    return {f.code for f in lint(f"{comment}\n{SENTENCE}", config=config).findings}


def test_the_placeholder_silences_the_paragraph_but_still_asks_for_a_reason() -> None:
    assert _codes("") == {"BLM201"}
    assert _codes(suppression_comment("BLM201")) == {"STR010"}
    assert _codes(suppression_comment("BLM201", "quoting the vendor's ticket")) == set()
    assert _codes("<!-- nofault: disable=BLM201 -->") == {"STR010"}
