"""The similarity index of a folder is kept on disk and rebuilt exactly when the folder changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nofault.core.insights.corpus import load_folder
from nofault.core.insights.index_cache import default_cache_dir, similarity_index_for_folder

PAIRS = Path(__file__).parents[2] / "data" / "similar_pairs" / "postmortems"
NAMES = ("001-cert-expiry-a.md", "001-cert-expiry-b.md", "002-dns-outage-a.md")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in NAMES:
        shutil.copy(PAIRS / name, corpus / name)
    return corpus


def _index(folder: Path, cache: Path, **kwargs: bool) -> tuple[list[str], bool]:
    index, cached = similarity_index_for_folder(folder, cache_dir=cache, **kwargs)
    return sorted(r.key for r in index.records), cached


def test_the_second_run_reads_the_cache_and_answers_alike(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = (similarity_index_for_folder(folder, cache_dir=cache) for _ in range(2))
    assert (first[1], second[1]) == (False, True)
    draft = load_folder(folder)[0]
    assert [(m.record.key, round(m.score, 6)) for m in second[0].query(draft)] == [
        (m.record.key, round(m.score, 6)) for m in first[0].query(draft)
    ]


def test_an_edited_added_or_removed_postmortem_rebuilds_it(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _index(folder, cache)
    edited = folder / NAMES[1]
    edited.write_text(edited.read_text() + "\nOne more sentence.\n")
    assert _index(folder, cache)[1] is False
    (folder / "sub").mkdir()
    shutil.copy(PAIRS / "003-db-pool-a.md", folder / "sub" / "x.md")
    keys, cached = _index(folder, cache)
    assert not cached and "sub/x.md" in keys
    (folder / NAMES[0]).unlink()
    keys, cached = _index(folder, cache)
    assert not cached and NAMES[0] not in keys


def test_files_the_corpus_does_not_read_leave_the_cache_valid(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _index(folder, cache)
    (folder / "README.md").write_text("# About these postmortems\n")
    (folder / "notes.txt").write_text("not Markdown\n")
    for hidden in (".git", "node_modules"):
        (folder / hidden).mkdir()
        shutil.copy(PAIRS / "003-db-pool-a.md", folder / hidden / "y.md")
    assert _index(folder, cache) == (sorted(NAMES), True)


def test_no_cache_neither_reads_nor_writes(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _index(folder, cache, use_cache=False) == (sorted(NAMES), False)
    assert not cache.exists()


def test_a_damaged_cache_file_is_rebuilt_over(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _index(folder, cache)
    (stored,) = cache.iterdir()
    data = stored.read_bytes()
    stored.write_bytes(data[:64] + b"not a pickle")
    assert _index(folder, cache) == (sorted(NAMES), False)
    assert _index(folder, cache) == (sorted(NAMES), True)


def test_an_unwritable_cache_folder_still_answers(folder: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert _index(folder, blocked) == (sorted(NAMES), False)


def test_the_cache_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NOFAULT_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("NOFAULT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "nofault"
