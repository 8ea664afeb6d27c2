"""A learned second opinion for the blame pack: a linear model over a sentence's words.

`model.json` beside this module holds a logistic regression's weights (word uni- and bigrams
after `features`), its bias and its threshold, written by `scripts/train_blame_model.py`.
Inference is plain Python: the sentence's features are looked up and summed, so the light
install needs no numerical library, and the same sentence always gets the same score. The
file is read once, on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nofault.core.document import SectionKind
from nofault.core.lint.packs.blame.reword import reword
from nofault.core.lint.rule import Hit
from nofault.core.lint.text import Sentence

MODEL_PATH = Path(__file__).with_name("model.json")

# Words, with inner apostrophes and hyphens; numbers; @mentions.
_TOKEN = re.compile(r"@\w+|[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
# Capitalised words that are not names, kept as words wherever they stand.
_NOT_NAMES = frozenset({"i", "we", "the", "a", "an", "it", "this", "that", "they", "he", "she"})


def tokens(sentence: str) -> list[str]:
    """Return a sentence's words lower-cased, numbers as <num> and names as <name>."""
    out: list[str] = []
    for index, m in enumerate(_TOKEN.finditer(sentence)):
        word = m.group().replace("’", "'")
        low = word.lower()
        if word[0] == "@":
            out.append("<name>")
        elif word[0].isdigit():
            out.append("<num>")
        elif index and word[0].isupper() and word[1:].islower() and low not in _NOT_NAMES:
            out.append("<name>")  # a capitalised word inside the sentence: a name
        else:
            out.append(low)
    return out


def features(sentence: str) -> list[str]:
    """Return the distinct features of a sentence, sorted: uni- and bigrams and its shape."""
    words = tokens(sentence)
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True))
    if sentence.rstrip().endswith("?"):
        found.add("<question>")
    if any(q in sentence for q in '"“”'):
        found.add("<quoted>")
    return sorted(found)


@dataclass(frozen=True, slots=True)
class Model:
    """A linear model: a weight per feature, a bias and the score above which it flags."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, sentence: str) -> float:
        """Return the sentence's score: the bias plus the weights of its features."""
        weights = self.weights
        return self.bias + sum(weights.get(f, 0.0) for f in features(sentence))

    def flags(self, sentence: str) -> bool:
        """Tell whether the score is above the threshold."""
        return self.score(sentence) > self.threshold

    def weighing(self, sentence: str, count: int = 3) -> list[str]:
        """Return the features that push the sentence most towards blame, heaviest first."""
        weights = self.weights
        pushing = [(weights[f], f) for f in features(sentence) if weights.get(f, 0.0) > 0]
        pushing.sort(key=lambda pair: (-pair[0], pair[1]))
        return [f for _w, f in pushing if "<" not in f][:count]  # words, not markers


@cache
def model() -> Model:
    """Return the shipped model, read once."""
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    return Model(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


def span_of(sentence: str, words: list[str]) -> tuple[int, int]:
    """Return the span from the first to the last place a weighing word stands in the sentence."""
    starts: list[int] = []
    ends: list[int] = []
    low = sentence.lower()
    for feature in words:
        for word in feature.split():
            if word.startswith("<"):
                continue
            at = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low)
            if at:
                starts.append(at.start())
                ends.append(at.end())
    if not starts:
        return 0, len(sentence.rstrip())
    return min(starts), max(ends)


def hits(silent: Iterable[Sentence], message: str, advice: str | None) -> list[Hit]:
    """Return a hit for each given prose sentence the model scores above its threshold."""
    shipped = model()
    out: list[Hit] = []
    for sentence in silent:
        if sentence.in_quote or sentence.section is SectionKind.ACTION_ITEMS:
            continue  # quoted chat and forward-looking actions are not the writer's account
        text = sentence.text  # read as in training: quotes kept, block quotes skipped
        if not shipped.flags(text):
            continue
        words = shipped.weighing(text)
        start, end = span_of(text, words)
        line, column = sentence.position(start)
        end_line, end_column = sentence.position(end)
        named = ", ".join(f"“{w}”" for w in words)
        out.append(
            Hit(
                line,
                column,
                end_line,
                end_column,
                message=f"{message} (the words that weigh most: {named})",
                suggestion=reword(text, start, end, "cause", advice),
            )
        )
    return out
