"""A value's own words: the commitments in its description, and the themes closest to it.

A description is cut into clauses (sentences, then semicolons and dashes, then long clauses at
commas), each a commitment the guide can quote. A clause is tied to a theme when it holds one of
the theme's match words. A statement no theme matches gets the themes that share the most word
stems with it, with those stems as the reason, for the facilitator to confirm. Every step scans
the text once, so the time is linear in its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from nofault.core.guide.knowledge import Theme, themes

MIN_WORDS = 3  # a shorter clause ("Be kind.") is the value's name again, not a commitment
LONG_CLAUSE = 16  # a clause longer than this is cut again at its commas
STEM = 5  # letters two words must share to count as the same stem ("learn" ~ "learning")

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "of",
        "on",
        "or",
        "our",
        "ours",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "within",
        "without",
        "you",
        "your",
        "all",
        "any",
        "each",
        "every",
        "more",
        "most",
        "not",
        "no",
        "very",
        "just",
        "also",
        "only",
        "over",
        "under",
        "about",
        "make",
        "made",
        "makes",
        "being",
        "been",
        "one",
        "ones",
    ]
)
# Words every theme's text uses about postmortems: sharing them says nothing about a value.
_GENERIC = frozenset(
    [
        "team",
        "teams",
        "people",
        "work",
        "working",
        "system",
        "systems",
        "incident",
        "incidents",
        "postmortem",
        "postmortems",
        "review",
        "reviews",
        "thing",
        "things",
        "time",
        "always",
        "never",
        "other",
        "others",
        "someone",
        "something",
        "keep",
        "keeps",
        "first",
        "before",
        "after",
        "better",
        "best",
        "good",
        "great",
        "well",
        "take",
        "takes",
        "give",
        "gives",
        "come",
        "comes",
        "like",
        "think",
        "thinking",
        "company",
        "high",
        "highest",
        "stand",
        "stands",
        "principle",
        "principles",
    ]
)


@dataclass(frozen=True, slots=True)
class Commitment:
    """One clause of a description, as written, and the theme its words point to (or None)."""

    text: str
    theme: Theme | None


def _split(text: str, marks: str) -> list[str]:
    parts, start = [], 0
    for i, ch in enumerate(text):
        # A mark ends a clause only before a space or the end ("3.5" and "e.g." stay whole).
        if ch in marks and (i + 1 == len(text) or text[i + 1] == " "):
            parts.append(text[start : i + 1])
            start = i + 1
    parts.append(text[start:])
    return [p.strip(_TRIM) for p in parts if p.strip(_TRIM)]


_TRIM = " .,;:!?—–-\"'“”"
COMMA_PIECE = 6  # comma pieces are joined until they hold this many words ("In our view," alone)


def _at_commas(part: str) -> list[str]:
    out: list[str] = []
    pending = ""
    for piece in _split(part, ","):
        pending = f"{pending}, {piece}" if pending else piece
        if len(pending.split()) >= COMMA_PIECE:
            out.append(pending)
            pending = ""
    if pending:
        if out and len(pending.split()) < MIN_WORDS:
            out[-1] = f"{out[-1]}, {pending}"
        else:
            out.append(pending)
    return out


def clauses(description: str) -> list[str]:
    """Cut a description into its clauses of at least MIN_WORDS words, in order."""
    text = " ".join(description.replace("**", "").replace("*", "").split())
    out: list[str] = []
    for sentence in _split(text, ".!?"):
        for part in _split(sentence.replace(" — ", "; ").replace(" – ", "; "), ";:"):
            pieces = _at_commas(part) if len(part.split()) > LONG_CLAUSE else [part]
            out.extend(p for p in pieces if len(p.split()) >= MIN_WORDS)
    return out


def _norm(text: str) -> str:
    text = text.casefold().replace("\u2019", "'")
    kept = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in text)
    return " " + " ".join(kept.split()) + " "


def clause_theme(clause: str, candidates: list[Theme]) -> Theme | None:
    """The theme among `candidates` whose match words occur most in the clause, or None."""
    text = _norm(clause)
    best, best_hits = None, 0
    for theme in candidates:
        hits = sum(1 for phrase in theme.match if _norm(phrase) in text)
        if hits > best_hits:
            best, best_hits = theme, hits
    return best


_PLEDGE = (" we ", " us ", " our ", " each of us ", " everyone ", " every ", " always ")


def _rank(commitment: Commitment, index: int) -> tuple[int, int, int]:
    # Clauses that point to a theme come first, then those that say what "we" do (a pledge
    # rather than a description of the world), then the description's own order.
    text = _norm(commitment.text)
    pledge = any(p in text for p in _PLEDGE)
    return (commitment.theme is None, not pledge, index)


def commitments(
    description: str, candidates: list[Theme] | None = None, limit: int | None = None
) -> list[Commitment]:
    """The description's clauses with their themes; with `limit`, the best few in text order."""
    pool = candidates if candidates is not None else list(themes().values())
    found = [Commitment(c, clause_theme(c, pool)) for c in clauses(description)]
    if limit is None or len(found) <= limit:
        return found
    best = sorted(range(len(found)), key=lambda i: _rank(found[i], i))[:limit]
    return [found[i] for i in sorted(best)]


def _stems(text: str) -> dict[str, str]:
    """Content words by their first STEM letters (the first word seen keeps the stem)."""
    out: dict[str, str] = {}
    for word in _norm(text).split():
        word = word.strip("'")
        if len(word) >= 4 and word not in _STOP and word not in _GENERIC:
            out.setdefault(word[:STEM], word)
    return out


@dataclass(frozen=True, slots=True)
class Closest:
    """A theme close to a statement no theme matched, and the statement's words it shares."""

    theme: Theme
    words: tuple[str, ...]


def closest_themes(name: str, description: str, limit: int = 2) -> list[Closest]:
    """The themes sharing the most word stems with a statement, best first (ties by order)."""
    mine = _stems(f"{name} {description}")
    scored = []
    for order, theme in enumerate(themes().values()):
        # The theme's own label and match words: its explanation uses common words too freely.
        theirs = _stems(" ".join((theme.label, *theme.match)))
        shared = tuple(mine[s] for s in mine if s in theirs)
        if shared:
            scored.append((-len(shared), order, Closest(theme, shared)))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [c for _, _, c in scored[:limit]]


__all__ = ["Closest", "Commitment", "clause_theme", "clauses", "closest_themes", "commitments"]
