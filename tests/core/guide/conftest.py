"""Shared fixtures: the two example organisations shipped under examples/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nofault.core.guide import Guide, Inputs, load_guide_config, make_guide, read_inputs
from nofault.core.guide.config import GuideConfig

EXAMPLES = Path(__file__).parents[3] / "examples"
ORGS = {
    "acme": ("values.yaml", "principles.md"),
    "tidewater": ("values.yaml", "principles.yaml"),
}
TODAY = date(2026, 3, 2)


def org_inputs(org: str) -> tuple[Inputs, GuideConfig]:
    """Read one example organisation's files."""
    values, principles = ORGS[org]
    folder = EXAMPLES / org
    inputs = read_inputs(folder / values, folder / principles)
    return inputs, load_guide_config(folder / "guide.toml")


@pytest.fixture(params=sorted(ORGS))
def org(request: pytest.FixtureRequest) -> str:
    """Each example organisation in turn."""
    return str(request.param)


@pytest.fixture
def org_guide(org: str) -> Guide:
    """The guide of each example organisation, built with every registered rule."""
    inputs, config = org_inputs(org)
    return make_guide(inputs, config, today=TODAY)
