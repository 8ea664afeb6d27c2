"""The lint engine: run every enabled rule over a text and return sorted findings."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from operator import attrgetter
from pathlib import Path

from nofault.core.lint.config import LintConfig
from nofault.core.lint.context import LintContext
from nofault.core.lint.registry import all_rules
from nofault.core.lint.result import Finding, LintResult
from nofault.core.lint.rule import Category, Hit, Rule, Scope
from nofault.core.markdown import LineView, ParsedText, parse_text

PackAnalysis = Callable[[LintContext], dict[str, list[Hit]]]


class PackDetector:
    """A rule's detector whose hits come from one pass of its pack over the whole text.

    The engine runs each pack's analysis once per lint and hands every rule of the pack its
    own hits; called directly, it runs the analysis afresh.
    """

    __slots__ = ("analyse", "code")

    def __init__(self, analyse: PackAnalysis, code: str) -> None:
        self.analyse = analyse
        self.code = code

    def __call__(self, ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        """Yield this rule's hits from a fresh pass of the pack."""
        return iter(self.analyse(ctx).get(self.code, ()))


# Hooks that add whole-document results (the depth score) to a LintResult.
ResultHook = Callable[[LintContext, LintResult], None]
_RESULT_HOOKS: list[ResultHook] = []


def register_result_hook(hook: ResultHook) -> ResultHook:
    """Register a function (context, result) -> None that adds to every lint result."""
    _RESULT_HOOKS.append(hook)
    return hook


# The reason an editor's "disable" action writes for the writer to replace; until it is
# replaced it counts as no reason, so the suppression stays a finding (STR010).
REASON_PLACEHOLDER = "REASON: say why this wording stays"


def suppression_comment(codes: str, reason: str = REASON_PLACEHOLDER) -> str:
    """Return the inline comment that switches rules off for the block that follows it."""
    return f"<!-- nofault: disable={codes} -- {reason} -->"


_SUPPRESS = re.compile(
    r"<!--\s*nofault:\s*disable=(?P<codes>[\w.,\s-]+?)(?:\s+(?:--|—|reason[=:])\s*(?P<reason>.*?))?\s*-->",
    re.IGNORECASE,
)


def _comment_lines(lines: Sequence[str]) -> Iterator[int]:
    """Yield the 0-based index of each line that could hold a suppression comment."""
    if isinstance(lines, LineView):
        yield from lines.find("nofault:")  # one scan of the text, no line strings
        return
    for index, line in enumerate(lines):
        if "nofault:" in line:
            yield index


def _suppressions(parsed: ParsedText) -> list[tuple[int, int, list[str], bool, int]]:
    """Return (first line, last line, keys, has reason, comment line) for each suppression.

    A comment with no block to apply to still appears (with an empty range), so that a
    missing reason is reported wherever the comment is.
    """
    out = []
    starts: list[tuple[int, int]] | None = None  # built only when a comment is found
    for index in _comment_lines(parsed.lines):
        line = parsed.lines[index]
        m = _SUPPRESS.search(line)
        if not m:
            continue
        if starts is None:
            starts = sorted(
                {(b.start, b.end) for b in parsed.blocks} | {(p.start, p.end) for p in parsed.prose}
            )
        keys = [k.strip() for k in re.split(r"[,\s]+", m["codes"]) if k.strip()]
        reason = (m["reason"] or "").strip()
        has_reason = bool(reason) and reason != REASON_PLACEHOLDER
        # The comment's own block if text shares its line, else the next block.
        own = line[: m.start()].strip() or line[m.end() :].strip()
        after = bisect_right(starts, (index, sys.maxsize))  # the first block starting below
        if own:
            target = next(((s, e) for s, e in starts[:after] if s <= index < e), None)
        else:
            target = starts[after] if after < len(starts) else None
        first, last = (target[0] + 1, target[1]) if target else (0, -1)
        out.append((first, last, keys, has_reason, index + 1))
    return out


def _excerpt(lines: Sequence[str], hit: Hit) -> str:
    if not 1 <= hit.line <= len(lines):
        return ""
    line = lines[hit.line - 1]
    if hit.end_line in (None, hit.line) and hit.end_column:
        return line[hit.column - 1 : hit.end_column - 1]
    return line.strip()[:200]


