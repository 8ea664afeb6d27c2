"""Similar past postmortems: which earlier reviews a draft looks like, and what they left open.

The representation is scikit-learn's TF-IDF over two views of each postmortem: word unigrams
and bigrams over everything it says (title, summary, contributing factors, timeline,
analysis), and character n-grams over its short, dense parts (title, summary, factors) so that
`timeout` meets `timed out` and `certs` meets `certificates`. Known operations synonyms are
folded first (`text.normalise`). The score is a weighted mean of the two cosines.

Why TF-IDF and not a sentence-embedding model: it needs no model download (nothing to fetch at
install or run time, nothing to vendor), it builds over 100,000 postmortems in seconds on one
CPU and answers a query in milliseconds with a sparse product, and every match explains itself:
the terms the draft shares with the past postmortem, weighted, are shown to the author. An
embedding model would match some paraphrases TF-IDF misses, at the price of all three; the
quality benchmark (`benchmarks/similar_quality.py`) measures what TF-IDF gets.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

from nofault.core.insights.records import ActionRecord, FactorRecord, PostmortemRecord
from nofault.core.insights.text import normalise

__all__ = [
    "SimilarPostmortem",
    "SimilarityIndex",
    "document_text",
    "short_text",
    "similar_postmortems",
]

FORMAT = 1
WORD_WEIGHT = 0.6
_NO_DATE = -1


def short_text(record: PostmortemRecord) -> str:
    """The dense parts of a postmortem: title, summary and (twice) contributing factors.

    Factors count twice because they say why it failed; titles mostly name what failed,
    which unrelated failures of the same component share.
    """
    factors = " ".join(f.text for f in record.factors)
    return normalise(f"{record.title}\n{record.summary}\n{factors}\n{factors}")


def document_text(record: PostmortemRecord) -> str:
    """Everything a postmortem says about its failure, its factors counted twice."""
    timeline = "\n".join(record.timeline)
    return f"{short_text(record)}\n{normalise(timeline)}\n{normalise(record.analysis)}"


@dataclass(frozen=True, slots=True)
class SimilarPostmortem:
    """An earlier postmortem like the draft: how alike, the terms they share, what it left open."""

    record: PostmortemRecord
    score: float
    shared_terms: tuple[str, ...]

    @property
    def factors(self) -> tuple[FactorRecord, ...]:
        """Its contributing factors."""
        return self.record.factors

    @property
    def open_actions(self) -> tuple[ActionRecord, ...]:
        """Its action items still open or in progress."""
        return tuple(a for a in self.record.actions if a.is_open)

    def headline(self) -> str:
        """Say it the way the author should hear it: "This looks like INC-123; ..."."""
        open_count = len(self.open_actions)
        total = len(self.record.actions)
        if not total:
            tail = "it has no action items"
        elif open_count == 0:
            tail = f"all {_number(total)} of its actions are closed"
        else:
            verb = "is" if open_count == 1 else "are"
            tail = f"{_number(open_count)} of its actions {verb} still open"
        return f"This looks like {self.record.label}; {tail}."

    def as_dict(self) -> dict[str, object]:
        """Return the match as the JSON output's object."""
        r = self.record
        return {
            "key": r.key,
            "id": r.id,
            "label": r.label,
            "title": r.title,
            "incidents": list(r.incidents),
            "severity": r.severity,
            "services": list(r.services),
            "occurred": r.occurred.isoformat() if r.occurred else None,
            "score": round(self.score, 4),
            "shared_terms": list(self.shared_terms),
            "headline": self.headline(),
            "factors": [{"id": f.id, "text": f.text, "category": f.category} for f in r.factors],
            "actions": [
                {
                    "id": a.id,
                    "text": a.text,
                    "status": a.status,
                    "due": a.due.isoformat() if a.due else None,
                }
                for a in r.actions
            ],
        }


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def _vectorizers(size: int) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # Terms seen once are noise at scale and cost memory; on a small corpus they are signal.
    min_df = 2 if size >= 5_000 else 1
    words = TfidfVectorizer(
        lowercase=False,
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=min_df,
        max_df=0.5 if size >= 50 else 1.0,
        dtype=np.float32,
        token_pattern=r"(?u)\b[^\W\d_][\w-]+\b",
    )
    chars = TfidfVectorizer(
        lowercase=False, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
        min_df=min_df, max_df=0.5 if size >= 50 else 1.0, dtype=np.float32,
    )  # fmt: skip
    return words, chars


