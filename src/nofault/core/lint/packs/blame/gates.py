"""Gated patterns: a regex that runs only when the sentence holds one of its key words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from nofault.core.lint.text import folded


def alternation(phrases: Iterable[str]) -> str:
    """Return a regex alternation of phrases, longest first, spaces matching any blank run.

    Phrases of one length are in alphabetical order, so that the pattern's source is the
    same in every process (a set's order changes with the string hash's seed), and the
    compiled pattern kept from an earlier run (core/lint/kept_patterns.py) is found.
    """
    items = sorted({str(p).lower() for p in phrases}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)


ALNUM = re.compile(r"[a-z0-9]+")


_COMMON = frozenset(
    [
        *("error", "errors", "mistake", "took", "made", "pushed", "deployed", "shipped", "did"),
        *("didn", "not", "never", "was", "were", "the", "up", "down", "over", "brought", "blew"),
        *("knocked", "taken", "blown", "should", "have", "a", "an", "by", "on", "of", "in", "to"),
        *("it", "that", "for", "call", "part"),
    ]
)


def key_word(phrase: str) -> str:
    """Return the most distinctive word of a phrase (the longest uncommon one) for a prefilter."""
    words = ALNUM.findall(str(phrase).lower())
    rare = [w for w in words if w not in _COMMON]
    return max(rare, key=len) if rare else words[0]


def key_words(*groups: Iterable[str] | str) -> frozenset[str]:
    out: set[str] = set()
    for group in groups:
        for phrase in group.split() if isinstance(group, str) else group:
            out.add(key_word(phrase))
    return frozenset(out)


@lru_cache(maxsize=16)
def words_of(text: str) -> frozenset[str]:
    """Return the set of lower-case alphanumeric words of a text (cached for the sentence)."""
    return frozenset(ALNUM.findall(text.lower()))


class Gated:
    """A compiled pattern that runs only when the text holds one of its key words.

    Python's regex engine tries every branch of a long alternation at every position, so a
    set lookup first makes the common case (a sentence with none of the words) cheap; then,
    for ASCII text, the case-sensitive twin on the lower-cased text tells cheaply whether
    the pattern matches at all (most gates that open find nothing).
    """

    __slots__ = ("_folded", "_pattern", "_twin_built", "also", "flags", "keys", "source")

    def __init__(
        self, pattern: str, keys: frozenset[str], also: str = "", flags: int = re.IGNORECASE
    ) -> None:
        self.source = pattern
        self.flags = flags
        self.keys = keys
        self.also = frozenset(also.split())  # when given, one of these words must be there too
        # Compiled on first use: a process that lints one file opens a few of the gates, and
        # compiling all of them (twice, with their twins) was most of `nofault lint`'s start.
        self._pattern: re.Pattern[str] | None = None
        self._folded: re.Pattern[str] | None = None
        self._twin_built = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """Return the compiled pattern (the same object every time)."""
        if self._pattern is None:
            self._pattern = re.compile(self.source, self.flags)
        return self._pattern

    @property
    def folded(self) -> re.Pattern[str] | None:
        """Return the case-sensitive twin for lower-cased ASCII text, or None when it has none."""
        if not self._twin_built:
            self._folded = folded(self.pattern)
            self._twin_built = True
        return self._folded

    def ready(self, words: frozenset[str]) -> bool:
        """Tell whether the words could hold a match."""
        return not self.keys.isdisjoint(words) and not (self.also and self.also.isdisjoint(words))

    def matches(self, text: str, low: str | None) -> Iterator[re.Match[str]]:
        """Yield the pattern's matches in a text, as `pattern.finditer(text)` does.

        Given the text lower-cased (`low`, for ASCII text only), the twin finds where each
        match starts and the pattern is matched there alone: a long alternation then costs
        one try per match instead of one per character.
        """
        if low is None or self.folded is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        for found in self.folded.finditer(low):
            m = match(text, found.start())  # the same match: lookbehinds see before pos
            if m is not None:
                yield m

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        """Yield the matches, or nothing when no key word is in the text."""
        if not self.ready(words_of(text)):
            return iter(())
        return self.matches(text, low)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """Return the first match, or None when no key word is in the text."""
        if not self.ready(words_of(text)):
            return None
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)
