"""Recurring themes: contributing factors from many incidents grouped into what keeps coming back.

Each factor's text is folded (`text.normalise`) and turned into TF-IDF vectors (word unigrams
and bigrams, plus character n-grams on sets small enough to afford them); factors are then
grouped by agglomerative clustering on cosine distance, so the number of themes follows from
how alike the factors are rather than being fixed in advance. Above a few thousand factors,
MiniBatchKMeans first gathers them into a few hundred tight groups and the agglomerative step
runs on those groups' centres: same result shape, linear time. A theme's label is the terms
that weigh most in it; its example is the factor nearest its centre.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from nofault.core.insights.records import PostmortemRecord
from nofault.core.insights.terms import read_text
from nofault.core.insights.text import normalise

__all__ = ["Theme", "ThemeMember", "find_themes", "quarter_of"]

# Average-linkage cosine distance under which two groups of factors are one theme.
DISTANCE_THRESHOLD = 0.8
# Above this many factors, cluster in two stages (MiniBatchKMeans, then agglomerative).
DIRECT_LIMIT = 4_000
# Character n-grams cost more than they bring on very large sets.
CHAR_LIMIT = 20_000
# The share of each view in the cosine between two factors: words, characters, concepts.
WORD_WEIGHT, CHAR_WEIGHT, CONCEPT_WEIGHT = 0.45, 0.3, 0.25
_UNKNOWN = "unknown"


def quarter_of(day: date | None) -> str:
    """Return the quarter a day falls in, as `2026-Q1` (or `unknown`)."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if day else _UNKNOWN


@dataclass(frozen=True, slots=True)
class ThemeMember:
    """One contributing factor in a theme, and the postmortem it comes from."""

    postmortem: str
    label: str
    factor: str
    text: str
    category: str | None
    services: tuple[str, ...]
    quarter: str


@dataclass(frozen=True, slots=True)
class Theme:
    """Factors from several incidents that describe the same kind of condition."""

    label: str
    terms: tuple[str, ...]
    example: str
    members: tuple[ThemeMember, ...]

    @property
    def postmortems(self) -> tuple[str, ...]:
        """The postmortems (keys) with a factor in this theme, in first-seen order."""
        return tuple(dict.fromkeys(m.postmortem for m in self.members))

    @property
    def count(self) -> int:
        """How many postmortems this theme appears in."""
        return len(self.postmortems)

    def _per_postmortem(self, values: dict[str, list[str]]) -> dict[str, int]:
        counter: Counter[str] = Counter()
        for _key, names in values.items():
            counter.update(set(names))
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def by_quarter(self) -> dict[str, int]:
        """Postmortems per quarter, oldest quarter first."""
        seen: dict[str, str] = {}
        for m in self.members:
            seen.setdefault(m.postmortem, m.quarter)
        return dict(sorted(Counter(seen.values()).items()))

    @property
    def by_service(self) -> dict[str, int]:
        """Postmortems per service, most first."""
        values: dict[str, list[str]] = {}
        for m in self.members:
            values.setdefault(m.postmortem, list(m.services) or [_UNKNOWN])
        return self._per_postmortem(values)

    @property
    def by_category(self) -> dict[str, int]:
        """Factors per category, most first."""
        counter = Counter(m.category or "uncategorised" for m in self.members)
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    def as_dict(self) -> dict[str, object]:
        """Return the theme as the JSON output's object."""
        return {
            "label": self.label,
            "terms": list(self.terms),
            "example": self.example,
            "postmortems": self.count,
            "factors": len(self.members),
            "by_quarter": self.by_quarter,
            "by_service": self.by_service,
            "by_category": self.by_category,
            "members": [
                {"postmortem": m.postmortem, "label": m.label, "factor": m.factor,
                 "text": m.text, "category": m.category}
                for m in self.members
            ],
        }  # fmt: skip


def _shared_concepts(texts: list[str], limit: int = 3) -> tuple[str, ...]:
    """The concepts named by more than half of a theme's factors, most shared first."""
    counts = Counter(c for t in texts for c in set(read_text(t).concepts))
    common = [c for c, n in counts.most_common() if n * 2 > len(texts)]
    return tuple(common[:limit])


def _concept_matrix(texts: list[str]) -> sp.csr_matrix | None:
    """The incident-vocabulary concepts each factor names (`terms`), as TF-IDF rows.

    Two teams rarely describe one condition in the same words ("ran out of disk", "volume
    full"); the concepts they name meet where the words do not.
    """
    concepts = [["_".join(c.split()) for c in read_text(t).concepts] for t in texts]
    if not any(concepts):
        return None
    vectoriser = TfidfVectorizer(analyzer=lambda names: names, sublinear_tf=True, dtype=np.float32)
    return normalize(vectoriser.fit_transform(concepts))