class SimilarityIndex:
    """A fitted TF-IDF index over postmortems: build once, query many times, cache as bytes."""

    def __init__(
        self,
        records: Sequence[PostmortemRecord],
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        word_matrix: sp.csr_matrix,
        char_matrix: sp.csr_matrix,
    ) -> None:
        self.records = list(records)
        self.words = words
        self.chars = chars
        # Kept term-major (one row per term): a query touches only the rows of its own terms,
        # so its cost follows how common its terms are, not the size of the corpus' text.
        self.word_terms = sp.csr_matrix(word_matrix.T)
        self.char_terms = sp.csr_matrix(char_matrix.T)
        self._terms = words.get_feature_names_out() if self.records else np.array([])
        self._days = np.array(
            [r.occurred.toordinal() if r.occurred else _NO_DATE for r in self.records],
            dtype=np.int64,
        )
        self._keys = {r.key: i for i, r in enumerate(self.records)}

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def build(cls, records: Sequence[PostmortemRecord]) -> SimilarityIndex:
        """Fit the vectorizers on the postmortems and keep their vectors."""
        words, chars = _vectorizers(len(records))
        if not records:
            empty = sp.csr_matrix((0, 0), dtype=np.float32)
            return cls([], words, chars, empty, empty)
        word_matrix = words.fit_transform([document_text(r) for r in records]).tocsr()
        char_matrix = chars.fit_transform([short_text(r) for r in records]).tocsr()
        return cls(records, words, chars, word_matrix, char_matrix)

    def query(
        self,
        draft: PostmortemRecord,
        *,
        top: int = 5,
        earlier_only: bool = True,
        min_score: float = 0.05,
    ) -> list[SimilarPostmortem]:
        """Return the postmortems most like the draft, best first.

        The draft itself (same key) is never returned. With `earlier_only`, postmortems of
        incidents that happened after the draft's are left out (either date unknown: kept).
        """
        if not self.records:
            return []
        q_words = self.words.transform([document_text(draft)])
        scores = self._scores(q_words, self.chars.transform([short_text(draft)]))
        same = self._keys.get(draft.key)
        if same is not None:
            scores[same] = -1.0
        when = draft.occurred
        if earlier_only and when is not None:
            later = self._days > when.toordinal()
            scores[later] = -1.0
        top = max(0, min(top, len(scores)))
        if top == 0:
            return []
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            SimilarPostmortem(self.records[i], float(scores[i]), self._shared(q_words, int(i)))
            for i in best
            if scores[i] >= min_score
        ]

    def scores(self, draft: PostmortemRecord) -> np.ndarray:
        """Return the similarity of the draft to every indexed postmortem, from 0 to 1."""
        if not self.records:
            return np.zeros(0)
        return self._scores(
            self.words.transform([document_text(draft)]),
            self.chars.transform([short_text(draft)]),
        )

    def _scores(self, q_words: sp.csr_matrix, q_chars: sp.csr_matrix) -> np.ndarray:
        by_words = (q_words @ self.word_terms).toarray().ravel()
        by_chars = (q_chars @ self.char_terms).toarray().ravel()
        return np.asarray(WORD_WEIGHT * by_words + (1 - WORD_WEIGHT) * by_chars, dtype=np.float64)

    def _shared(self, q_words: sp.csr_matrix, index: int, limit: int = 6) -> tuple[str, ...]:
        cols = q_words.indices
        weights = q_words.data * self.word_terms[cols][:, [index]].toarray().ravel()
        chosen: list[str] = []
        for k in np.argsort(-weights, kind="stable"):
            if weights[k] <= 0:
                break
            col = cols[k]
            term = str(self._terms[col])
            # A bigram already says what its words say; keep the list short and readable.
            if any(term in c.split() or c in term.split() for c in chosen):
                continue
            chosen.append(term.replace("_", " "))
            if len(chosen) == limit:
                break
        return tuple(chosen)

    def dumps(self) -> bytes:
        """Serialise the fitted index (pickle: load only bytes this code wrote, e.g. a cache)."""
        payload = {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "records": self.records,
            "words": self.words,
            "chars": self.chars,
            "word_terms": self.word_terms,
            "char_terms": self.char_terms,
        }
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> SimilarityIndex:
        """Read an index written by `dumps`; raise ValueError when it is from another version."""
        # Our own cache, never user input: see `dumps`.
        payload = pickle.loads(data)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError("not a nofault similarity index of this format; rebuild it")
        if payload.get("sklearn") != sklearn.__version__:
            raise ValueError("similarity index built with another scikit-learn; rebuild it")
        return cls(
            payload["records"], payload["words"], payload["chars"],
            payload["word_terms"].T, payload["char_terms"].T,
        )  # fmt: skip


def similar_postmortems(
    draft: PostmortemRecord,
    corpus: Sequence[PostmortemRecord],
    *,
    top: int = 5,
    earlier_only: bool = True,
) -> list[SimilarPostmortem]:
    """Build an index over the corpus and return the postmortems most like the draft."""
    return SimilarityIndex.build(corpus).query(draft, top=top, earlier_only=earlier_only)
