"""Text normalisation shared by similar postmortems and themes: lower case, synonyms folded.

TF-IDF only sees shared words, so "the cert lapsed" and "TLS certificate expired" share none.
Folding a short, general list of operations synonyms (`data/synonyms.yaml`) onto one word per
group before vectorising lets those match while keeping every match explainable: the shared
term shown to the author is the group's word.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).parent / "data" / "synonyms.yaml"


@cache
def synonym_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return each synonym group as (canonical token, patterns)."""
    lines = yaml.safe_load(_DATA.read_text(encoding="utf-8")) or []
    groups = [[p.strip() for p in str(line).split(" | ")] for line in lines]
    return tuple((re.sub(r"\W+", "_", g[0]).strip("_"), tuple(g)) for g in groups)


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    alternatives: list[str] = []
    names: dict[str, str] = {}
    for index, (token, patterns) in enumerate(synonym_groups()):
        name = f"g{index}"
        names[name] = token
        alternatives.append(f"(?P<{name}>{'|'.join(patterns)})")
    # Longest alternatives first would need sorting across groups; whole-word anchors and
    # specific phrases listed before single words inside each group are enough here.
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)
    return regex, names


def normalise(text: str) -> str:
    """Lower-case a text and fold each synonym onto its group's token."""
    regex, names = _pattern()

    def _fold(m: re.Match[str]) -> str:
        return names[m.lastgroup] if m.lastgroup else m.group(0)

    return regex.sub(_fold, text.lower())