def lint_parsed(
    parsed: ParsedText,
    *,
    path: str = "-",
    config: LintConfig | None = None,
    today: date | None = None,
    rules: list[Rule] | None = None,
) -> LintResult:
    """Run the enabled rules over an already parsed text."""
    config = config or LintConfig()
    context = LintContext(parsed=parsed, config=config, path=path, today=today or date.today())
    active = [r for r in (rules if rules is not None else all_rules()) if config.is_enabled(r)]
    findings: list[Finding] = []
    # One object per distinct message or excerpt: a rule gives the same message again and
    # again ("section ... repeats ...", the same phrase quoted), and a large file has a
    # hundred thousand findings.
    texts: dict[str, str] = {}
    packs: dict[PackAnalysis, dict[str, list[Hit]]] = {}  # each pack's hits, by rule code
    for rule in active:
        if rule.scope is Scope.DOCUMENT and not parsed.is_postmortem:
            continue
        detector = rule.detector
        if isinstance(detector, PackDetector):
            if detector.analyse not in packs:
                packs[detector.analyse] = detector.analyse(context)
            # Popped: a large file's hits are let go once they are findings.
            hits: Iterable[Hit] = packs[detector.analyse].pop(rule.code, ())
        else:
            hits = detector(context, rule)
        for hit in hits:
            findings.append(_finding(rule, hit, path, parsed.lines, texts))
    suppressions = _suppressions(parsed)
    if suppressions:
        findings = [f for f in findings if not _suppressed(f, suppressions)]
    _sort(findings)
    result = LintResult(path, findings, parsed.is_postmortem, parsed)
    for hook in _RESULT_HOOKS:
        hook(context, result)
    return result


def _sort(findings: list[Finding]) -> None:
    """Order findings by (line, column, code), ties kept in the order the rules gave them.

    Three stable sorts, last key first, give that order without a key tuple per finding
    (a large file's hundred thousand findings would need some 10 MB of them at once).
    """
    findings.sort(key=attrgetter("code"))
    findings.sort(key=attrgetter("column"))
    findings.sort(key=attrgetter("line"))


def _suppressed(
    finding: Finding, suppressions: list[tuple[int, int, list[str], bool, int]]
) -> bool:
    from nofault.core.lint.config import rule_key_specificity
    from nofault.core.lint.registry import get_rule

    rule = get_rule(finding.code)
    for first, last, keys, _reason, _line in suppressions:
        if (
            first <= finding.line <= last
            and rule is not None
            and any(rule_key_specificity(k, rule) is not None for k in keys)
        ):
            return True
    return False


def _finding(
    rule: Rule, hit: Hit, path: str, lines: Sequence[str], texts: dict[str, str] | None = None
) -> Finding:
    # The one int object when both ends are on one line (a large file has many findings).
    end_line = hit.line if hit.end_line in (None, 0, hit.line) else hit.end_line
    end_column = hit.end_column or (
        len(lines[end_line - 1]) + 1 if 1 <= end_line <= len(lines) else hit.column
    )
    return Finding(
        code=rule.code,
        rule=rule.path,
        category=rule.category.value,
        level=(hit.level or rule.level).value,
        file=path,
        line=hit.line,
        column=hit.column,
        end_line=end_line,
        end_column=end_column,
        message=_same(texts, hit.message or rule.message),
        suggestion=rule.suggestion if hit.suggestion is None else hit.suggestion,
        excerpt=_same(texts, _excerpt(lines, hit)),
        fix=hit.fix,
    )


def _same(texts: dict[str, str] | None, text: str) -> str:
    """Return the one kept object equal to `text` (text itself when it is the first)."""
    return text if texts is None else texts.setdefault(text, text)


def lint(
    text: str | bytes,
    *,
    path: str | None = None,
    config: LintConfig | None = None,
    today: date | None = None,
) -> LintResult:
    """Parse and lint one text; with a path and no config, the config is looked up from it."""
    if config is None:
        from nofault.core.lint.config import discover_config

        config = discover_config(Path(path)) if path and path != "-" else LintConfig()
    parsed = parse_text(text, aliases=config.heading_aliases())
    return lint_parsed(parsed, path=path or "-", config=config, today=today)


def lint_text(
    text: str, *, path: str | None = None, config: LintConfig | None = None
) -> list[Finding]:
    """Lint one text and return its findings (the public API every door uses)."""
    return lint(text, path=path, config=config).findings


def suppression_hits(parsed: ParsedText) -> list[Hit]:
    """Return a hit at each suppression comment that gives no reason."""
    return [
        Hit(line=comment, column=1)
        for _first, _last, _keys, has_reason, comment in _suppressions(parsed)
        if not has_reason
    ]


__all__ = ["Category", "Finding", "LintResult", "lint", "lint_parsed", "lint_text"]
