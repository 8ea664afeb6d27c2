"""Large files: the fast paths the linter takes for size read a file exactly as the slow ones do.

The parser collapses runs of plain paragraphs before markdown-it reads them, reads files over
a size through a LineView instead of a list of lines, and the context streams sentences for
long files; each is checked against the plain path here. A 10 MB file also goes through
`nofault lint` end to end (benchmarks/lint_speed.py runs the 50 MB one and prints its memory).
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from nofault.core import markdown as md
from nofault.core.lint import context as lint_context
from nofault.core.lint.engine import lint
from nofault.core.markdown import LineView, parse_text

FRAGMENTS = [
    "Plain text line", "another line of prose", "  indented", "    code", "- item", "  - nested",
    "1. one", "2) two", "> quote", ">", "```", "```console", "~~~", "# Heading", "## Sub",
    "Setext", "===", "---", "***", "| a | b |", "| --- | --- |", "<!-- comment", "end -->",
    "<div>", "</div>", "<script>", "</script>", "[ref]: /url", "x", "Text with | pipe", "a > b",
    "\t- tab item", "\u00a0nbsp", "  ", "", "", "", "text `code", "14% of", "1.5 s later",
    "* star", "+ plus", "_under_", ": colon", "<?php", "?>", "<![CDATA[", "]]>", "<!DOCTYPE",
    "<pre>", "</pre>", "- [ ] task", "   ```", "      ```",
]  # fmt: skip
PROSE = ["Plain words here", "More prose", "", ""]


def _spans(lines: list[str], *, reduce: bool) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:  # fmt: skip
    blocks: list[md.Block] = []
    prose: list[md.ProseSpan] = []
    md._tokenise_chunk(lines, 0, len(lines), blocks, prose, reduce=reduce)
    return (
        [(b.type, b.start, b.end, b.level, list(b.items)) for b in blocks],
        [(p.start, p.end, p.kind, p.in_quote) for p in prose],
    )


@pytest.mark.parametrize("seed", range(4))
def test_plain_paragraph_runs_read_as_markdown_it_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(1500):
        lines = [
            rng.choice(FRAGMENTS) if rng.random() < 0.6 else rng.choice(PROSE)
            for _ in range(rng.randrange(1, 25))
        ]
        assert _spans(lines, reduce=True) == _spans(lines, reduce=False), lines


def test_line_view_reads_as_split_lines() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(["a", "b", "\n", "nofault:", " "]) for _ in range(30))
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        view = LineView(text)
        assert list(view) == lines and len(view) == len(lines)
        assert [view[i] for i in range(-len(lines), len(lines))] == lines[-len(lines) :] + lines
        for a in range(len(lines) + 1):
            assert view[a:] == lines[a:]
            assert view.join(a, len(lines)) == "\n".join(lines[a:])
        assert list(view.find("nofault:")) == [i for i, ln in enumerate(lines) if "nofault:" in ln]


def _postmortems() -> list[str]:
    sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
    try:
        from lint_speed import postmortem
    finally:
        sys.path.pop(0)
    rng = random.Random(9)
    docs = [postmortem(rng, rng.randint(300, 1500)) for _ in range(6)]
    docs.append(
        docs[0]
        + "\n<!-- nofault: disable=BLM301 -->\nAlice should have known.\n\n"
        + "Bob forgot it. <!-- nofault: disable=BLM102 -->\n"
    )
    return docs


def test_large_file_paths_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _postmortems()
    plain = [lint(doc) for doc in docs]
    monkeypatch.setattr(md, "LINE_VIEW_ABOVE_CHARS", 0)
    monkeypatch.setattr(lint_context, "STREAM_SENTENCES_ABOVE_LINES", 0)
    for doc, before in zip(docs, plain, strict=True):
        after = lint(doc)
        assert isinstance(after.parsed.lines, LineView)
        assert after.findings == before.findings
        assert after.score == before.score
        assert after.parsed.postmortem == before.parsed.postmortem
        # Blocks and prose spans kept as columns read back as the objects were.
        assert isinstance(after.parsed.blocks, md.BlockColumns)
        assert isinstance(after.parsed.prose, md.SpanColumns)
        assert list(after.parsed.blocks) == list(before.parsed.blocks)
        assert list(after.parsed.prose) == list(before.parsed.prose)
        assert after.parsed.blocks[1:3] == before.parsed.blocks[1:3]
        assert after.parsed.prose[-1] == before.parsed.prose[-1]
    assert list(parse_text("a\r\nb\rc\n").lines) == ["a", "b", "c"]


def test_blame_hits_let_go_on_a_large_file_are_found_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import date

    from nofault.core.lint.config import LintConfig
    from nofault.core.lint.context import LintContext
    from nofault.core.lint.registry import get_rule

    monkeypatch.setattr(md, "LINE_VIEW_ABOVE_CHARS", 0)
    monkeypatch.setattr(lint_context, "STREAM_SENTENCES_ABOVE_LINES", 0)
    text = "Bob forgot to renew the certificate. In hindsight it was obvious.\n"
    ctx = LintContext(parsed=parse_text(text), config=LintConfig(), today=date(2026, 1, 1))
    assert ctx.sentences.streaming
    rule = get_rule("BLM101")
    assert rule is not None
    first = list(rule.detector(ctx, rule))
    assert first
    assert list(rule.detector(ctx, rule)) == first
    hindsight = get_rule("BLM501")
    assert hindsight is not None
    assert list(hindsight.detector(ctx, hindsight))


def test_nofault_lint_reads_a_10_mb_file(tmp_path: Path) -> None:
    docs = _postmortems()
    head, bodies = docs[0], [d.split("---\n", 2)[2] for d in docs[1:6]]
    text = head
    while len(text) < 10_000_000:
        text += "\n" + "\n".join(bodies)
    path = tmp_path / "big.md"
    path.write_text(text, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [str(Path(sys.executable).with_name("nofault")), "lint", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    assert '"findings"' in out.stdout
    # CPU time, not wall time: a loaded CI machine stretches the one but not the other.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert cpu < 60, f"linting 10 MB took {cpu:.0f} s of CPU"
