"""tests/data/blame_own.jsonl is whole, labelled by docs/blame-labelling.md and new beside ../shared.

The corpus is nofault's own writing: each row is modelled on a public source's construction.
These tests check its integrity only (keys, allowed values, duplicates, size, spread of sources
and no sentence or source taken over from the shared corpus); the blame benchmark measures the
rules on it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[2] / "data"
CORPUS = DATA / "blame_own.jsonl"
NOTE = DATA / "blame_own.md"

KEYS = {"text", "blameful", "category", "reason", "modelled_on", "genre"}
CATEGORIES = {"person-blame", "human-error", "counterfactual", "judgemental", "hindsight"}
GENRES = {
    "postmortem",
    "status-page",
    "issue-tracker",
    "mailing-list",
    "news",
    "official-report",
    "company-statement",
    "forum",
    "guide",
    "book",
}


def _shared_corpus() -> Path:
    """The shared corpus folder beside the repository (or under $NOFAULT_SHARED, or /work/shared)."""
    repo = Path(__file__).resolve().parents[3]
    candidates = [os.environ.get("NOFAULT_SHARED"), repo.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "corpus" / "blame-real").is_dir():
            return Path(candidate) / "corpus"
    raise RuntimeError("shared corpus not found: set NOFAULT_SHARED to the shared folder")


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


ROWS = _rows(CORPUS)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_every_line_is_a_json_object_with_the_shared_keys() -> None:
    with CORPUS.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            assert line.strip(), f"line {number} is blank"
            row = json.loads(line)
            assert isinstance(row, dict), f"line {number} is not an object"
            assert set(row) == KEYS, f"line {number} has keys {sorted(row)}"


def test_values_are_allowed_and_labels_agree_with_categories() -> None:
    for number, row in enumerate(ROWS, start=1):
        where = f"line {number}: {row['text'][:60]!r}"
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", where
        assert "\n" not in row["text"], where
        assert isinstance(row["blameful"], bool), where
        assert row["genre"] in GENRES, where
        assert isinstance(row["reason"], str) and row["reason"].strip(), where
        assert row["modelled_on"].startswith(("https://", "http://")), where
        if row["blameful"]:
            assert row["category"] in CATEGORIES, where
        else:
            assert row["category"] == "none", where


def test_no_text_appears_twice() -> None:
    counts = Counter(_normal(row["text"]) for row in ROWS)
    repeated = [text for text, count in counts.items() if count > 1]
    assert not repeated, repeated[:5]


def test_no_text_is_taken_from_the_shared_corpus() -> None:
    shared = {
        _normal(row["text"])
        for path in sorted(_shared_corpus().rglob("*.jsonl"))
        for row in _rows(path)
        if "text" in row
    }
    assert len(shared) > 1000
    taken = [row["text"] for row in ROWS if _normal(row["text"]) in shared]
    assert not taken, taken[:5]


def test_sources_are_new_beside_the_shared_corpus() -> None:
    shared_sources = {
        row["modelled_on"]
        for path in sorted((_shared_corpus() / "blame-real").glob("*.jsonl"))
        for row in _rows(path)
    }
    reused = sorted({row["modelled_on"] for row in ROWS} & shared_sources)
    assert not reused, reused[:5]


def test_size_sources_and_balance() -> None:
    assert len(ROWS) >= 1000
    assert len({row["modelled_on"] for row in ROWS}) >= 150
    blameful = sum(row["blameful"] for row in ROWS) / len(ROWS)
    assert 0.35 <= blameful <= 0.55, blameful
    categories = Counter(row["category"] for row in ROWS)
    thin = {category: categories[category] for category in CATEGORIES if categories[category] < 20}
    assert not thin, thin


def test_the_note_lists_every_source() -> None:
    note = NOTE.read_text(encoding="utf-8")
    missing = sorted({row["modelled_on"] for row in ROWS if row["modelled_on"] not in note})
    assert not missing, missing[:5]
