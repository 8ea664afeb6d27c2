"""Similar past postmortems: which earlier reviews a draft looks like, and what they left open.

Each postmortem has the operations synonyms of `text.normalise` folded, then is read twice
(`terms.read_text`): as word stems and as the concepts of the incident-vocabulary lexicon.
Each reading becomes a TF-IDF vector (sublinear term frequency, smoothed inverse document
frequency, unit length), and the score of a past postmortem is the weighted mean of the two
cosines: words count 1, concepts `CONCEPT_WEIGHT`. Everything it says is read (title,
summary, contributing factors, timeline, analysis).

What was measured (`benchmarks/similar_quality.py`, a set of real incidents each told by
several organisations, split by organisation): concepts lift recall at 5 the most, because
organisations name the same failure in their own words; BM25 instead of TF-IDF, a character
n-gram view, and expansions learnt from the indexed corpus itself (LSA, PMI between words and
concepts, pseudo-relevance feedback) did not add to it on the development organisations, so
they are left out. A sentence-embedding model would need weights fetched at install or run
time, which nofault does not do.

A match says why: the concepts and words the draft shares with it, weighted by how much each
added to the score, never a word every postmortem uses ("team", "time", "saw"). A match is
`likely` only above `LIKELY_SCORE`, the score above which most matches on the benchmark's
development organisations were of the same failure; below it the author is told it may be
related, not that it looks like the draft.

The index needs numpy alone, not scipy or scikit-learn, so a cached index answers quickly in a
new process; it keeps its weights term-major, so a query touches only its own terms' rows,
and it unpickles a cached record only when it is a match.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from nofault.__about__ import __version__
from nofault.core.insights.records import ActionRecord, FactorRecord, PostmortemRecord
from nofault.core.insights.terms import (
    Reading,
    filler,
    lexicon_version,
    read_text,
    word_concepts,
)
from nofault.core.insights.text import normalise

__all__ = [
    "CONCEPT_WEIGHT",
    "LIKELY_SCORE",
    "SimilarPostmortem",
    "SimilarityIndex",
    "postmortem_text",
    "similar_postmortems",
]

FORMAT = 2
CONCEPT_WEIGHT = 0.75
# Measured on the development organisations of benchmarks/similar_quality.py: see its output.
LIKELY_SCORE = 0.40
_NO_DATE = -1


def postmortem_text(record: PostmortemRecord) -> str:
    """Everything a postmortem says about its failure, as one text."""
    factors = "\n".join(f.text for f in record.factors)
    timeline = "\n".join(record.timeline)
    return f"{record.title}\n{record.summary}\n{factors}\n{timeline}\n{record.analysis}"


@dataclass(frozen=True, slots=True)
class SimilarPostmortem:
    """An earlier postmortem like the draft: how alike, why, and what it left open."""

    record: PostmortemRecord
    score: float
    shared_terms: tuple[str, ...]
    likely: bool = False

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
        if self.likely:
            return f"This looks like {self.record.label}; {tail}."
        return f"This may be related to {self.record.label}; {tail}."

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
            "likely": self.likely,
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


class _View:
    """One reading of the corpus as TF-IDF: its vocabulary, idf and term-major weights.

    The weights are kept as three numpy arrays in compressed sparse row layout, one row per
    term and one column per postmortem (`indptr`, `indices`, `data`), so a cached index is
    queried with numpy alone: a query adds up the rows of its own terms.
    """

    __slots__ = ("_terms", "count", "data", "idf", "indices", "indptr", "vocabulary")

    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: np.ndarray,
        arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
        count: int,
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.indptr, self.indices, self.data = arrays
        self.count = count
        self._terms: list[str] | None = None

    @classmethod
    def fit(cls, documents: Sequence[Sequence[str]], *, min_df: int) -> _View:
        """Weigh the documents' terms; terms in fewer than `min_df` documents are left out."""
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        kept = sorted(t for t, n in df.items() if n >= min_df)
        vocabulary = {t: i for i, t in enumerate(kept)}
        count = len(documents)
        # Smoothed idf, as if one more document held every term: no term weighs zero.
        idf = np.array([math.log((1 + count) / (1 + df[t])) + 1 for t in kept], dtype=np.float32)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for col, doc in enumerate(documents):
            weights = cls._weights(doc, vocabulary, idf)
            rows.extend(weights)
            cols.extend([col] * len(weights))
            vals.extend(weights.values())
        terms = np.array(rows, dtype=np.int64)
        order = np.argsort(terms, kind="stable")  # columns stay ascending within each row
        indptr = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(kept)), out=indptr[1:])
        arrays = (
            indptr,
            np.array(cols, dtype=np.int32)[order],
            np.array(vals, dtype=np.float32)[order],
        )
        return cls(vocabulary, idf, arrays, count)

    @staticmethod
    def _weights(
        doc: Iterable[str], vocabulary: dict[str, int], idf: np.ndarray
    ) -> dict[int, float]:
        counts = Counter(vocabulary[t] for t in doc if t in vocabulary)
        weights = {j: (1 + math.log(n)) * float(idf[j]) for j, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {j: w / norm for j, w in weights.items()}

    def vector(self, doc: Iterable[str]) -> dict[int, float]:
        """The unit TF-IDF weights of a text's terms that the corpus knows."""
        return self._weights(doc, self.vocabulary, self.idf)

    def cosines(self, vector: dict[int, float]) -> np.ndarray:
        """The cosine of the vector with every postmortem."""
        if not vector:
            return np.zeros(self.count, dtype=np.float32)
        terms = np.fromiter(vector, dtype=np.int64, count=len(vector))
        starts, ends = self.indptr[terms], self.indptr[terms + 1]
        columns = np.concatenate([self.indices[a:b] for a, b in zip(starts, ends, strict=True)])
        weights = np.concatenate([self.data[a:b] for a, b in zip(starts, ends, strict=True)])
        weights *= np.repeat(np.fromiter(vector.values(), np.float32, len(vector)), ends - starts)
        return np.bincount(columns, weights=weights, minlength=self.count).astype(np.float32)

    def contributions(self, vector: dict[int, float], column: int) -> dict[str, float]:
        """How much each of the vector's terms adds to its cosine with one postmortem."""
        if self._terms is None:
            self._terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        found: dict[str, float] = {}
        for j, w in vector.items():
            row = self.indices[self.indptr[j] : self.indptr[j + 1]]
            at = int(np.searchsorted(row, column))
            if at < len(row) and row[at] == column:
                found[self._terms[j]] = w * float(self.data[self.indptr[j] + at])
        return found

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The weights as (indptr, indices, data): rows are terms, columns postmortems."""
        return self.indptr, self.indices, self.data


class _Records(Sequence[PostmortemRecord]):
    """The indexed records, each unpickled the first time it is read.

    A cached index over 10,000 postmortems is loaded for a handful of matches: unpickling
    every record would cost more than the whole query.
    """

    def __init__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs
        self._read: dict[int, PostmortemRecord] = {}

    def __len__(self) -> int:
        return len(self._blobs)

    @overload
    def __getitem__(self, index: int) -> PostmortemRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[PostmortemRecord]: ...
    def __getitem__(self, index: int | slice) -> PostmortemRecord | list[PostmortemRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        record = self._read.get(index)
        if record is None:
            # Bytes `SimilarityIndex.dumps` wrote: the same trust as the index itself.
            record = self._read[index] = pickle.loads(self._blobs[index])
        return record


def _reading(record: PostmortemRecord) -> Reading:
    # The operations synonyms the themes fold too (`text.normalise`: cert -> certificate,
    # haproxy -> load balancer) make the word view agree where the wordings differ.
    return read_text(normalise(postmortem_text(record)))


class SimilarityIndex:
    """A fitted index over postmortems: build once, query many times, cache as bytes."""

    def __init__(
        self,
        records: Sequence[PostmortemRecord],
        words: _View,
        concepts: _View,
        *,
        keys: Sequence[str] | None = None,
        days: np.ndarray | None = None,
    ) -> None:
        self.records = records if isinstance(records, _Records) else list(records)
        self.words = words
        self.concepts = concepts
        if days is None:
            days = np.array(
                [r.occurred.toordinal() if r.occurred else _NO_DATE for r in self.records],
                dtype=np.int64,
            )
        self._days = days
        self._key_list = list(keys) if keys is not None else [r.key for r in self.records]
        self._keys = {k: i for i, k in enumerate(self._key_list)}

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, key: object) -> bool:
        """Tell whether a postmortem with this key is indexed."""
        return key in self._keys

    @classmethod
    def build(cls, records: Sequence[PostmortemRecord]) -> SimilarityIndex:
        """Read the postmortems and weigh their words and concepts."""
        readings = [_reading(r) for r in records]
        # Words seen once are noise at scale and cost memory; on a small corpus they are signal.
        min_df = 2 if len(records) >= 5_000 else 1
        words = _View.fit([r.words for r in readings], min_df=min_df)
        concepts = _View.fit([r.concepts for r in readings], min_df=1)
        return cls(records, words, concepts)

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
        reading = _reading(draft)
        q_words = self.words.vector(reading.words)
        q_concepts = self.concepts.vector(reading.concepts)
        scores = self._scores(q_words, q_concepts)
        same = self._keys.get(draft.key)
        if same is not None:
            scores[same] = -1.0
        when = draft.occurred
        if earlier_only and when is not None:
            scores[self._days > when.toordinal()] = -1.0
        top = max(0, min(top, len(scores)))
        if top == 0:
            return []
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            SimilarPostmortem(
                self.records[i],
                float(scores[i]),
                self._shared(reading, q_words, q_concepts, int(i)),
                likely=bool(scores[i] >= LIKELY_SCORE),
            )
            for i in best
            if scores[i] >= min_score
        ]

    def scores(self, draft: PostmortemRecord) -> np.ndarray:
        """Return the similarity of the draft to every indexed postmortem, from 0 to 1."""
        if not self.records:
            return np.zeros(0)
        reading = _reading(draft)
        return self._scores(self.words.vector(reading.words),
                            self.concepts.vector(reading.concepts))  # fmt: skip

    def _scores(self, q_words: dict[int, float], q_concepts: dict[int, float]) -> np.ndarray:
        by_words = self.words.cosines(q_words)
        by_concepts = self.concepts.cosines(q_concepts)
        mixed = (by_words + CONCEPT_WEIGHT * by_concepts) / (1 + CONCEPT_WEIGHT)
        return np.asarray(mixed, dtype=np.float64)

    def _shared(
        self,
        reading: Reading,
        q_words: dict[int, float],
        q_concepts: dict[int, float],
        index: int,
        limit: int = 6,
    ) -> tuple[str, ...]:
        """The concepts and words the draft shares with one postmortem, most telling first."""
        weighed: list[tuple[float, str, frozenset[str]]] = [
            (CONCEPT_WEIGHT * w, name, frozenset())
            for name, w in self.concepts.contributions(q_concepts, index).items()
        ]
        concepts = {name for _, name, _ in weighed}
        weighed += [
            (w, reading.surfaces.get(stem, stem), word_concepts(stem))
            for stem, w in self.words.contributions(q_words, index).items()
            if not filler(stem)
        ]
        chosen: list[str] = []
        for _, term, names in sorted(weighed, key=lambda p: (-p[0], p[1])):
            # A word a shared concept already says ("expired" beside expiry) adds nothing.
            if names & concepts or any(
                term == c or term in c.split() or c in term.split() for c in chosen
            ):
                continue
            chosen.append(term)
            if len(chosen) == limit:
                break
        return tuple(chosen)

    def dumps(self) -> bytes:
        """Serialise the index (pickle: load only bytes this code wrote, e.g. a cache)."""
        records = self.records
        blobs = (
            records._blobs
            if isinstance(records, _Records)
            else [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in records]
        )
        payload = {
            "format": FORMAT,
            "version": __version__,
            "lexicon": lexicon_version(),
            "records": blobs,
            "keys": self._key_list,
            "days": self._days,
            "words": (self.words.vocabulary, self.words.idf, self.words.arrays()),
            "concepts": (self.concepts.vocabulary, self.concepts.idf, self.concepts.arrays()),
        }
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> SimilarityIndex:
        """Read an index written by `dumps`; raise ValueError when it is from another version."""
        # Our own cache, never user input: see `dumps`.
        try:
            payload = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError) as exc:
            raise ValueError("not a readable nofault similarity index; rebuild it") from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError("not a nofault similarity index of this format; rebuild it")
        if payload.get("version") != __version__ or payload.get("lexicon") != lexicon_version():
            raise ValueError("similarity index built by another nofault version; rebuild it")
        count = len(payload["keys"])
        words, concepts = (
            _View(vocabulary, idf, arrays, count)
            for vocabulary, idf, arrays in (payload["words"], payload["concepts"])
        )
        return cls(
            _Records(payload["records"]),
            words,
            concepts,
            keys=payload["keys"],
            days=payload["days"],
        )


def similar_postmortems(
    draft: PostmortemRecord,
    corpus: Sequence[PostmortemRecord],
    *,
    top: int = 5,
    earlier_only: bool = True,
) -> list[SimilarPostmortem]:
    """Build an index over the corpus and return the postmortems most like the draft."""
    return SimilarityIndex.build(corpus).query(draft, top=top, earlier_only=earlier_only)
