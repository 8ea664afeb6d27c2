"""Write docs/rules/CODE.md and docs/rules/index.md from the registered rules."""

from __future__ import annotations

import sys
from pathlib import Path

from nofault.core.lint.docs import rule_doc_markdown
from nofault.core.lint.registry import all_rules


def rules_index() -> str:
    """Return the Markdown index of every rule, by category."""
    lines = ["# Rules", "", "Generated from the rules themselves by `make docs`.", ""]
    lines += [
        "| Code | Rule | Level | Status | Since | Flags |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in all_rules():
        lines.append(
            f"| [{r.code}]({r.code}.md) | `{r.path}` | {r.level.value} | {r.status.value} "
            f"| {r.since} | {r.message} |"
        )
    return "\n".join(lines) + "\n"


def write_rule_docs(docs: Path) -> list[Path]:
    """Write one page per rule plus an index; return the files written."""
    folder = docs / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in all_rules():
        path = folder / f"{rule.code}.md"
        path.write_text(rule_doc_markdown(rule), encoding="utf-8")
        written.append(path)
    index = folder / "index.md"
    index.write_text(rules_index(), encoding="utf-8")
    return [*written, index]


if __name__ == "__main__":
    for path in write_rule_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
