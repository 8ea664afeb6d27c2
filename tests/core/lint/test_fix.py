"""A finding's `fix`: replacement text offered only where the right text is not in doubt."""

from __future__ import annotations

import json

import pytest

from nofault.core.lint.config import LintConfig, config_from_mapping
from nofault.core.lint.engine import lint
from nofault.core.lint.report import to_json


def _severity_finding(value: str, config: LintConfig | None = None) -> dict[str, object]:
    text = f"---\nseverity: {value}\n---\n\n# Title\n"
    result = lint(text, path="pm.md", config=config or LintConfig(select=["STR002"]))
    (finding,) = json.loads(to_json([result]))["files"][0]["findings"]
    assert finding["code"] == "STR002"
    return dict(finding)


@pytest.mark.parametrize(
    ("written", "meant"), [("sev 2", "SEV2"), ("Sev-1", "SEV1"), ("sev5", "SEV5")]
)
def test_a_severity_written_another_way_is_fixed_to_the_defined_one(
    written: str, meant: str
) -> None:
    finding = _severity_finding(written)
    assert finding["fix"] == meant and finding["excerpt"] == written


def test_no_fix_when_a_person_must_choose() -> None:
    assert "fix" not in _severity_finding("SEV9")
    assert "fix" not in _severity_finding("P1")
    # Two defined severities that read the same leave the choice open.
    twins = config_from_mapping({"severities": ["SEV-1", "SEV1"], "select": ["STR002"]})
    assert "fix" not in _severity_finding("sev 1", twins)
