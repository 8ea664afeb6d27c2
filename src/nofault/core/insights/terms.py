"""The words of incident reviews as similar incidents compares them: stems and concepts.

Two postmortems of the same failure rarely use the same words: one team's "the cert lapsed"
is another's "TLS certificate expired", and a third's "x509: not after". Each text is read
twice:

- as word stems (Snowball's English stemmer), so "expired", "expires" and "expiring" meet;
- as concepts from a lexicon of incident vocabulary (`data/concepts.yaml`), so "lapsed",
  "ran out" and "not renewed" all count as *expiry*. The lexicon is general operations
  vocabulary, one group per idea, written for any team's reports rather than for examples.

Tokenising is one linear pass of a regex with no backtracking (`[a-z0-9]+`), and a concept is
found by looking up the few phrases that start with each token, so the cost is linear in the
text's length.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import snowballstemmer
import yaml

__all__ = ["Reading", "filler", "lexicon_version", "read_text", "word_concepts"]

_DATA = Path(__file__).parent / "data" / "concepts.yaml"
_COMMON = Path(__file__).parent / "data" / "common_words.yaml"
_TOKEN = re.compile(r"[a-z0-9]+")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


@cache
def _common() -> tuple[frozenset[str], frozenset[str]]:
    """The function words (left out) and the stems of filler words (never an explanation)."""
    data = _load_yaml(_COMMON)
    return frozenset(data["function_words"]), frozenset(_stem(w) for w in data["filler"])


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@cache
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def filler(stem: str) -> bool:
    """Tell whether a stem is a word every postmortem uses (not a reason for a match)."""
    return stem in _common()[1]


@cache
def _lexicon() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Map each phrase's first stem to (the phrase's stems, its concept)."""
    groups = _load_yaml(_DATA) or {}
    starts: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for concept, phrases in groups.items():
        name = str(concept).replace("_", " ")
        for phrase in phrases or []:
            stems = tuple(_stem(w) for w in _TOKEN.findall(str(phrase).lower()))
            if stems and (stems, name) not in starts.get(stems[0], []):
                starts.setdefault(stems[0], []).append((stems, name))
    return starts


@cache
def _word_concepts() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for first, phrases in _lexicon().items():
        for stems, concept in phrases:
            if len(stems) == 1:
                found.setdefault(first, set()).add(concept)
    return {stem: frozenset(names) for stem, names in found.items()}


def word_concepts(stem: str) -> frozenset[str]:
    """The concepts a single word names by itself (`expir` -> expiry), if any."""
    return _word_concepts().get(stem, frozenset())


@cache
def lexicon_version() -> str:
    """Say which word lists are in use, so an index built with others is not reused."""
    # The synonyms `text.normalise` folds before reading count too.
    lists = (_DATA, _COMMON, _DATA.with_name("synonyms.yaml"))
    return hashlib.sha256(b"".join(path.read_bytes() for path in lists)).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Reading:
    """A text read for comparison: its word stems, its concepts, and a word for each stem."""

    words: tuple[str, ...]
    concepts: tuple[str, ...]
    surfaces: dict[str, str]


def read_text(text: str) -> Reading:
    """Read a text into word stems (function words left out) and the concepts it mentions."""
    raw = _TOKEN.findall(text.lower())
    stems = [_stem(w) for w in raw]
    starts = _lexicon()
    stop = _common()[0]
    words: list[str] = []
    surfaces: dict[str, str] = {}
    concepts: list[str] = []
    n = len(stems)
    for i, (word, stem) in enumerate(zip(raw, stems, strict=True)):
        # Numbers count from three digits on (503, 2147483647), not list and step numbers.
        if word not in stop and len(word) > 1 and (not word.isdigit() or len(word) >= 3):
            words.append(stem)
            surfaces.setdefault(stem, word)
        # Every phrase found at this word counts, so "ran out of memory" names memory at "out"
        # and again at "memory": a concept said in a longer phrase weighs a little more
        # (measured on the benchmark's development organisations against counting it once).
        found = {
            concept
            for phrase, concept in starts.get(stem, ())
            if i + len(phrase) <= n and tuple(stems[i : i + len(phrase)]) == phrase
        }
        concepts.extend(sorted(found))
    return Reading(tuple(words), tuple(concepts), surfaces)
