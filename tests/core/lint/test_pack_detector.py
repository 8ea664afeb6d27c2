"""A pack's rules share one pass over the text: the engine runs a PackDetector's analysis once."""

from __future__ import annotations

from nofault.core.lint.config import LintConfig
from nofault.core.lint.context import LintContext
from nofault.core.lint.engine import PackDetector, lint, lint_parsed
from nofault.core.lint.registry import all_rules, get_rule
from nofault.core.lint.rule import Category, Examples, Hit, Level, Rule, RuleDoc
from nofault.core.markdown import parse_text


def _rule(code: str, detector: PackDetector) -> Rule:
    return Rule(
        code=code,
        path=f"test.{code.lower()}",
        category=Category.BLAME,
        level=Level.WARNING,
        message=f"{code} found",
        suggestion="say it another way",
        detector=detector,
        doc=RuleDoc(what="", why="", example="", instead=""),
        examples=Examples(),
    )


def test_the_engine_runs_a_packs_analysis_once_for_all_its_rules() -> None:
    passes: list[int] = []

    def analyse(ctx: LintContext) -> dict[str, list[Hit]]:
        passes.append(len(ctx.parsed.lines))
        return {"TST001": [Hit(1, 1)], "TST002": [Hit(1, 3), Hit(1, 5)]}

    rules = [_rule("TST001", PackDetector(analyse, "TST001")),
             _rule("TST002", PackDetector(analyse, "TST002"))]  # fmt: skip
    result = lint_parsed(parse_text("one line of text\n"), rules=rules)
    assert passes == [1]
    assert [(f.code, f.column) for f in result.findings] == [
        ("TST001", 1),
        ("TST002", 3),
        ("TST002", 5),
    ]
    # Called directly, a detector runs its pack afresh (nothing is kept between calls).
    rule = rules[1]
    ctx = LintContext(parsed=parse_text("x\n"), config=LintConfig())
    assert list(rule.detector(ctx, rule)) == [Hit(1, 3), Hit(1, 5)]
    assert passes == [1, 1]


def test_blame_rules_share_one_detector_pass_and_keep_nothing_in_the_context() -> None:
    blame = [r for r in all_rules() if r.category is Category.BLAME]
    assert blame and all(isinstance(r.detector, PackDetector) for r in blame)
    assert len({r.detector.analyse for r in blame if isinstance(r.detector, PackDetector)}) == 1
    text = "Bob forgot to renew the certificate. In hindsight it was obvious.\n"
    ctx = LintContext(parsed=parse_text(text), config=LintConfig())
    rule = get_rule("BLM101")
    assert rule is not None
    assert list(rule.detector(ctx, rule))
    assert not any(key.startswith("_blame") for key in vars(ctx))
    codes = {f.code for f in lint(text, config=LintConfig(select=["blame"])).findings}
    assert {"BLM101", "BLM501"} <= codes
