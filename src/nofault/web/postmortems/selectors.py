"""Postmortem queries, always limited to incidents the person may see."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from nofault.web.accounts.models import User
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import built_once, fetch_built, visible_incident_filter
from nofault.web.postmortems.models import Postmortem
from nofault.web.rendering import markdown_to_html

BODY_CACHE_SECONDS = 24 * 60 * 60


def postmortem_list_visible(
    *, user: Any, filters: dict[str, str] | None = None
) -> QuerySet[Postmortem]:
    """Postmortems of incidents the user may see."""
    qs = Postmortem.objects.filter(visible_incident_filter(user, "incident__")).select_related(
        "incident"
    )
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("severity"):
        qs = qs.filter(incident__severity=f["severity"])
    return qs


# What the postmortem's page shows: the other columns (and the incident's) are not read.
PAGE_COLUMNS = (
    "incident_id", "source", "revision", "status", "title", "findings", "blame_count",
    "published_at", "published_by_id", "incident__key", "published_by__username",
    "rendered__revision", "rendered__html",
)  # fmt: skip


def postmortem_get_visible(*, user: Any, pk: int, with_people: bool = False) -> Postmortem:
    """One visible postmortem, or 404 (never a 403 that would tell it exists).

    `with_people` reads who published it and its rendered HTML in the same query, for the
    page that shows it.
    """
    qs = postmortem_list_visible(user=user)
    if with_people:
        qs = qs.select_related("published_by", "rendered").only(*PAGE_COLUMNS)
    pm = qs.filter(pk=pk).first()
    if pm is None:
        raise Http404("no such postmortem")
    return pm


def postmortem_for_page(*, user: Any, pk: int) -> Postmortem:
    """The visible postmortem its page shows (PAGE_COLUMNS, the incident's key, who
    published it, its rendered HTML), or 404; `postmortem_page_lists` gives its action
    items and comments.

    On PostgreSQL one statement, built once per kind of person (`built_once`) and read with
    a plain cursor: the incident and publisher come as their key and name only, the action
    items and comments as two JSON arrays of the columns the page shows.
    """
    if connection.vendor != "postgresql":
        return postmortem_get_visible(user=user, pk=pk, with_people=True)

    def build(someone: Any, pk_mark: int) -> tuple[str, list[Any]]:
        qs = (
            postmortem_list_visible(user=someone)
            .filter(pk=pk_mark)
            .order_by()
            .values(
                *_PAGE_FIELDS,
                incident_key=F("incident__key"), publisher=F("published_by__username"),
                rendered_revision=F("rendered__revision"), rendered_html=F("rendered__html"),
                items_json=RawSQL(_ITEMS_JSON, []), comments_json=RawSQL(_COMMENTS_JSON, []),
            )[:1]
        )  # fmt: skip
        sql, params = qs.query.sql_with_params()
        return sql, list(params)

    sql, params = built_once(user, ("postmortem page",), None, build, ids=(pk,))
    names, found = fetch_built(sql, params)
    if not found:
        raise Http404("no such postmortem")
    row = dict(zip(names, found[0], strict=True))
    row["findings"] = _json(row["findings"])
    db = connection.alias
    pm = Postmortem.from_db(db, _PAGE_FIELDS, [row[name] for name in _PAGE_FIELDS])
    pm.incident = Incident.from_db(db, ["id", "key"], [pm.incident_id, row["incident_key"]])
    if pm.published_by_id is not None:
        pm.published_by = User.from_db(
            db, ["id", "username"], [pm.published_by_id, row["publisher"]]
        )
    pm.rendered_revision = row["rendered_revision"]
    pm.rendered_html = row["rendered_html"]
    pm.page_lists = (
        [
            {"key": key, "text": text, "status": status, "due": _date(due)}
            for key, text, status, due in _json(row["items_json"])
        ],
        [
            {"author": author, "body": body, "revision": revision,
             "created_at": datetime.fromisoformat(created_at)}
            for author, body, revision, created_at in _json(row["comments_json"])
        ],
    )  # fmt: skip
    return pm


_PAGE_FIELDS = (
    "id", "incident_id", "source", "revision", "status", "title", "findings", "blame_count",
    "published_at", "published_by_id",
)  # fmt: skip
# The page's action items (in table order) and comments (oldest first), as JSON arrays of
# the columns shown, read in the postmortem's own statement on PostgreSQL.
_ITEMS_JSON = (
    'SELECT COALESCE(json_agg(json_build_array("i"."key", "i"."text", "i"."status", "i"."due") '
    'ORDER BY "i"."position", "i"."id"), \'[]\') FROM "actions_actionitem" AS "i" '
    'WHERE "i"."postmortem_id" = "postmortems_postmortem"."id"'
)
_COMMENTS_JSON = (
    'SELECT COALESCE(json_agg(json_build_array("u"."username", "c"."body", "c"."revision", '
    '"c"."created_at") ORDER BY "c"."created_at", "c"."id"), \'[]\') '
    'FROM "postmortems_comment" AS "c" LEFT OUTER JOIN "accounts_user" AS "u" '
    'ON "u"."id" = "c"."author_id" WHERE "c"."postmortem_id" = "postmortems_postmortem"."id"'
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def postmortem_page_lists(
    *, postmortem: Postmortem
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The action items (key, text, status, due; in table order) and comments (author,
    body, revision, created_at; oldest first) the postmortem's page shows, as rows."""
    read = getattr(postmortem, "page_lists", None)  # read by postmortem_for_page
    if read is not None:
        return cast(tuple[list[dict[str, Any]], list[dict[str, Any]]], read)
    items = list(
        postmortem.action_items.order_by("position", "id").values("key", "text", "status", "due")
    )
    comments = [
        {"author": author, "body": body, "revision": revision, "created_at": created_at}
        for author, body, revision, created_at in postmortem.comments.order_by(
            "created_at", "id"
        ).values_list("author__username", "body", "revision", "created_at")
    ]
    return items, comments


def _has_rendered(postmortem: Postmortem) -> bool:
    """Tell whether the rendered HTML was read with the row (never a query of its own)."""
    return Postmortem.rendered.is_cached(postmortem)


def postmortem_body_html(*, postmortem: Postmortem) -> str:
    """The postmortem's Markdown as sanitised HTML: as rendered at its last save.

    A postmortem saved before the HTML was kept (or read without it) is rendered once per
    revision and source and cached; the key holds the revision and a digest of the source,
    so a save (or any change of the source) renders afresh and an old entry is never shown.
    """
    html = getattr(postmortem, "rendered_html", None)  # read by postmortem_for_page
    if html is not None and getattr(postmortem, "rendered_revision", None) == postmortem.revision:
        return str(html)
    rendered = getattr(postmortem, "rendered", None) if _has_rendered(postmortem) else None
    if rendered is not None and rendered.revision == postmortem.revision:
        return rendered.html
    digest = hashlib.blake2b(postmortem.source.encode(), digest_size=12).hexdigest()
    key = f"postmortem-body:{postmortem.pk}:{postmortem.revision}:{digest}"
    html = cache.get(key)
    if html is None:
        html = markdown_to_html(postmortem.source)
        cache.set(key, html, BODY_CACHE_SECONDS)
    return str(html)
