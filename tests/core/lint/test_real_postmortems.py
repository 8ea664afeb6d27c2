"""Every real public postmortem in the shared set is read, linted and written back whole.

The files live beside the repository (`corpus/real-postmortems/` under $NOFAULT_SHARED, the
folder beside the repository, or /work/shared) and are never copied into it. The structural
false alarms are counted as `benchmarks/real_postmortems.py` counts and prints them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nofault.core.markdown import parse_text, render

_BENCHMARK = Path(__file__).parents[3] / "benchmarks" / "real_postmortems.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_postmortems_benchmark", _BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


BENCH = _benchmark()
FOLDER: Path = BENCH.shared_folder()
ROWS = BENCH.read_sources(FOLDER)


def test_the_whole_set_is_described_and_present() -> None:
    files = {p.name for p in FOLDER.iterdir() if p.name != "SOURCES.md"}
    assert len(ROWS) == 40
    assert {r.name for r in ROWS} == files


@pytest.mark.parametrize("name", [r.name for r in ROWS])
def test_a_real_postmortem_reads_back_the_same_after_a_canonical_render(name: str) -> None:
    parsed = parse_text((FOLDER / name).read_bytes())
    again = parse_text(render(parsed.postmortem))
    assert again.postmortem == parsed.postmortem


def test_structural_false_alarms_stay_under_one_in_five_documents() -> None:
    measured = BENCH.measure(FOLDER, ROWS)
    assert len(measured) == len(ROWS)
    alarms = {m.expected.name: m.alarms for m in measured if m.alarms}
    assert sum(len(a) for a in alarms.values()) / len(measured) < 0.2, alarms
