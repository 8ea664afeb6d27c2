"""`nofault similar` over a folder of 10,000 postmortems, as whole processes.

Run: .venv/bin/python benchmarks/similar_speed.py [--size 10000] [--runs 5]

Writes `--size` Markdown postmortems into a temporary folder, each a variation (seeded) of
one of the incidents in tests/data/similar_incidents/: its sentences in another order, one
contributing factor dropped or kept, words of other incidents mixed in, its own id, title
suffix, service and date. Then runs `nofault similar DRAFT --corpus FOLDER` as a separate
process, with an empty cache folder (NOFAULT_CACHE_DIR), and prints:

- the first run's wall time: it parses every file and builds and stores the index;
- the wall time of `--runs` later runs (median and slowest): they find the cached index by
  the folder's file sizes and modification times and only parse the draft (target: under 1 s);
- the same with `--no-cache`, for comparison;
- the cache file's size.

Wall time is measured around `subprocess.run`, so it includes starting Python and importing
nofault: what a person at a terminal waits for. The CPU time the process used (user + system,
from `getrusage` of children) is printed beside it, with the load average: on a shared machine
whose load is above its core count, wall time stretches while CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from nofault.core.insights.corpus import load_folder

SET = Path(__file__).parents[1] / "tests" / "data" / "similar_incidents"
NOFAULT = Path(sys.executable).with_name("nofault")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", text.strip()) if s]


def write_corpus(folder: Path, size: int, seed: int = 7) -> None:
    """Write `size` varied postmortems under `folder` (in 100 subfolders)."""
    rng = random.Random(seed)
    bases = load_folder(SET)
    words = sorted({w for r in bases for w in re.findall(r"[A-Za-z]{5,}", r.summary)})
    start = date(2015, 1, 1)
    for n in range(size):
        base = bases[n % len(bases)]
        summary = _sentences(base.summary)
        rng.shuffle(summary)
        summary.append(" ".join(rng.sample(words, 6)).capitalize() + ".")
        factors = [f.text for f in base.factors]
        if len(factors) > 1 and rng.random() < 0.5:
            factors.pop(rng.randrange(len(factors)))
        when = start + timedelta(days=rng.randrange(3650))
        sub = folder / f"{n % 100:02d}"
        sub.mkdir(exist_ok=True)
        text = (
            f"---\nid: PM-{n:05d}\nseverity: SEV{rng.randint(1, 3)}\n"
            f"services:\n  - svc-{rng.randrange(40)}\nstatus: published\n"
            f"started_at: '{when.isoformat()}T10:00:00Z'\n---\n\n"
            f"# {base.title} ({n})\n\n## Summary\n\n{' '.join(summary)}\n\n"
            "## Contributing factors\n\n"
            + "\n".join(f"- **CF{i}** {f}" for i, f in enumerate(factors, 1))
            + "\n"
        )
        (sub / f"pm-{n:05d}.md").write_text(text, encoding="utf-8")


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one process; return its wall time and the CPU time it used."""
    began, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return took, _cpu() - cpu


def _line(label: str, runs: list[tuple[float, float]]) -> str:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    slowest = max(w for w, _ in runs)
    return f"{label:<44} wall {wall:>6.2f} s (slowest {slowest:.2f})   cpu {cpu:>5.2f} s"


def main() -> int:
    """Print build and cached-query wall times of `nofault similar` as whole processes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, cache = Path(tmp) / "corpus", Path(tmp) / "cache"
        corpus.mkdir()
        began = time.perf_counter()
        write_corpus(corpus, opts.size)
        print(f"wrote {opts.size} postmortems in {time.perf_counter() - began:.1f} s")
        draft = Path(tmp) / "draft.md"
        draft.write_text((SET / "postmortems" / "cert-expiry-epic-2021.md").read_text("utf-8"))
        env = {**os.environ, "NOFAULT_CACHE_DIR": str(cache)}
        args = [str(NOFAULT), "similar", str(draft), "--corpus", str(corpus)]
        first = _run(args, env)
        index_size = sum(p.stat().st_size for p in cache.glob("*.index"))
        cached = [_run(args, env) for _ in range(opts.runs)]
        fresh = [_run([*args, "--no-cache"], env)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} cores")
    print(_line("first run: parse, build and store the index", [first]))
    print(_line(f"cached (target < 1 s), median of {opts.runs}", cached))
    print(_line(f"--no-cache, median of {len(fresh)}", fresh))
    print(f"{'cache file':<44} {index_size / 1e6:>6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
