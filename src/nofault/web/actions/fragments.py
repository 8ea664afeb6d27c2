"""Action cards and rows as HTML, built in Python: a board of cards through the template
engine (an include and two forms a card) cost more than the rest of the request.

Every status button belongs to the page's one status form (`<button form=...>` with its own
`formaction`), so a page carries one CSRF token instead of two forms a card, and closing
works without JavaScript. Every value is escaped with `esc`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from nofault.web.actions.models import action_is_overdue
from nofault.web.choices import ActionStatusChoices
from nofault.web.rendering import badge, esc, text, url_maker

STATUS_FORM_ID = "action-status"
_OPEN = ActionStatusChoices.OPEN_VALUES


class _Urls:
    def __init__(self) -> None:
        self.postmortem = url_maker("postmortems:detail")
        self.status = url_maker("actions:status")
        self.tracker = url_maker("integrations-pages:action-item-tracker")


def _controls(item: Mapping[str, Any], urls: _Urls, can_change: bool) -> str:
    """The status buttons of an open item, or who closed it and when."""
    status = item["status"]
    if status in _OPEN:
        if not can_change:
            return ""
        url = esc(urls.status(item["id"]))
        html = (
            f'<button form="{STATUS_FORM_ID}" formaction="{url}" name="status" value="done" '
            f'class="secondary close-item" data-key="{esc(item["key"])}">'
            f"Close{_which(item)}</button>"
        )
        if status == "open":
            html += (
                f' <button form="{STATUS_FORM_ID}" formaction="{url}" name="status" '
                f'value="in_progress" class="secondary">Start{_which(item)}</button>'
            )
        return html
    if item["closed_at"]:
        when = date_format(timezone.localtime(item["closed_at"]), "Y-m-d")
        who = item["closed_by__username"] or "—"
        return f'<span class="muted">closed by {esc(who)} on {esc(when)}</span>'
    return ""


def _which(item: Mapping[str, Any]) -> str:
    """Hidden words naming the item, so a screen reader's list of buttons tells them apart."""
    return (
        f'<span class="visually-hidden"> {esc(item["key"])} of '
        f"{esc(item['postmortem__incident__key'])}</span>"
    )


def _due(due: date | None, overdue: bool) -> str:
    # Overdue is said in words too, not by colour alone.
    if due is None:
        return ""
    return f"overdue, due {esc(text(due))}" if overdue else f"due {esc(text(due))}"


def board_column(
    choice: Any, *, cards: str, count_label: str, more: int, more_label: str
) -> SafeString:
    """One column of the board: its status as a tag, how many items, its first cards and
    a link to the list of the rest when there are more."""
    more_html = (
        f'<p class="muted"><a href="{esc(_list_url())}?status={esc(choice.value)}">'
        f"{esc(more_label)} more…</a></p>"
        if more
        else ""
    )
    return mark_safe(
        f'\n  <div class="column" data-status="{esc(choice.value)}">\n'
        f'    <h2><span class="tag c-{esc(choice.colour)}">{esc(choice.label)}</span> '
        f'<span class="muted">{esc(count_label)}</span></h2>\n'
        f"{cards}\n"
        f"    {more_html}\n"
        "  </div>\n"
    )


def _list_url() -> str:
    prefix = get_script_prefix()
    url = _LIST_URLS.get(prefix)
    if url is None:
        url = _LIST_URLS[prefix] = reverse("actions:list")
    return url


_LIST_URLS: dict[str, str] = {}


def action_cards(
    items: Iterable[Mapping[str, Any]], *, today: date, can_change: bool
) -> SafeString:
    """The board's cards: key, incident, text, owner, due date, tracker link, buttons.

    Each item is a row of `selectors.CARD_FIELDS`.
    """
    urls = _Urls()
    return mark_safe("\n".join(_card(item, urls, today, can_change) for item in items))


def _card(item: Mapping[str, Any], urls: _Urls, today: date, can_change: bool) -> str:
    due = item["due"]
    late = action_is_overdue(item["status"], due, today)
    overdue = "overdue" if late else ""
    due_html = f' · <span class="due">{_due(due, late)}</span>' if due else ""
    return (
        f'    <div class="cardlet {overdue}" id="action-{esc(item["id"])}">\n'
        f"      <div><strong>{esc(item['key'])}</strong> · "
        f'<a href="{esc(urls.postmortem(item["postmortem_id"]))}">'
        f"{esc(item['postmortem__incident__key'])}</a></div>\n"
        f"      <div>{esc(item['text'])}</div>\n"
        f'      <div class="muted">{esc(item["owner"] or "no owner")}{due_html}</div>\n'
        f'      <a class="tracker-link" href="{esc(urls.tracker(item["id"]))}">'
        f"Tracker{_which(item)}</a> "
        f"{_controls(item, urls, can_change)}\n"
        "    </div>"
    )


def _row(item: Mapping[str, Any], urls: _Urls, today: date, can_change: bool) -> str:
    late = action_is_overdue(item["status"], item["due"], today)
    overdue = "overdue" if late else ""
    return (
        f'<tr class="{overdue}"><td>{esc(item["key"])}</td>'
        f'<td><a href="{esc(urls.postmortem(item["postmortem_id"]))}">'
        f"{esc(item['postmortem__incident__key'])}</a></td>"
        f"<td>{esc(item['text'])}</td><td>{esc(item['owner'])}</td>"
        f'<td class="due">{_due(item["due"], late)}</td>'
        f"<td>{badge(ActionStatusChoices, item['status'])}</td>"
        f'<td><a class="tracker-link" href="{esc(urls.tracker(item["id"]))}">'
        f"Tracker{_which(item)}</a> "
        f"{_controls(item, urls, can_change)}</td></tr>"
    )


def action_rows(items: Iterable[Mapping[str, Any]], *, today: date, can_change: bool) -> SafeString:
    """The list's rows: item, incident, action, owner, due date, status, buttons (each a row
    of `selectors.CARD_FIELDS`)."""
    urls = _Urls()
    return mark_safe("\n".join(_row(item, urls, today, can_change) for item in items))
