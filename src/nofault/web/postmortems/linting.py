"""Linting a postmortem's text: every web and API door reaches the core's linter through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import Finding, lint_parsed
from nofault.core.lint.packs.depth.score import DepthScore
from nofault.core.lint.registry import get_rule
from nofault.core.markdown import ParsedText, parse_text
from nofault.web.api_errors import ServiceError
from nofault.web.health import LINT_SECONDS
from nofault.web.postmortems.models import Postmortem

MAX_SOURCE_CHARS = 1_000_000
# A request to lint is refused unread above this size: a million characters of text fit in
# it in any usual encoding, and a worker never buffers more for one lint.
MAX_LINT_BODY_BYTES = 4 * 1024 * 1024


def lint_body_refusal(content_length: str | None) -> ServiceError | None:
    """The 413 to answer, unread, when a request to lint declares a body over the limit."""
    try:
        declared = int(content_length or 0)
    except ValueError:
        return None  # the server reads no more than the declared length anyway
    if declared <= MAX_LINT_BODY_BYTES:
        return None
    return ServiceError(
        f"the text to lint is limited to {MAX_LINT_BODY_BYTES // 2**20} MB",
        reason="too_large",
        status_code=413,
    )


@dataclass
class LintReport:
    """What the core's linter said about a text: its findings and its depth score."""

    findings: list[Finding]
    score: float | None = None
    depth: DepthScore | None = None  # the score's parts, when the text was linted afresh

    @property
    def blame_count(self) -> int:
        """How many findings are about blame."""
        return sum(1 for f in self.findings if f.category == "blame")


def organisation_lint_config() -> LintConfig:
    """The organisation's lint configuration, from its guide (the rules' defaults without one)."""
    from nofault.web.postmortems.practice import organisation_practice

    return organisation_practice().lint


def lint_source(
    source: str, *, config: LintConfig | None = None, today: date | None = None
) -> tuple[ParsedText, LintReport]:
    """Parse and lint a text once, with the organisation's configuration (on `today`, the
    clock's day by default): every web and API door reaches the core's linter through here."""
    config = config or organisation_lint_config()
    with LINT_SECONDS.time():  # /metrics: nofault_lint_seconds
        parsed = parse_text(source, aliases=config.heading_aliases())
        result = lint_parsed(parsed, config=config, today=today)
    score = None if result.score is None else float(result.score.score)
    # Blame findings first (in line order), then the rest: blame is what a review must not keep.
    findings = sorted(result.findings, key=lambda f: f.category != "blame")
    return parsed, LintReport(findings=findings, score=score, depth=result.score)


def postmortem_lint(*, source: str, config: LintConfig | None = None) -> LintReport:
    """Lint a text with the core, as every door does; nothing is stored."""
    if len(source) > MAX_SOURCE_CHARS:
        raise ServiceError(
            "the text is longer than a million characters", reason="too_large", status_code=413
        )
    return lint_source(source, config=config)[1]


def stored_findings(pm: Postmortem) -> list[Finding]:
    """The findings stored at the postmortem's last save."""
    return [Finding.from_dict(f) for f in pm.findings]


def lint_report_cached(pm: Postmortem, source: str) -> LintReport:
    """The stored findings when the text is the saved one, else a fresh lint."""
    if source == pm.source:
        return LintReport(findings=stored_findings(pm), score=pm.depth_score)
    return postmortem_lint(source=source)


def rule_doc(code: str) -> str | None:
    """Return the rule's documentation as Markdown, or None for an unknown code."""
    from nofault.core.lint.docs import rule_doc_markdown

    rule = get_rule(code)
    return rule_doc_markdown(rule) if rule else None
