"""Linting stays linear in its input: pathological texts of 100 KB lint in well under a second.

Each near-miss below is built against one pattern's weak spot (an opener that never closes,
a scan that could run to the end of the paragraph from every starting point). A pattern that
backtracks turns such a text quadratic or worse: `[a](` repeated over 120 KB took a minute.
Times are the calling thread's CPU time (not wall time, and not the process's: a server or
worker thread another test left running would count), best of a few runs, so load elsewhere
on the machine does not fail the test; the bounds leave slack over the measured figures (about
0.05 s per 100 KB for most texts; one line of markup repeated, such as `[` on 51,200 lines,
is one paragraph that markdown-it-py scans line by line: 0.6-0.9 s, linear, on this machine).
"""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofault.core.lint.engine import lint

NEAR_MISSES = {
    "link target never closed": "[a](",
    "link target with spaces": "](a ",
    "link title never closed": '](a "x',
    "comment never closed": "<!-- a ",
    "comment over lines": "<!--\nword ",
    "autolink never closed": "<http:",
    "mail autolink never closed": "<mailto:a",
    "tag never closed": "<a ",
    "emphasis stars": "*",
    "emphasis underscores": "_a",
    "backticks": "`",
    "backtick runs of two lengths": "`` a ` ",
    "bare url with parentheses": "http://a(",
    "strike markers": "~",
    "quotes after full stops": '."',
    "breaks over lines": "!\n",
    "abbreviations": "e.g. ",
    "table pipes": "|",
    "every markup at once": "[*_`<!-- ](<http:",
}

_runs = itertools.count()


def _document(unit: str, size: int) -> str:
    # A new first line each time: the linter keeps a few results per text, and a run that
    # met one of them would measure the cache.
    return f"# Outage {next(_runs)}\n\n## Summary\n\nThe deploy " + unit * (size // len(unit))


def _best_time(unit: str, size: int, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        text = _document(unit, size)
        started = time.thread_time()
        lint(text)
        best = min(best, time.thread_time() - started)
    return best


@pytest.mark.parametrize("unit", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_miss_lints_in_linear_time(unit: str) -> None:
    times = [_best_time(unit, kb * 1024) for kb in (50, 100, 200)]
    assert times[1] < 1.0, f"100 KB took {times[1]:.2f} s"
    # Doubling the input may double the time; allow three times for noise, plus a floor
    # under which timer and allocator jitter dominate.
    for smaller, larger in itertools.pairwise(times):
        assert larger < 3 * smaller + 0.05, f"time grew faster than linear: {times}"


MARKUP = st.sampled_from(
    ["[", "]", "(", ")", "<", ">", "!--", "--", "`", "``", "*", "**", "_", "~~", '"', " ",
     "\n", "http:", "https://", "mailto:", "a", "word", ".", "|", "#", "-", ">", "\\"]
)  # fmt: skip


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(unit=st.lists(MARKUP, min_size=1, max_size=8).map("".join))
def test_any_repeated_markup_lints_100kb_within_two_seconds(unit: str) -> None:
    assert _best_time(unit, 100 * 1024, runs=2) < 2.0
