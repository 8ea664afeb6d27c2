"""How fairly nofault reads and scores real postmortems written in other teams' layouts.

Measured over the shared folder of real public postmortems (`corpus/real-postmortems/` under
$NOFAULT_SHARED, the folder beside the repository, or /work/shared; never copied into the
repository). Its SOURCES.md gives, for each file, a depth rating (shallow, adequate, deep)
assigned by a reader before any tool scored it, and the number of contributing factors,
action items and timeline events the document states.

Each file is linted with the default configuration and a fixed `today`. Printed:

- the Spearman rank correlation between the depth score and the rating (0, 1, 2);
- structural false alarms per document: findings that say something is missing or
  malformed when the document has it in another shape (see `false_alarms`);
- factors, actions and timeline events read against the counts SOURCES.md gives.

The files are split by organisation (the repository owner in SOURCES.md): every third
organisation in alphabetical order, starting with the third, is held out. The readers were
developed on the other organisations' files; the held-out figures are printed apart.
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import LintResult, lint
from nofault.core.markdown import not_postmortem_reason

TODAY = date(2026, 6, 1)
RATINGS = {"shallow": 0, "adequate": 1, "deep": 2}


def shared_folder() -> Path:
    """Return the shared corpus folder ($NOFAULT_SHARED, beside the repository, /work/shared)."""
    repo = Path(__file__).resolve().parents[1]
    for candidate in (os.environ.get("NOFAULT_SHARED"), repo.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "corpus" / "real-postmortems").is_dir():
            return Path(candidate) / "corpus" / "real-postmortems"
    raise SystemExit("real postmortems not found: set NOFAULT_SHARED to the shared folder")


@dataclass(frozen=True)
class Expected:
    """One row of SOURCES.md: the file, its organisation, rating and stated counts."""

    name: str
    organisation: str
    rating: str
    factors: int | None
    actions: int | None
    timeline: int | None


def _count(cell: str) -> int | None:
    """Read "~8", "1 + 10 (+5 sub)", "n/a …" as the first number in the cell (None for n/a)."""
    if cell.strip().startswith("n/a"):
        return None
    m = re.search(r"\d+", cell)
    return int(m.group()) if m else None


def read_sources(folder: Path) -> list[Expected]:
    """Read the table of files in SOURCES.md."""
    rows = []
    for line in (folder / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rating = re.search(r"\*\*(shallow|adequate|deep)\b", cells[5])
        if len(cells) < 9 or rating is None:
            continue
        rows.append(
            Expected(
                name=cells[0].strip("`"),
                organisation=cells[1].split("/")[0].strip(),
                rating=rating.group(1),
                factors=_count(cells[6]),
                actions=_count(cells[7]),
                timeline=_count(cells[8]),
            )
        )
    return rows


def held_out(organisations: set[str]) -> set[str]:
    """Return the held-out organisations: every third in alphabetical order, from the third."""
    ordered = sorted(organisations, key=str.lower)
    return {org for index, org in enumerate(ordered) if index % 3 == 2}


_SECTION_COUNT = {
    "timeline": "timeline",
    "contributing factors": "factors",
    "action items": "actions",
}


def false_alarms(result: LintResult, expected: Expected) -> list[str]:
    """Return the structural findings that the document's stated content contradicts.

    A finding is a false alarm when it says a section is missing (STR004) or that there is no
    factor, or only one (DEP101), while SOURCES.md counts that content in the document; and
    every finding that calls the document's structure malformed (a repeated section, an
    unknown value, an unreadable date, a repeated id, a reference to no factor), since these
    documents follow their own layouts and none of them is malformed as a postmortem.
    STR011, which says which required section no heading was read as and which headings were
    not read, claims nothing missing; it is counted apart (`notes`).
    """
    counts = {"timeline": expected.timeline, "factors": expected.factors,
              "actions": expected.actions}  # fmt: skip
    alarms = []
    for finding in result.findings:
        if finding.code == "STR004":
            m = re.search(r"'## ([^']+)'", finding.message)
            what = _SECTION_COUNT.get(m.group(1).lower()) if m else None
            if what and (counts[what] or 0) > 0:
                alarms.append(f"{finding.code} {m.group(1) if m else ''}")
        elif finding.code == "DEP101" and (expected.factors or 0) >= 2:
            alarms.append(f"{finding.code} ({expected.factors} factors stated)")
        elif finding.code in ("STR003", "STR005", "STR006", "STR008", "STR009"):
            alarms.append(finding.code)
    return alarms


def spearman(xs: list[float], ys: list[float]) -> float:
    """Return Spearman's rank correlation, ties taking their average rank."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        start = 0
        while start < len(order):
            stop = start
            while stop + 1 < len(order) and values[order[stop + 1]] == values[order[start]]:
                stop += 1
            for position in range(start, stop + 1):
                out[order[position]] = (start + stop) / 2 + 1
            start = stop + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else 0.0


