"""Action cards and rows as HTML, built in Python: a board of cards through the template
engine (an include and two forms a card) cost more than the rest of the request.

Every status button belongs to the page's one status form (`<button form=...>` with its own
`formaction`), so a page carries one CSRF token instead of two forms a card, and closing
works without JavaScript. Every value is escaped with `esc`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from nofault.web.actions.models import action_is_overdue
from nofault.web.actions.selectors import CARD_FIELDS
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
            f'class="secondary close-item" data-key="{esc(item["key"])}">Close</button>'
        )
        if status == "open":
            html += (
                f' <button form="{STATUS_FORM_ID}" formaction="{url}" name="status" '
                'value="in_progress" class="secondary">Start</button>'
            )
        return html
    if item["closed_at"]:
        when = date_format(timezone.localtime(item["closed_at"]), "Y-m-d")
        who = item["closed_by__username"] or "—"
        return f'<span class="muted">closed by {esc(who)} on {esc(when)}</span>'
    return ""


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

    Each item is a row of `selectors.CARD_FIELDS`. A card depends only on its row, the day,
    whether the person may change it, the URL prefix and the time zone: the board shows the
    same first cards request after request, so each is built once and kept (`_kept`).
    """
    urls = _Urls()
    cards = []
    made = _kept(_card, "card", today, can_change)
    for item in items:
        cards.append(made(item, urls))
    return mark_safe("\n".join(cards))


def _card(item: Mapping[str, Any], urls: _Urls, today: date, can_change: bool) -> str:
    due = item["due"]
    overdue = "overdue" if action_is_overdue(item["status"], due, today) else ""
    due_html = f' · <span class="due">due {esc(text(due))}</span>' if due else ""
    return (
        f'    <div class="cardlet {overdue}" id="action-{esc(item["id"])}">\n'
        f"      <div><strong>{esc(item['key'])}</strong> · "
        f'<a href="{esc(urls.postmortem(item["postmortem_id"]))}">'
        f"{esc(item['postmortem__incident__key'])}</a></div>\n"
        f"      <div>{esc(item['text'])}</div>\n"
        f'      <div class="muted">{esc(item["owner"] or "no owner")}{due_html}</div>\n'
        f'      <a class="tracker-link" href="{esc(urls.tracker(item["id"]))}">Tracker</a> '
        f"{_controls(item, urls, can_change)}\n"
        "    </div>"
    )


def _row(item: Mapping[str, Any], urls: _Urls, today: date, can_change: bool) -> str:
    overdue = "overdue" if action_is_overdue(item["status"], item["due"], today) else ""
    return (
        f'<tr class="{overdue}"><td>{esc(item["key"])}</td>'
        f'<td><a href="{esc(urls.postmortem(item["postmortem_id"]))}">'
        f"{esc(item['postmortem__incident__key'])}</a></td>"
        f"<td>{esc(item['text'])}</td><td>{esc(item['owner'])}</td>"
        f'<td class="due">{esc(text(item["due"]))}</td>'
        f"<td>{badge(ActionStatusChoices, item['status'])}</td>"
        f'<td><a class="tracker-link" href="{esc(urls.tracker(item["id"]))}">Tracker</a> '
        f"{_controls(item, urls, can_change)}</td></tr>"
    )


_KEPT: dict[tuple[Any, ...], str] = {}
_KEPT_MAX = 4096
_ROW_VALUES = itemgetter(*CARD_FIELDS)


def _kept(
    build: Callable[[Mapping[str, Any], _Urls, date, bool], str],
    kind: str,
    today: date,
    can_change: bool,
) -> Callable[[Mapping[str, Any], _Urls], str]:
    """`build` for a row, kept by everything the HTML depends on: the row's values (every
    column of CARD_FIELDS), the day (overdue), the buttons, the URL prefix, the time zone and
    the language."""
    context = (
        kind, today, can_change, get_script_prefix(), timezone.get_current_timezone_name(),
        get_language(),  # dates are shown in the language's format
    )  # fmt: skip

    def made(item: Mapping[str, Any], urls: _Urls) -> str:
        key = (context, _ROW_VALUES(item))
        html = _KEPT.get(key)
        if html is None:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            html = _KEPT[key] = build(item, urls, today, can_change)
        return html

    return made


def action_rows(items: Iterable[Mapping[str, Any]], *, today: date, can_change: bool) -> SafeString:
    """The list's rows: item, incident, action, owner, due date, status, buttons (each row
    of `selectors.CARD_FIELDS` built once and kept, as the board's cards are)."""
    urls = _Urls()
    made = _kept(_row, "row", today, can_change)
    return mark_safe("\n".join(made(item, urls) for item in items))