def _vectors(texts: list[str]) -> tuple[sp.csr_matrix, TfidfVectorizer, sp.csr_matrix]:
    words = TfidfVectorizer(
        lowercase=False, stop_words="english", ngram_range=(1, 2), sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][\w-]+\b", dtype=np.float32,
        min_df=2 if len(texts) >= DIRECT_LIMIT else 1,
    )  # fmt: skip
    word_matrix = words.fit_transform(texts).tocsr()
    if len(texts) > CHAR_LIMIT:
        return word_matrix, words, word_matrix
    chars = TfidfVectorizer(
        lowercase=False,
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        dtype=np.float32,
    )
    char_matrix = chars.fit_transform(texts)
    views = [word_matrix * np.sqrt(WORD_WEIGHT), char_matrix * np.sqrt(CHAR_WEIGHT)]
    concept_matrix = _concept_matrix(texts)
    if concept_matrix is not None:
        views.append(concept_matrix * np.sqrt(CONCEPT_WEIGHT))
    return normalize(sp.hstack(views).tocsr()), words, word_matrix


def _agglomerate(points: np.ndarray, threshold: float) -> np.ndarray:
    if len(points) < 2:
        return np.zeros(len(points), dtype=np.int64)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return np.asarray(model.fit_predict(points), dtype=np.int64)


def _cluster(matrix: sp.csr_matrix, threshold: float, seed: int) -> np.ndarray:
    n = matrix.shape[0]
    if n <= DIRECT_LIMIT:
        return _agglomerate(matrix.toarray(), threshold)
    groups = min(max(n // 20, 50), 1_000)
    kmeans = MiniBatchKMeans(n_clusters=groups, random_state=seed, batch_size=4_096, n_init=1)
    first = kmeans.fit_predict(matrix)
    second = _agglomerate(np.asarray(kmeans.cluster_centers_), threshold)
    return second[first]


# Auxiliaries and their contractions the vectoriser's English list lacks: filler in a label
# ("traffic · does · production").
_FILLER = frozenset(
    [
        "does",
        "did",
        "doing",
        "done",
        "doesn",
        "didn",
        "don",
        "isn",
        "wasn",
        "weren",
        "aren",
        "hasn",
        "haven",
        "hadn",
        "won",
        "wouldn",
        "shouldn",
        "couldn",
        "can",
        "cannot",
        "got",
        "gets",
        "getting",
        "having",
    ]
)


def _terms(vocabulary: np.ndarray, weights: np.ndarray, limit: int = 3) -> tuple[str, ...]:
    chosen: list[str] = []
    for col in np.argsort(-weights, kind="stable"):
        if weights[col] <= 0:
            break
        term = str(vocabulary[col]).replace("_", " ")
        if any(word in _FILLER for word in term.split()):
            continue
        if any(term in c.split() or c in term.split() or term == c for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def find_themes(
    records: Sequence[PostmortemRecord],
    *,
    min_postmortems: int = 2,
    threshold: float = DISTANCE_THRESHOLD,
    seed: int = 0,
) -> list[Theme]:
    """Group every contributing factor into themes; keep those in `min_postmortems` or more.

    Themes come back most frequent first (ties: label order), so the head of the list is what
    keeps coming back.
    """
    members: list[ThemeMember] = []
    texts: list[str] = []
    for r in records:
        quarter = quarter_of(r.occurred)
        for f in r.factors:
            if not f.text.strip():
                continue
            members.append(
                ThemeMember(r.key, r.label, f.id, f.text, f.category, r.services, quarter)
            )
            texts.append(normalise(f.text))
    if not members:
        return []
    matrix, words, word_matrix = _vectors(texts)
    labels = _cluster(matrix, threshold, seed)
    vocabulary = words.get_feature_names_out()
    themes: list[Theme] = []
    for cluster in np.unique(labels):
        rows = np.flatnonzero(labels == cluster)
        inside = tuple(members[i] for i in rows)
        if len({m.postmortem for m in inside}) < min_postmortems:
            continue
        # Terms most members share label the theme; their weight breaks ties.
        inside_words = word_matrix[rows]
        presence = np.asarray((inside_words > 0).mean(axis=0)).ravel()
        centre = np.asarray(inside_words.mean(axis=0)).ravel()
        top = centre.max() or 1.0
        # The concepts most members name, then the words they share most, label the theme.
        concepts = _shared_concepts([texts[i] for i in rows], limit=2)
        words_shared = _terms(vocabulary, presence + 0.25 * centre / top)
        terms = (*concepts, *(w for w in words_shared if w not in concepts))[:3]
        closeness = np.asarray(matrix[rows] @ np.asarray(matrix[rows].mean(axis=0)).ravel())
        example = members[rows[int(np.argmax(closeness))]].text
        themes.append(Theme(" · ".join(terms) or example[:60], terms, example, inside))
    themes.sort(key=lambda t: (-t.count, t.label))
    return themes
