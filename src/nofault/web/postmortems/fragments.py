"""A postmortem's findings as HTML, built in Python: the editor re-renders them on every
keystroke and a long postmortem has dozens, each a dozen template nodes. The markup is what
`_findings.html` showed finding by finding; every value is escaped with `esc`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from nofault.core.lint.engine import Finding
from nofault.web.actions.models import action_is_overdue
from nofault.web.choices import ActionStatusChoices
from nofault.web.rendering import badge, esc, text, url_maker

_APOSTROPHE = "'"


def findings_html(findings: Iterable[Finding]) -> SafeString:
    """One block per finding: rule code (opens its documentation), category, line, message,
    the flagged words (the core's excerpt) and the suggestion."""
    rule_url = url_maker("postmortems:rule_doc", "STR001")
    parts = []
    for f in findings:
        code, category, line = esc(f.code), esc(f.category), esc(f.line)
        html = (
            f'  <div class="finding level-{esc(f.level)} cat-{category}" data-code="{code}">\n'
            f'    <div><a href="#" class="code" hx-get="{esc(rule_url(f.code))}" '
            f'hx-target="#rule-doc" title="Open the rule{_APOSTROPHE}s documentation">{code}</a>\n'
            f'      <span class="tag c-grey">{category}</span>\n'
            f'      <a href="#" data-line="{line}" class="muted">line {line}</a></div>\n'
            f'    <div class="message">{esc(f.message)}</div>\n'
        )
        if f.excerpt:
            html += f'    <div class="context"><mark>{esc(f.excerpt[:300])}</mark></div>\n'
        if f.suggestion:
            html += f'    <div class="muted suggestion">Try: {esc(f.suggestion)}</div>\n'
        parts.append(html + "  </div>")
    return mark_safe("\n".join(parts))


def action_item_rows(items: Iterable[Mapping[str, Any]], *, today: date) -> SafeString:
    """The review page's table of action items: key, text, status and due date, a row each
    (overdue ones marked), as the template's loop showed them."""
    rows = [
        f'<tr class="{"overdue" if action_is_overdue(i["status"], i["due"], today) else ""}">'
        f"<td>{esc(i['key'])}</td><td>{esc(i['text'])}</td>"
        f"<td>{badge(ActionStatusChoices, i['status'])}</td>"
        f'<td class="due">{esc(text(i["due"]))}</td></tr>\n      '
        for i in items
    ]
    return mark_safe("".join(rows) or '<tr><td class="muted">None yet.</td></tr>')


def comments_html(comments: Iterable[Mapping[str, Any]]) -> SafeString:
    """The review page's comments, oldest first: who, when, at which revision, what."""
    parts = []
    for c in comments:
        when = date_format(timezone.localtime(c["created_at"]), "Y-m-d H:i")
        parts.append(
            f'<div class="cardlet"><strong>{esc(c["author"] or "someone")}</strong> '
            f'<span class="muted">{esc(when)} · revision {esc(c["revision"])}</span>'
            f"<div>{linebreaksbr(c['body'], autoescape=True)}</div></div>\n      "
        )
    return mark_safe("".join(parts) or '<p class="muted">No comments yet.</p>')
