"""Print how fast `nofault lint` is as a user meets it: whole processes, beside alex, in one run.

    python benchmarks/lint_process.py [--rounds 3] [--files 250] [--alex-dir /tmp/alex-bench]
                                      [--nofault PATH] [--skip-install] [--skip-pre-commit]

What it measures:
  * The light install: the wheel built from this checkout, installed without extras by pip
    into a fresh virtualenv (dependencies from pip's cache when warm); the seconds it took and
    the virtualenv's size minus an empty virtualenv's (target: at most 60 MB). That install's
    `nofault` is the one timed below (or --nofault PATH), so edits to the checkout made while
    the benchmark runs do not move its figures.
  * The pre-commit hook's first install: `pre-commit try-repo` of this checkout on a small
    repository, with an empty PRE_COMMIT_HOME (pre-commit builds its own virtualenv and pip
    installs nofault into it; pip's cache is warm from the step above). Target: at most 10 s.
  * Whole processes, each command run as a user runs it, wall time and CPU time (user + system
    of the child) of each run, the median over --rounds rounds. nofault and alex take turns in
    every round, so a burst of load on the shared machine hits both:
      - `nofault --version` and `alex --version`;
      - one postmortem (the real one nearest 17 KB): alex; nofault with --no-cache (a cold
        lint: start, rule packs, lint); nofault with its cache filled (a re-lint);
        target: nofault cold at most a quarter of alex;
      - a folder of a few hundred postmortems: alex; nofault with an empty cache (it lints
        every file across the cores and writes the cache); nofault with the cache filled;
        target: nofault cold at least 20 times faster than alex.
    The folder is built in a temporary directory from the real postmortems in
    ../shared/corpus/real-postmortems and the repository's tests/data/postmortems, copied until
    it holds --files files; each copy ends with its own comment line, so no two files are the
    same bytes (the cache cannot serve one file's result for another).
  * Throughput of one file in this process: `lint()` against markdown-it-py's parse of the same
    text (target: at least half of markdown-it-py's MB/s), median of alternating rounds.

The load average is printed at the start and at the end: on a shared machine wall-clock
figures move with it; CPU time moves less, and the ratios of CPU times are printed beside the
ratios of wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "real-postmortems"
OWN = ROOT / "tests" / "data" / "postmortems"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(cmd: Sequence[str | Path], cwd: Path | None = None) -> tuple[float, float]:
    """Run a command to completion; return (wall seconds, CPU seconds of the child)."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def _folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def core_install(work: Path) -> tuple[Path, float, float]:
    """Build the wheel and install it without extras in a fresh virtualenv.

    Returns (the venv's nofault, seconds the pip install took, MB over an empty venv).
    """
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(work), str(ROOT)], check=True)  # fmt: skip
    (wheel,) = work.glob("nofault-*.whl")
    empty, venv = work / "empty-venv", work / "core-venv"
    for target in (empty, venv):
        subprocess.run([sys.executable, "-m", "virtualenv", "--quiet", str(target)], check=True)
    seconds, _ = timed([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel])
    if not (venv / "bin" / "nofault").exists():
        raise SystemExit(f"pip install {wheel} into {venv} failed")
    size = (_folder_bytes(venv) - _folder_bytes(empty)) / 1e6
    return venv / "bin" / "nofault", seconds, size


