"""The blame pack: language that makes a person, not the system, the cause of an incident.

Word lists live in lexicon.yaml and rule texts in rules.yaml. The modules hold the rest:
`gates` (patterns that run only when a sentence holds one of their key words), `grammar`
(who is the subject of a verb, what a noun phrase names, whether a sentence gives an
instruction), `patterns` (every pattern, compiled once), one module per family of checks
(`person`, `human_error`, `counterfactual`, `judgement`, `minimising`, `hindsight`,
`hint`), each a table of (gate, check) pairs, `guards` (constructions in which blame words
lay no blame, read over every family's findings) and `analysis`, which reads the prose once
and returns every rule's hits. `learned` is a second opinion (BLM601, preview): a linear
model over a sentence's words, shipped as `model.json`.
"""

from __future__ import annotations

from pathlib import Path

from nofault.core.lint.engine import PackDetector
from nofault.core.lint.packs.blame.analysis import LEARNED, MESSAGES, analyse
from nofault.core.lint.packs.loader import load_pack
from nofault.core.lint.rule import Category

_CODES = ("BLM101", "BLM102", "BLM201", "BLM301", "BLM401", "BLM402", "BLM501", "BLM601")
RULES = load_pack(
    Path(__file__).parent / "rules.yaml",
    Category.BLAME,
    {code: PackDetector(analyse, code) for code in _CODES},
)
MESSAGES.update({rule.code: rule.message for rule in RULES})
LEARNED.extend(rule for rule in RULES if rule.code == "BLM601")
