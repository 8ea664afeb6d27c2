"""Kept patterns and pack data: what an earlier run built gives the very same patterns and data."""

from __future__ import annotations

import json
import marshal
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import nofault.core.lint.packs.blame.patterns as blame
from nofault.core.lint.kept import DataStore, PatternStore
from nofault.core.lint.packs.blame.gates import Gated
from nofault.core.lint.packs.loader import SAFE_LOADER
from nofault.core.lint.registry import all_rules

DATA = Path(__file__).resolve().parents[2] / "data"
PACKS = Path(__file__).resolve().parents[3] / "src" / "nofault" / "core" / "lint" / "packs"


def _sources() -> list[tuple[str, int]]:
    """Every blame gate's pattern and twin, and patterns with groups, names and flags."""
    out: list[tuple[str, int]] = []
    for gate in vars(blame).values():
        if isinstance(gate, Gated):
            out.append((gate.source, gate.flags))
            if gate.folded is not None:
                out.append((gate.folded.pattern, gate.folded.flags))
    out += [(r"(?P<who>\w+) (?:broke|deleted) (?P=who)?", re.I), (r"(?x) a \s+ b # c", 0),
            (r"(?<![\w@-])@?(?:maya|bob)(?![\w-])", re.I | re.M), (r"^\s*#{1,6}\s", re.M)]  # fmt: skip
    return out


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in
             (DATA / "blame_corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]  # fmt: skip
    for rule in all_rules():
        texts += [*rule.examples.flag, *rule.examples.pass_]
    more = ["Bob broke Bob", "a  b", "## Timeline", "@Maya restarted it", "ÉMILE a été négligent"]
    return [*texts, *more]


def _fill(path: Path, sources: list[tuple[str, int]]) -> None:
    store = PatternStore(path)
    for source, flags in sources:
        store.compile(source, flags)
    store.save()


def _described(p: re.Pattern[str], texts: list[str]) -> list[Any]:
    return [
        p.pattern,
        p.flags,
        p.groups,
        p.groupindex,
        [[m.regs for m in p.finditer(t)] for t in texts],
    ]


def test_kept_code_gives_the_same_patterns(tmp_path: Path) -> None:
    sources, texts = _sources(), _texts()
    path = tmp_path / "patterns.marshal"
    _fill(path, sources)

    kept = PatternStore(path)

    def refuse(p: Any, flags: int = 0) -> Any:
        raise AssertionError(f"compiled afresh: {p!r}")

    kept.original = refuse  # every pattern must come from the file
    for source, flags in sources:
        assert _described(kept.compile(source, flags), texts) == _described(
            re.compile(source, flags), texts
        ), source


def test_a_pattern_not_kept_is_compiled_and_kept_for_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    _fill(path, [(r"\bnegligen(?:t|ce)\b", re.I)])
    store = PatternStore(path)
    compiled = store.compile(r"\bcareless(?:ly)?\b", re.I)
    assert compiled.search("He was CARELESS.") is not None
    store.save()
    again = PatternStore(path)
    again.original = lambda p, flags=0: pytest.fail(f"compiled afresh: {p!r}")
    assert again.compile(r"\bnegligen(?:t|ce)\b", re.I).search("Negligence") is not None
    assert again.compile(r"\bcareless(?:ly)?\b", re.I).search("carelessly") is not None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data",
        marshal.dumps((("another python", 1), {("a", 0): (0, [1, 2], 0, {}, (None,))})),
        marshal.dumps([1, 2, 3]),
    ],
)
def test_a_file_of_another_build_or_broken_is_ignored_and_replaced(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "patterns.marshal"
    path.write_bytes(content)
    store = PatternStore(path)
    assert store.compile("a", 0).fullmatch("a") is not None
    store.save()
    again = PatternStore(path)
    again.original = lambda p, flags=0: pytest.fail(f"compiled afresh: {p!r}")
    assert again.compile("a", 0).fullmatch("a") is not None


def test_code_that_the_engine_refuses_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    _fill(path, [("ab+c", 0)])
    header, entries = marshal.loads(path.read_bytes())
    flags, code, *rest = entries[("ab+c", 0)]
    entries[("ab+c", 0)] = (flags, [999999, *code[1:]], *rest)  # not an opcode
    path.write_bytes(marshal.dumps((header, entries)))
    assert PatternStore(path).compile("ab+c", 0).findall("abbbc ac") == ["abbbc"]


def test_nofault_lint_gives_the_same_findings_with_kept_patterns(tmp_path: Path) -> None:
    """Two cold runs of `nofault lint --no-cache` (the second reads the kept patterns) agree."""
    source = DATA / "postmortems"
    files = sorted(source.glob("*.md"))[:6]
    assert files
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [Path(sys.executable).with_name("nofault"), "lint", "--no-cache", "--format", "json",
             *map(str, files)],
            capture_output=True, text=True, check=False, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert sum(len(f["findings"]) for f in runs[0]["files"]) > 0


def test_kept_pack_data_is_what_the_yaml_gives(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(PACKS.glob("*/*.yaml"))]
    assert len(texts) >= 5
    store = DataStore(tmp_path / "data.marshal")
    for text in texts:
        assert store.get(text) is None
        store.put(text, yaml.load(text, Loader=SAFE_LOADER))
    store.save()
    again = DataStore(tmp_path / "data.marshal")
    for text in texts:
        data = again.get(text)
        assert data == yaml.load(text, Loader=SAFE_LOADER)
        assert again.get(text) is not data  # a fresh copy each time: callers may change it
    assert again.get(texts[0] + "\n# edited\n") is None


def test_data_marshal_cannot_write_is_not_kept(tmp_path: Path) -> None:
    text = "when: 2024-05-01\n"
    store = DataStore(tmp_path / "data.marshal")
    store.put(text, yaml.load(text, Loader=SAFE_LOADER))  # a date
    store.save()
    assert DataStore(tmp_path / "data.marshal").get(text) is None


def test_a_run_that_compiled_little_afresh_does_not_rewrite_the_file(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    store = PatternStore(path, min_fresh=60.0)  # a minute of compiling: never reached here
    assert store.compile(r"\bslip(?:ped)?\b", re.I).search("it slipped") is not None
    store.save()
    assert not path.exists()
    _fill(path, [(r"\bslip(?:ped)?\b", re.I)])
    assert path.exists()
