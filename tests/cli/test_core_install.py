"""The light install: `pip install nofault` without extras, into a fresh virtualenv.

The wheel is built from this checkout and installed with pip as a user would (dependencies
from the package index, through pip's cache). The installed `nofault` then lints a
postmortem, and a command whose extra is missing answers with one line naming the extra.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nofault.cli.extras import EXTRA_MODULES

ROOT = Path(__file__).resolve().parents[2]
SIZE_LIMIT_MB = 60
# Postmortems the installed linter reads: one of ours and one from the real-world corpus.
BLAMEFUL = ROOT / "tests" / "data" / "postmortems" / "shallow-human-error-factor.md"


def _run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs
    )


def _folder_kb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A fresh virtualenv with the wheel installed without extras; and its size over an empty one."""
    work = tmp_path_factory.mktemp("core-install")
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work, ROOT)
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("nofault-*.whl")
    empty, venv = work / "empty", work / "venv"
    for target in (empty, venv):
        # virtualenv (it comes with pre-commit) seeds pip from its cache: faster than venv
        made = _run(sys.executable, "-m", "virtualenv", "--quiet", target)
        assert made.returncode == 0, made.stderr
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr
    size_mb = (_folder_kb(venv) - _folder_kb(empty)) / 1e6
    return venv, size_mb


def test_core_install_is_small(core_venv: tuple[Path, float]) -> None:
    venv, size_mb = core_venv
    assert size_mb <= SIZE_LIMIT_MB, f"the core install takes {size_mb:.1f} MB"
    listed = _run(venv / "bin" / "python", "-m", "pip", "list", "--format", "freeze").stdout
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert "nofault" in names
    assert not names & {"django", "scikit-learn", "numpy", "scipy", "weasyprint", "psycopg"}


def test_core_install_lints(core_venv: tuple[Path, float], tmp_path: Path) -> None:
    venv, _ = core_venv
    nofault = venv / "bin" / "nofault"
    version = _run(nofault, "--version")
    assert version.returncode == 0 and version.stdout.startswith("nofault ")
    result = _run(nofault, "lint", BLAMEFUL, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert '"code": "DEP' in result.stdout or '"code": "BLM' in result.stdout
    clean = tmp_path / "pm.md"
    clean.write_text("# Cache stampede\n\nThe cache expired at 09:00 UTC.\n", encoding="utf-8")
    assert _run(nofault, "lint", clean, "--select", "blame").returncode == 0
    rules = _run(nofault, "rules", "--plain")
    assert rules.returncode == 0 and "BLM" in rules.stdout
    assert _run(nofault, "guide", "init", cwd=tmp_path).returncode == 0
    inputs = (
        "--values",
        "values.yaml",
        "--principles",
        "principles.yaml",
        "--organisation",
        "Acme",
    )
    guide = _run(nofault, "guide", "build", *inputs, "--format", "html", cwd=tmp_path)
    assert guide.returncode == 0 and "<html" in guide.stdout.lower()


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["serve"], "web"),
        (["demo"], "web"),
        (["remind"], "web"),
        (["coverage"], "web"),
        (["themes", "--corpus", "."], "insights"),
        (["similar", "README.md"], "insights"),
        (["report", "--format", "md"], "insights"),
        (["guide", "build", "--format", "pdf", "-o", "guide.pdf"], "pdf"),
        (["deliveries", "replay"], "web"),
        (["lsp"], "lsp"),
        (["import", "page.html"], "import"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_missing_extra_is_one_line(
    core_venv: tuple[Path, float], tmp_path: Path, command: list[str], extra: str
) -> None:
    venv, _ = core_venv
    (tmp_path / "README.md").write_text("# A draft\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<h1>Outage</h1><p>The cache expired.</p>", "utf-8")
    env = {**os.environ, "COLUMNS": "200"}
    result = _run(venv / "bin" / "nofault", *command, cwd=tmp_path, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"pip install 'nofault[{extra}]'" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_extra_modules_match_pyproject() -> None:
    """Each extra's table in nofault.cli.extras names a module of every package it lists."""
    import tomllib
    from importlib.metadata import packages_distributions

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    providers = packages_distributions()

    def packages(extra: str) -> set[str]:
        out: set[str] = set()
        for requirement in extras[extra]:
            name = requirement.split(";")[0].split("[")[0]
            for stop in "<>=!~ ":
                name = name.split(stop)[0]
            if name == "nofault":  # nofault[pdf,insights]: the extras it names
                inner = requirement.split("[", 1)[1].split("]")[0]
                for sub in inner.split(","):
                    out |= packages(sub.strip())
            else:
                out.add(name.lower().replace("_", "-"))
        return out

    assert set(extras) - {"all", "dev"} == set(EXTRA_MODULES)
    for extra, modules in EXTRA_MODULES.items():
        covered = {d.lower().replace("_", "-") for m in modules for d in providers.get(m, [])}
        assert packages(extra) <= covered, f"{extra}: {packages(extra) - covered} not checked"


_IMPORTS_AFTER = """
import sys
from nofault.cli.main import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
heavy = {"sklearn", "numpy", "scipy", "django", "weasyprint", "httpx"}
ours = ("nofault.core.insights", "nofault.web", "nofault.core.guide")
loaded = {m.split(".")[0] for m in sys.modules} & heavy
loaded |= {m for m in sys.modules if m.startswith(ours)}
print("loaded:", *sorted(loaded), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["lint", str(BLAMEFUL)]], ids=" ".join)
def test_lint_and_version_import_nothing_heavy(args: list[str]) -> None:
    """With every extra installed, `--version` and `lint` still load none of them."""
    result = _run(sys.executable, "-c", _IMPORTS_AFTER, *args)
    assert result.stdout, result.stderr
    assert result.stderr.splitlines()[-1] == "loaded:", result.stderr
