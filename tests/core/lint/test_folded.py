"""Case-sensitive twins of IGNORECASE patterns: the same matches on lower-cased ASCII text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import nofault.core.lint.packs.blame.patterns as blame
from nofault.core.lint.packs.blame.gates import Gated
from nofault.core.lint.registry import all_rules
from nofault.core.lint.text import folded

DATA = Path(__file__).resolve().parents[2] / "data"


def _sentences() -> list[str]:
    texts = []
    for name in ("blame_corpus.jsonl", "blame_corpus_extra.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    for rule in all_rules():
        texts += [*rule.examples.flag, *rule.examples.pass_]
    # Case and punctuation that folding must not change.
    texts += ["ROOT CAUSE: Human Error by BOB.", "He SHOULD HAVE Checked. It was LAZY work!",
              "Mr. O'Neil's change_set broke it; K8s pods, S3 and IAM were fine."]  # fmt: skip
    return [t for t in texts if t.isascii()]


SENTENCES = _sentences()
GATES = {name: g for name, g in vars(blame).items() if isinstance(g, Gated) and g.folded}


@pytest.mark.parametrize("name", sorted(GATES))
def test_twin_matches_where_the_pattern_does(name: str) -> None:
    gate = GATES[name]
    assert gate.folded is not None
    for text in SENTENCES:
        expected = [m.regs for m in gate.pattern.finditer(text)]
        assert [m.regs for m in gate.folded.finditer(text.lower())] == expected, text
        assert [m.regs for m in gate.matches(text, text.lower())] == expected, text
        assert [m.group(0) for m in gate.matches(text, text.lower())] == [
            m.group(0) for m in gate.pattern.finditer(text)
        ]


def test_most_gates_have_a_twin() -> None:
    gates = [g for g in vars(blame).values() if isinstance(g, Gated)]
    assert sum(g.folded is not None for g in gates) >= len(gates) - 3


@pytest.mark.parametrize(
    "pattern",
    [
        r"[A-Z]\w+ failed",  # an upper-case class: its twin would never match
        r"[!-_]x",  # a range over upper-case letters only
        r"\bBob\b",
        r"(?-i:bob)",
        r"\x41bc",
        r"[\t-z]",
        r"stra\u00dfe",
        "straße",  # a cased non-ASCII letter
    ],
)
def test_no_twin_when_folding_could_change_matches(pattern: str) -> None:
    assert folded(re.compile(pattern, re.IGNORECASE)) is None


def test_no_twin_for_a_case_sensitive_pattern() -> None:
    assert folded(re.compile(r"\bbob\b")) is None


def test_twin_of_a_plain_pattern() -> None:
    twin = folded(re.compile(r"\b(?P<who>he|she)\s+forgot[’']?[a-z0-9-]*\b", re.IGNORECASE))
    assert twin is not None
    assert not twin.flags & re.IGNORECASE
    assert twin.search("then she forgot it") and not twin.search("Then SHE forgot it")


@pytest.mark.parametrize("name", ["blame.CONSEQUENCE", "analysis._MEASURE", "depth._ROOT_CAUSE"])
def test_twins_of_other_patterns(name: str) -> None:
    import nofault.core.lint.packs.depth as depth
    import nofault.core.lint.packs.depth.analysis as analysis

    module = {"blame": blame, "analysis": analysis, "depth": depth}[name.split(".")[0]]
    pattern = module.__dict__[name.split(".")[1]]
    twin = folded(pattern)
    assert twin is not None
    texts = [*SENTENCES, "About 14% of requests, 1,200 Users and $3k in credits; 40 MINUTES.",
             "The Root Cause was the cache.", "## Root cause:", "It was caused ONLY by load."]  # fmt: skip
    for text in texts:
        assert [m.regs for m in twin.finditer(text.lower())] == [
            m.regs for m in pattern.finditer(text)
        ], text
