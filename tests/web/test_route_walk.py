"""Every route, pages and API, GET and POST, as an admin, an author and nobody signed in, with
generated query strings and form bodies: no single request may answer 500.

The values are the ones that broke pages before: digits that are not ASCII (`²`, `٣`), numbers
past any column's range, dates out of range, empty values, long strings, NUL characters.
Each route is asked once per person and method (a few hundred requests); a larger run of the
same walk is `benchmarks/route_walk.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.web.factories import make_incident, make_postmortem, make_user

# The names views read from query strings and forms.
NAMES = [
    "page", "offset", "limit", "since", "until", "q", "base_revision", "score", "fmt",
    "severity", "status", "service", "owner", "overdue", "postmortem", "role", "team", "kind",
    "next", "source", "title", "key", "id", "text", "body", "message", "reviewers", "username",
    "password", "reason", "values", "principles", "config", "days", "window", "number", "type",
    "due", "time", "restricted", "has_postmortem", "services", "level", "answer", "comment",
]  # fmt: skip
ODD_VALUES = [
    "²", "9" * 25, "0001-01-01", "", "x" * 5000, "\x00", "-1", "abc", "٣", "1e309",
    " ", "0", "NaN", "9999-12-31", "2026-02-30", "null", "[]", "true", "../..", "%", "ＩＮＣ",
]  # fmt: skip
# The values that broke a page before, first: each route is asked with each of them in turn.
POTENT = 6
VALUES = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=12))
# Every name at once, each with its own value: one request tries each name's reading.
QUERIES = st.fixed_dictionaries({name: VALUES for name in NAMES})
# Fixed queries: across them every name takes each potent value once.
ROTATION = [
    {name: ODD_VALUES[(k + j) % POTENT] for j, name in enumerate(NAMES)} for k in range(POTENT)
]
_GROUP = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def routes() -> Iterator[str]:
    """Every URL pattern as a template with `{name}` where its arguments go."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                yield text

    found = []
    for template in walk(get_resolver().url_patterns, "/"):
        if r"\." in template:
            continue  # a format suffix of an API route already walked
        found.append(_GROUP.sub(lambda m: "{" + (m.group(2) or m.group(3)) + "}", template))
    # Routes that may end the session (signing out, deactivating someone) go last, so the
    # others are walked signed in.
    found.sort(key=lambda t: any(word in t for word in ("logout", "deactivate", "password")))
    return iter([t.replace("\\", "") for t in found])


def _url(template: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), "x")), template)


@pytest.fixture
def world(db: Any) -> tuple[dict[str, Client], dict[str, Any]]:
    """Clients for each person and the ids the routes' arguments take (made once per test)."""
    admin, author = make_user("admin", "walk-admin"), make_user("author", "walk-author")
    incident = make_incident(author)
    pm = make_postmortem(author, incident)
    item = pm.action_items.first()
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in (("admin", admin), ("author", author)):
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    ids = {
        "pk": pm.pk, "key": incident.key, "number": 1, "fmt": "md", "code": "BLM101",
        "format": "json", "rest": "nothing", "uidb64": "MQ", "token": "x-y",
    }  # fmt: skip
    ids["item"] = item.pk if item else 1
    return clients, ids


def test_every_route_is_walked() -> None:
    found = list(routes())
    assert "/postmortems/{pk}/rows/" in found and "/api/incidents/" in found
    assert len(found) > 60


# Hypothesis draws a few full queries per example (drawing one per request would overrun its
# buffer); every route is asked with each of them in turn. Its first example is the simplest
# (every value empty, itself a case worth walking); the second is drawn at random.
@settings(
    max_examples=2,
    phases=[Phase.generate],  # no shrinking: the report lists every failing request as made
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(queries=st.lists(QUERIES, min_size=4, max_size=4))
def test_no_request_answers_500(world: Any, queries: list[dict[str, str]]) -> None:
    clients, ids = world
    failures = []
    turn = 0
    for template in routes():
        url = _url(template, ids)
        for who, client in clients.items():
            for method in (client.get, client.post):
                query = queries[turn % len(queries)]
                turn += 1
                response = method(url, query)
                if response.status_code == 500:
                    failures.append(f"{method.__name__} {url} {query!r} as {who}")
    assert not failures, "\n".join(failures)


def test_every_route_takes_every_potent_value(world: Any) -> None:
    clients, ids = world
    admin = clients["admin"]  # sees the most: every page and form is open to them
    failures = []
    for template in routes():
        url = _url(template, ids)
        for method in (admin.get, admin.post):
            for query in ROTATION:
                status = method(url, query).status_code
                if status == 500:
                    failures.append(f"{method.__name__} {url} {query!r}")
                elif status == 405:
                    break  # the route does not take this method: no query changes that
    assert not failures, "\n".join(f[:300] for f in failures)
