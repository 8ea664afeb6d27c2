"""The search page: words, filters, highlighted matches; HTMX swaps the results as you type."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nofault.core.document import FactorCategory
from nofault.web.choices import Severity
from nofault.web.paging import whole_number
from nofault.web.search import selectors


def _int(raw: str | None) -> int:
    return whole_number(raw, default=0) or 0


def search_page(request: HttpRequest) -> HttpResponse:
    """Search incidents, postmortems and action items the person may see."""
    query = request.GET.get("q", "")
    filters = {k: request.GET.get(k, "") for k in selectors.FILTERS}
    result = selectors.search(
        user=request.user, query=query, filters=filters, offset=_int(request.GET.get("offset"))
    )
    partial = bool(request.headers.get("HX-Request"))  # the results alone, as one types
    context = {
        "result": result,
        "q": result.query,
        "f": result.filters,
        "severities": Severity.values(),
        "categories": [c.value for c in FactorCategory],
        "statuses": selectors.status_options(),
        "kinds": selectors.SearchEntry.KINDS,
        "facets": {} if partial else selectors.facet_values(user=request.user),
        "next_offset": result.offset + selectors.PAGE_SIZE,
        "has_more": result.offset + selectors.PAGE_SIZE
        < (result.pageable if result.pageable is not None else result.total),
    }
    template = "search/_results.html" if partial else "search/page.html"
    return render(request, template, context)
