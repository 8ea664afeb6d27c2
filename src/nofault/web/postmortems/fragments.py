"""A postmortem's findings as HTML, built in Python: the editor re-renders them on every
keystroke and a long postmortem has dozens, each a dozen template nodes. The markup is what
`_findings.html` showed finding by finding; every value is escaped with `esc`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from nofault.web.rendering import esc, url_maker

_APOSTROPHE = "'"


def findings_html(findings: Iterable[Mapping[str, Any]]) -> SafeString:
    """One block per finding: rule code (opens its documentation), category, line, message,
    the flagged words in their line and the suggestion."""
    rule_url = url_maker("postmortems:rule_doc", "STR001")
    parts = []
    for f in findings:
        code = esc(f.get("code", ""))
        category = esc(f.get("category", ""))
        line = esc(f.get("line", ""))
        html = (
            f'  <div class="finding level-{esc(f.get("level", ""))} cat-{category}" '
            f'data-code="{code}">\n'
            f'    <div><a href="#" class="code" hx-get="{esc(rule_url(f.get("code", "")))}" '
            f'hx-target="#rule-doc" title="Open the rule{_APOSTROPHE}s documentation">{code}</a>\n'
            f'      <span class="tag c-grey">{category}</span>\n'
            f'      <a href="#" data-line="{line}" class="muted">line {line}</a></div>\n'
            f'    <div class="message">{esc(f.get("message", ""))}</div>\n'
        )
        if f.get("mark") is not None:
            html += (
                f'    <div class="context">{esc(f.get("before", ""))}<mark>{esc(f["mark"])}'
                f"</mark>{esc(f.get('after', ''))}</div>\n"
            )
        if f.get("suggestion"):
            html += f'    <div class="muted suggestion">Try: {esc(f["suggestion"])}</div>\n'
        parts.append(html + "  </div>")
    return mark_safe("\n".join(parts))