def pre_commit_first_install(work: Path) -> tuple[float, float] | None:
    """Time `pre-commit try-repo` of this checkout with an empty pre-commit cache.

    Returns (wall seconds, CPU seconds of pre-commit and everything it ran), or None.
    """
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists() or not shutil.which("git"):
        return None
    repo = work / "team-repo"
    (repo / "postmortems").mkdir(parents=True)
    (repo / "postmortems" / "pm.md").write_text(
        "# Cache stampede\n\n## Summary\n\nThe cache expired at 09:00 UTC.\n", encoding="utf-8"
    )
    for args in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(work / "pre-commit-home")}
    before, start = os.times(), time.perf_counter()
    done = subprocess.run([str(pre_commit), "try-repo", str(ROOT), "nofault-blame",
                           "--all-files"], cwd=repo, env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    seconds, after = time.perf_counter() - start, os.times()
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return None
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return seconds, cpu


def sources() -> list[Path]:
    """The real postmortems and our own, sorted (SOURCES.md is a list of sources, not one)."""
    found = [p for p in sorted(SHARED.glob("*.md")) if p.name != "SOURCES.md"]
    return found + sorted(OWN.glob("*.md"))


def build_folder(target: Path, count: int) -> int:
    """Write `count` postmortems into target, cycling through the sources; return bytes."""
    docs = sources()
    target.mkdir(parents=True)
    size = 0
    for n in range(count):
        source = docs[n % len(docs)]
        text = source.read_text(encoding="utf-8").rstrip("\n")
        text += f"\n\n<!-- copy {n // len(docs)} of {source.name} -->\n"
        path = target / f"{n:04d}-{source.name}"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def one_file() -> Path:
    """The real postmortem nearest 17 KB (pre-commit's case in the figures quoted before)."""
    return min(sources()[:-1], key=lambda p: abs(p.stat().st_size - 17_000))


def find_alex(alex_dir: Path, install: bool) -> Path | None:
    """Return alex's command, installing it with npm into alex_dir when asked and missing."""
    exe = alex_dir / "node_modules" / ".bin" / "alex"
    if not exe.exists() and install and shutil.which("npm"):
        alex_dir.mkdir(parents=True, exist_ok=True)
        print(f"installing alex with npm into {alex_dir} …", flush=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(alex_dir), "alex"],
                       check=False, capture_output=True)  # fmt: skip
    return exe if exe.exists() else None


def median_runs(rows: list[tuple[float, float]]) -> tuple[float, float]:
    """Return the median wall time and the median CPU time of some runs."""
    return statistics.median(w for w, _ in rows), statistics.median(c for _, c in rows)


