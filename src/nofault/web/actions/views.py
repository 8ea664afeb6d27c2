"""The action board and list across every visible postmortem; closing records who and when."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from nofault.web.actions import fragments, selectors, services
from nofault.web.actions.forms import ActionFilterForm, StatusForm
from nofault.web.api_errors import ServiceError
from nofault.web.choices import ActionStatusChoices, Role
from nofault.web.paging import Page, page_number

BOARD_LIMIT = 10  # cards a column shows; "N more…" opens the list of the rest
# Columns count at most this many items: an exact count of a column of 100,000 items costs
# a scan of them all through the access join; "1,000+" says as much to a reader.
BOARD_COUNT_CAP = 1000


def _filters(request: HttpRequest) -> tuple[SafeString, dict[str, str]]:
    """The filters form as HTML and the filters it gives."""
    form = ActionFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    return SafeString(render_to_string("actions/_filters.html", {"form": form})), filters


def action_board(request: HttpRequest) -> HttpResponse:
    """Columns by status, the first cards of each and how many more; overdue cards highlighted."""
    filters_html, filters = _filters(request)
    statuses = ActionStatusChoices.values()
    firsts, counts = selectors.action_item_board_visible(
        user=request.user,
        statuses=statuses,
        filters=filters,
        limit=BOARD_LIMIT,
        cap=BOARD_COUNT_CAP,
    )
    today = timezone.localdate()
    can_change = _can_change(request)
    columns = []
    for choice in ActionStatusChoices.CHOICES:
        items = firsts[choice.value]
        count = counts.get(choice.value, len(items))
        plus = "+" if count > BOARD_COUNT_CAP else ""
        count = min(count, BOARD_COUNT_CAP)
        more = count - len(items)
        columns.append(
            fragments.board_column(
                choice,
                cards=fragments.action_cards(items, today=today, can_change=can_change),
                count_label=f"{count:,}{plus}",
                more=more,
                more_label=f"{more:,}{plus}",
            )
        )
    return render(
        request,
        "actions/board.html",
        {
            "filters_html": filters_html,
            "columns": mark_safe("".join(columns)),
            "status_form": fragments.STATUS_FORM_ID,
        },
    )


def _can_change(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) != Role.VIEWER


LIST_PER_PAGE = 100


def action_list(request: HttpRequest) -> HttpResponse:
    """Every visible action item as a table, filtered, a page at a time.

    As on the board, the heading counts up to a cap ("1,000+": the columns' capped counts
    added up) and one row read past the page tells whether another follows: an exact count
    of 300,000 items through the access rule cost more than half a second.
    """
    filters_html, filters = _filters(request)
    number = page_number(request.GET.get("page"))
    qs = selectors.action_item_list_visible(user=request.user, filters=filters)
    offset = (number - 1) * LIST_PER_PAGE
    items = list(qs.values(*selectors.CARD_FIELDS)[offset : offset + LIST_PER_PAGE + 1])
    page = Page(number=number, has_next=len(items) > LIST_PER_PAGE)
    counts = selectors.action_item_counts_visible(
        user=request.user,
        statuses=ActionStatusChoices.values(),
        filters=filters,
        cap=BOARD_COUNT_CAP,
    )
    total = sum(counts.values())  # exact while every status is under the cap
    query = request.GET.copy()
    query.pop("page", None)
    rows = fragments.action_rows(
        items[:LIST_PER_PAGE], today=timezone.localdate(), can_change=_can_change(request)
    )
    return render(
        request,
        "actions/list.html",
        {
            "filters_html": filters_html,
            "page": page,
            "rows": rows,
            "empty": not items,
            "total": f"{BOARD_COUNT_CAP:,}+" if total > BOARD_COUNT_CAP else f"{total:,}",
            "query": query.urlencode(),
            "status_form": fragments.STATUS_FORM_ID,
        },
    )


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an item's status (closing records who and when)."""
    item = selectors.action_item_get_visible(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
    else:
        try:
            services.action_item_set_status(
                item=item,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason") or None,
            )
            messages.success(
                request, f"{item.key} is now {ActionStatusChoices.label(item.status)}."
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
    target = str(request.POST.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)  # redirect() would read "x" as a view name
    return redirect("actions:board")
