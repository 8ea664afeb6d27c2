"""Rule documentation in fixed sections, one text for `nofault rule`, docs/rules and tooltips."""

from __future__ import annotations

from nofault.core.lint.rule import Rule, Status

# Where each rule's page is published; SARIF's helpUri and the editor's diagnostics link it.
RULE_DOCS_URL = "https://nofault.invalid/docs/rules/{code}"


def rule_doc_url(code: str) -> str:
    """Return the address of a rule's documentation page."""
    return RULE_DOCS_URL.format(code=code)


_STATUS_NOTE = {
    Status.PREVIEW: "Status: preview. It runs only with `--preview` or `preview = true` "
    "under `[tool.nofault]`; its findings may change before it is stable.\n\n",
    Status.DEPRECATED: "Status: deprecated. It still runs, but it will be removed; selecting "
    "it by name prints a warning.\n\n",
}


def rule_doc_markdown(rule: Rule) -> str:
    """Return a rule's documentation page as Markdown."""
    refs = "\n".join(f"- {ref}" for ref in rule.doc.references) or "- (none)"
    return (
        f"# {rule.code}: {rule.path}\n\n"
        f"Category: `{rule.category.value}` · Level: `{rule.level.value}` · Since: {rule.since}\n\n"
        + _STATUS_NOTE.get(rule.status, "")
        + f"## What it flags\n\n{rule.doc.what}\n\n"
        f"## Why it hurts a blameless review\n\n{rule.doc.why}\n\n"
        f"## Example\n\n```markdown\n{rule.doc.example}\n```\n\n"
        f"## Use instead\n\n```markdown\n{rule.doc.instead}\n```\n\n"
        f"## References\n\n{refs}\n"
        + (f"\nSource of the guidance: {rule.source}\n" if rule.source else "")
        + f'\nDisable it with `{rule.code} = false` or `"{rule.path}" = false` under '
        "`[tool.nofault.rules]`.\n"
    )
