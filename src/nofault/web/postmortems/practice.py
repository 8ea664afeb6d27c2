"""The organisation's practice, read from its guide: what every door lints with and starts from.

The guide page keeps `guide.toml` (with its values and principles); its severities and their
review level, its template's headings and guidance, and its `[lint]` table (rule selection,
roster, extra words) are read here, once per request that needs them, so the editor's live
lint, a save, the API and a new postmortem follow the same settings as `nofault lint` does
with `guide = "guide.toml"` in the repository.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nofault.core.document import ReviewLevel
from nofault.core.guide.config import GuideConfig, parse_guide_config
from nofault.core.guide.errors import GuideInputError
from nofault.core.lint.config import (
    ConfigError,
    LintConfig,
    config_from_mapping,
    guide_lint_mapping,
)
from nofault.core.template import TemplateSection
from nofault.web.guides.models import GuideInputs


@dataclass(frozen=True)
class Practice:
    """The organisation's guide settings, its lint configuration and the guide's version."""

    guide: GuideConfig
    lint: LintConfig
    version: str  # a digest of the guide's inputs; "" while no guide is written

    @property
    def template(self) -> tuple[TemplateSection, ...]:
        """The postmortem template a new postmortem starts from."""
        return self.guide.postmortem_template

    def review_level(self, severity: str | None) -> ReviewLevel:
        """The review level the guide gives a severity (full for one it does not define)."""
        defined = self.guide.severity(severity) if severity else None
        return defined.review if defined is not None else ReviewLevel.FULL


# The practice read from the stored guide, keyed by its text: reading guide.toml and building
# the configuration costs about 10 ms, paid once per guide version per process instead of on
# every lint (the editor lints as one types).
_READ: dict[tuple[str, str], Practice] = {}


def _version(inputs: GuideInputs) -> str:
    if not (inputs.values.strip() or inputs.principles.strip() or inputs.config.strip()):
        return ""
    digest = hashlib.sha256()
    for text in (inputs.values, inputs.principles, inputs.config):
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def organisation_practice() -> Practice:
    """Return the organisation's practice from its stored guide (the defaults without one).

    The guide page refuses settings that do not parse, so a stored `guide.toml` always reads;
    one stored before that check existed is passed over for the defaults rather than
    breaking every lint.
    """
    inputs = GuideInputs.objects.order_by("pk").first()
    if inputs is None:
        return Practice(guide=GuideConfig(), lint=LintConfig(), version="")
    version = _version(inputs)
    key = (inputs.config, version)
    if (kept := _READ.get(key)) is not None:
        return kept
    try:
        guide = parse_guide_config(inputs.config, source="guide.toml")
        lint = config_from_mapping(guide_lint_mapping(guide), source="guide.toml [lint]")
    except (GuideInputError, ConfigError):
        guide, lint = GuideConfig(), LintConfig()
    practice = Practice(guide=guide, lint=lint, version=version)
    _READ.clear()  # one guide at a time: the one stored now
    _READ[key] = practice
    return practice