def throughput(text: str, rounds: int) -> tuple[float, float]:
    """Return (nofault lint MB/s, markdown-it-py parse MB/s) on one text, in this process."""
    from markdown_it import MarkdownIt

    from nofault.core.lint.engine import lint

    md = MarkdownIt("commonmark").enable("table")
    lint(text)  # rule packs loaded, regexes compiled: the steady state
    size = len(text.encode()) / 1e6
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        for fn, out in ((lint, ours), (md.parse, theirs)):
            n, start = 0, time.process_time()
            while n < 5 or time.process_time() - start < 0.3:
                fn(text)
                n += 1
            out.append(size * n / (time.process_time() - start))
    return statistics.median(ours), statistics.median(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=250, help="Postmortems in the folder.")
    parser.add_argument("--alex-dir", type=Path,
                        default=Path(os.environ.get("ALEX_DIR", "/tmp/alex-bench")))  # fmt: skip
    parser.add_argument("--no-install-alex", action="store_true",
                        help="Do not npm install alex into --alex-dir when it is missing.")  # fmt: skip
    parser.add_argument(
        "--nofault", type=Path, help="Time this nofault instead of a fresh install."
    )
    parser.add_argument("--skip-install", action="store_true",
                        help="Skip the install measures (needs --nofault).")  # fmt: skip
    parser.add_argument("--skip-pre-commit", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {_load()} ({os.cpu_count()} CPUs)")

    with tempfile.TemporaryDirectory(prefix="nofault-lint-process-") as tmp:
        work = Path(tmp)
        nofault = args.nofault
        if not args.skip_install:
            exe, seconds, size = core_install(work / "install")
            print(f"core install: pip install of the wheel without extras into a fresh "
                  f"virtualenv took {seconds:.1f} s (pip cache warm after the first run); "
                  f"{size:.1f} MB over an empty virtualenv (target <= 60 MB)")  # fmt: skip
            nofault = nofault or exe
        if nofault is None:
            parser.error("--skip-install needs --nofault")
        nofault = nofault.resolve()
        if not args.skip_pre_commit:
            first = pre_commit_first_install(work / "pre-commit")
            shown = (
                "failed (output above)"
                if first is None
                else (f"wall {first[0]:.1f} s, cpu {first[1]:.1f} s")
            )
            print(f"pre-commit first install and run (try-repo, empty PRE_COMMIT_HOME): {shown} "
                  "(target <= 10 s)")  # fmt: skip

        alex = find_alex(args.alex_dir, not args.no_install_alex)
        if alex is None:
            print(f"alex: not found in {args.alex_dir} (npm install alex there to compare)")
        folder = work / "folder"
        size = build_folder(folder, args.files)
        single = one_file()
        print(f"inputs: one file {single.name} ({single.stat().st_size / 1000:.1f} KB); folder "
              f"of {args.files} postmortems, {size / 1e6:.2f} MB")  # fmt: skip
        print(f"nofault: {nofault}; alex: {alex or '-'}; {args.rounds} rounds, medians")

        cache = folder / ".nofault_cache"
        single_cwd = work / "single"
        single_cwd.mkdir()
        lint_single = [nofault, "lint", single]
        cases: dict[str, list[tuple[float, float]]] = {}

        def run(name: str, cmd: Sequence[str | Path], cwd: Path | None = None) -> None:
            cases.setdefault(name, []).append(timed(cmd, cwd))

        timed(lint_single, single_cwd)  # fills the single file's cache (and warms the disk)
        for _ in range(args.rounds):
            run("nofault --version", [nofault, "--version"])
            run("nofault one file, --no-cache", [*lint_single, "--no-cache"], single_cwd)
            run("nofault one file, cache filled", lint_single, single_cwd)
            shutil.rmtree(cache, ignore_errors=True)
            run("nofault folder, empty cache", [nofault, "lint", "."], folder)
            run("nofault folder, cache filled", [nofault, "lint", "."], folder)
            run("nofault folder, --no-cache --jobs 1", [nofault, "lint", ".", "--no-cache",
                                                        "--jobs", "1"], folder)  # fmt: skip
            if alex is not None:
                run("alex --version", [alex, "--version"])
                run("alex one file", [alex, single])
                run("alex folder", [alex, "."], folder)
        medians = {name: median_runs(rows) for name, rows in cases.items()}
        for name, (wall, cpu) in medians.items():
            print(f"  {name:<38} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
        if alex is not None:
            for ours, theirs, target in (
                ("nofault one file, --no-cache", "alex one file", "<= 0.25"),
                ("nofault one file, cache filled", "alex one file", ""),
                ("nofault --version", "alex --version", ""),
            ):
                (w, c), (aw, ac) = medians[ours], medians[theirs]
                print(f"  {ours} / {theirs}: wall {w / aw:.2f}, cpu {c / ac:.2f}"
                      + (f" (target {target})" if target else ""))  # fmt: skip
            for ours in ("nofault folder, empty cache", "nofault folder, cache filled",
                         "nofault folder, --no-cache --jobs 1"):  # fmt: skip
                (w, c), (aw, ac) = medians[ours], medians["alex folder"]
                print(f"  alex folder / {ours}: wall {aw / w:.1f}x, cpu {ac / c:.1f}x"
                      " (target >= 20x with an empty cache)")  # fmt: skip

    text = single.read_text(encoding="utf-8")
    ours_rate, md_rate = throughput(text, args.rounds)
    print(f"one file in process (CPU time): nofault lint {ours_rate:.2f} MB/s, markdown-it-py "
          f"parse {md_rate:.2f} MB/s, ratio {ours_rate / md_rate:.2f} (target >= 0.5)")  # fmt: skip
    print(f"load average at end: {_load()}")


if __name__ == "__main__":
    main()