@dataclass(frozen=True)
class Measured:
    """What nofault made of one file."""

    expected: Expected
    score: int
    alarms: list[str]
    notes: int  # STR011: a required section no heading was read as, with the headings not read
    factors: int
    actions: int
    timeline: int
    unread: str  # why the file was not read as a postmortem (empty when it was)


def measure(folder: Path, rows: list[Expected]) -> list[Measured]:
    """Lint every file and collect its score, false alarms and counts read."""
    config = LintConfig()
    out = []
    for row in rows:
        result = lint((folder / row.name).read_bytes(), path=row.name, config=config, today=TODAY)
        pm = result.parsed.postmortem if result.parsed else None
        out.append(
            Measured(
                expected=row,
                score=result.score.score if result.score else 0,
                alarms=false_alarms(result, row),
                notes=sum(1 for f in result.findings if f.code == "STR011"),
                factors=len(pm.contributing_factors) if pm else 0,
                actions=len(pm.action_items) if pm else 0,
                timeline=len(pm.timeline) if pm else 0,
                unread=not_postmortem_reason(result.parsed) if result.parsed else "not text",
            )
        )
    return out


def _summary(label: str, part: list[Measured]) -> None:
    rho = spearman([m.score for m in part], [RATINGS[m.expected.rating] for m in part])
    alarms = sum(len(m.alarms) for m in part)
    print(f"  {label}: {len(part)} postmortems")
    print(f"    Spearman rank correlation, depth score vs rating: {rho:.2f}  (target >= 0.7)")
    print(
        f"    structural false alarms per document: {alarms / len(part):.2f}  "
        f"({alarms} in all; target < 0.2)"
    )
    notes = sum(m.notes for m in part)
    print(
        f"    layout notes (STR011: no heading read as a required section, the unread ones "
        f"named) per document: {notes / len(part):.2f}"
    )
    for rating in RATINGS:
        scores = sorted(m.score for m in part if m.expected.rating == rating)
        if scores:
            print(f"    {rating:>8} scores: {scores}")
    for what in ("factors", "actions", "timeline"):
        pairs = [
            (getattr(m, what), getattr(m.expected, what))
            for m in part
            if getattr(m.expected, what) is not None
        ]
        error = sum(abs(a - b) for a, b in pairs) / len(pairs) if pairs else 0.0
        exact = sum(1 for a, b in pairs if abs(a - b) <= 1)
        print(
            f"    {what:>8} read vs stated: mean |error| {error:.1f} over {len(pairs)} documents; "
            f"{exact} within one"
        )


def main() -> int:
    """Print the correlation, false alarms and counts, developed and held-out apart."""
    folder = shared_folder()
    rows = read_sources(folder)
    hidden = held_out({r.organisation for r in rows})
    started = time.perf_counter()
    measured = measure(folder, rows)
    elapsed = time.perf_counter() - started
    print(f"real postmortems: {len(rows)} files from {len({r.organisation for r in rows})} "
          f"organisations in {folder}")  # fmt: skip
    print(
        f"  held out (not used to develop the readers): {', '.join(sorted(hidden, key=str.lower))}"
    )
    _summary("developed on", [m for m in measured if m.expected.organisation not in hidden])
    _summary("held out", [m for m in measured if m.expected.organisation in hidden])
    _summary("all", measured)
    print("  per file: score, rating, factors/actions/timeline read (stated), false alarms")
    for m in measured:
        e = m.expected
        mark = "*" if e.organisation in hidden else " "
        print(
            f"   {mark}{m.score:>3} {e.rating:<8} {m.factors}({e.factors}) {m.actions}({e.actions}) "
            f"{m.timeline}({e.timeline}) {e.name} {' '.join(m.alarms)}"
        )
    unread = [m for m in measured if m.unread]
    print(f"  not read as postmortems (scored 0 above): {len(unread)}")
    for m in unread:
        print(f"    {m.expected.name}: {m.unread}")
    print(f"  (* held out) linted with the default configuration, today={TODAY}, in {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
