"""Search: full-text matches with filters and highlights, limited to what the person may see.

SQLite uses the FTS5 table (bm25 rank, `snippet` and `highlight`); PostgreSQL the generated
`tsvector` column (`websearch_to_tsquery`, `ts_rank_cd` over the `RANK_CANDIDATES` most
recent matches, `ts_headline`). Both run in two steps: the ranked page of ids first, then
highlights for those ids only, so highlighting costs the same however many entries match.
Visibility is the incidents app's rule, applied in the same query, so restricted incidents
are absent from results and counts alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from nofault.web.choices import (
    ActionStatusChoices,
    ChoiceSet,
    IncidentStatusChoices,
    PostmortemStatusChoices,
)
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.selectors import draft_reader_filter
from nofault.web.search.models import SearchEntry

FILTERS = ("kind", "severity", "service", "team", "category", "status", "since", "until")
COUNT_CAP = 1_000
PAGE_SIZE = 20
# PostgreSQL ranks at most this many matches, the most recent: `ts_rank_cd` reads each
# match's whole tsvector (out of line, compressed), which for a word in 40,000 entries takes
# a second; the 500 most recent matches are ranked in a few milliseconds.
RANK_CANDIDATES = 500
# Private-use characters mark matches inside the database, so the text can be escaped after.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One entry that matched, with its title and a snippet highlighted as safe HTML."""

    kind: str
    object_id: int
    url: str
    title: SafeString
    snippet: SafeString
    severity: str
    status: str
    team: str
    occurred: date | None
    incident_key: str

    @property
    def kind_label(self) -> str:
        """What the entry is, in words: "Action item", not "action"."""
        return dict(SearchEntry.KINDS).get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The entry's status in words, read in its own kind's choices ("In review")."""
        return STATUS_CHOICES.get(self.kind, PostmortemStatusChoices).label(self.status)


# Each kind's statuses: an incident's, a postmortem's and an action item's differ.
STATUS_CHOICES: dict[str, type[ChoiceSet]] = {
    "incident": IncidentStatusChoices,
    "postmortem": PostmortemStatusChoices,
    "action": ActionStatusChoices,
}


def status_options() -> list[tuple[str, str]]:
    """Every status an entry can have, as (value, label), for the status filter."""
    pairs = {c.value: c.label for choices in STATUS_CHOICES.values() for c in choices.CHOICES}
    return sorted(pairs.items(), key=lambda pair: pair[1])


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, how many entries matched (capped) and the query as understood."""

    query: str
    hits: list[SearchHit]
    total: int
    capped: bool
    offset: int
    filters: dict[str, str] = field(default_factory=dict)
    # How many of the matches can be paged through (PostgreSQL shows the ranked ones only).
    pageable: int | None = None


def _marked(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)


def fts5_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word, the last one as a prefix."""
    words = _WORD.findall(text)[:32]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _clean(filters: dict[str, str] | None) -> dict[str, str]:
    out = {}
    for key in FILTERS:
        value = str((filters or {}).get(key) or "").replace("\x00", "").strip()[:200]
        if value:
            out[key] = value
    return out


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _visible(user: Any) -> QuerySet[SearchEntry]:
    """Entries the user may see: those whose incident the incidents app's rule does not hide.

    Written as "not one of the hidden incidents" so the database reads the few hidden ids
    once (a hashed list), rather than joining every matching entry to its incident. A
    postmortem's entry is checked against its own postmortem only: listing every unread
    draft first read all 100,000 postmortems for each query (150 ms, twice a search).
    """
    rule = visible_incident_filter(user)
    if not rule:  # the rule keeps every incident (admins)
        return SearchEntry.objects.all()
    hidden = Incident.objects.exclude(rule).order_by().values("id")
    entries = SearchEntry.objects.exclude(incident_id__in=hidden)
    drafts = draft_reader_filter(user)
    if drafts is not None:  # drafts the organisation keeps to their participants
        readable = Postmortem.objects.filter(drafts, pk=OuterRef("object_id"))
        entries = entries.filter(~Q(kind="postmortem") | Exists(readable))
    return entries


def _listed(qs: QuerySet[SearchEntry], name: str, value: str) -> QuerySet[SearchEntry]:
    """Entries whose `<name>_index` (",a,b,") lists this value."""
    if connection.vendor == "postgresql" and "," not in value:
        # The same test on the generated array column, which a GIN index serves (0003).
        return qs.extra(where=[f"search_searchentry.{name}_list @> ARRAY[%s]::text[]"],
                        params=[value])  # fmt: skip
    return qs.filter(**{f"{name}_index__contains": f",{value},"})


def _compared(
    qs: QuerySet[SearchEntry], column: str, op: str, value: Any, *, fts_first: bool
) -> QuerySet[SearchEntry]:
    """`column op value`; with `fts_first`, written so SQLite uses no index for it.

    SQLite would otherwise start from the column's index and ask FTS5 about each entry in
    turn (seconds for a common severity); `+column` makes it find the matches first.
    """
    if fts_first:
        raw = value.isoformat() if isinstance(value, date) else value
        return qs.extra(where=[f"+search_searchentry.{column} {op} %s"], params=[raw])
    lookup = {"=": "exact", ">=": "gte", "<=": "lte"}[op]
    return qs.filter(**{f"{column}__{lookup}": value})


def _filtered(user: Any, f: dict[str, str], *, fts_first: bool = False) -> QuerySet[SearchEntry]:
    qs = _visible(user)
    if f.get("kind"):
        qs = _compared(qs, "kind", "=", f["kind"], fts_first=fts_first)
    if f.get("severity"):
        qs = _compared(qs, "severity", "=", f["severity"], fts_first=fts_first)
    if f.get("service"):
        qs = _listed(qs, "services", f["service"].lower())
    if f.get("team"):
        qs = qs.filter(team__iexact=f["team"])
    if f.get("category"):
        qs = _listed(qs, "categories", f["category"].lower())
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if since := _date(f.get("since")):
        qs = _compared(qs, "occurred", ">=", since, fts_first=fts_first)
    if until := _date(f.get("until")):
        qs = _compared(qs, "occurred", "<=", until, fts_first=fts_first)
    return qs


_TSQ = "websearch_to_tsquery('english', %s)"


def _matching(qs: QuerySet[SearchEntry], query: str) -> QuerySet[SearchEntry] | None:
    if connection.vendor == "postgresql":
        return qs.extra(where=[f"search_searchentry.document @@ {_TSQ}"], params=[query])
    fts = fts5_query(query)
    if not fts:
        return None
    return qs.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts],
        select={"rank": "-bm25(search_fts, 4.0, 1.0)"},
    )


# PostgreSQL reads the most recent matches a stretch of time at a time, newest first: each
# stretch is one index lookup (the GIN index and the date index, ANDed) that reads only the
# entries matching in that stretch. The first covers `FIRST_WINDOW_DAYS`; each next one is
# sized from how many matched per day so far, so a common word stops after a few weeks and
# a rare one reads all its matches in a few steps (after `MAX_WINDOWS`, everything older).
FIRST_WINDOW_DAYS = 30
MAX_WINDOWS = 7


def _recent_ids(matched: QuerySet[SearchEntry], *, limit: int) -> list[int]:
    """Ids of the `limit` most recent matches (newest first, then highest id), on PostgreSQL."""
    # `+ 0` keeps the planner off walking the date index in order: that would test (and
    # decompress) every entry's tsvector until enough match.
    order = (
        RawSQL("search_searchentry.occurred + 0", ()).desc(nulls_last=True),
        RawSQL("search_searchentry.id + 0", ()).desc(),
    )
    today = timezone.now().date()
    ids: list[int] = []
    newer: date | None = None
    older: date | None = today - timedelta(days=FIRST_WINDOW_DAYS)
    for step in range(1, MAX_WINDOWS + 1):
        part = matched
        if older is not None:
            part = part.filter(occurred__gte=older)
        if newer is not None:
            part = part.filter(Q(occurred__lt=newer) | Q(occurred__isnull=True) if older is None
                               else Q(occurred__lt=newer))  # fmt: skip
        ids += part.order_by(*order).values_list("id", flat=True)[: limit - len(ids)]
        if len(ids) >= limit or older is None:
            break
        covered = max(1, (today - older).days)
        # None yet: look eight times as far back. Some: as far back as their rate says, at
        # most the stretch covered so far (recent incidents have few postmortems yet, so
        # the first rate undercounts the older ones: 65 in 30 days, then 7,630 in 540).
        days = (
            covered * 8
            if not ids
            else min((limit - len(ids)) * covered * 5 // (len(ids) * 4) + 1, covered)
        )
        newer = older
        older = None if step + 1 == MAX_WINDOWS else older - timedelta(days=min(days, 36_500))
    return ids


def _ranked(ids: list[int], query: str) -> QuerySet[SearchEntry]:
    """These entries with their PostgreSQL `ts_rank_cd` as `rank`."""
    return SearchEntry.objects.filter(id__in=ids).annotate(
        rank=RawSQL(f"ts_rank_cd(search_searchentry.document, {_TSQ})", (query,))
    )


def _highlights(ids: list[int], query: str) -> dict[int, tuple[str, str]]:
    if not ids or not query:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            options = (
                f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, "
                'MaxFragments=2, FragmentDelimiter=" … "'
            )
            cursor.execute(
                "SELECT e.id, ts_headline('english', e.title, q, %s), "
                "ts_headline('english', left(e.body, 20000), q, %s) "
                f"FROM search_searchentry e, websearch_to_tsquery('english', %s) q "
                f"WHERE e.id IN ({marks})",
                [f"HighlightAll=true, StartSel={_START}, StopSel={_STOP}", options, query, *ids],
            )
        else:
            cursor.execute(
                "SELECT rowid, highlight(search_fts, 0, %s, %s), "
                "snippet(search_fts, 1, %s, %s, ' … ', 24) FROM search_fts "
                f"WHERE search_fts MATCH %s AND rowid IN ({marks})",
                [_START, _STOP, _START, _STOP, fts5_query(query), *ids],
            )
        return {int(row[0]): (row[1] or "", row[2] or "") for row in cursor.fetchall()}


def search(
    *,
    user: Any,
    query: str,
    filters: dict[str, str] | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> SearchResult:
    """Entries the user may see that match the words and the filters, best first."""
    query = query.replace("\x00", "").strip()[:500]
    f = _clean(filters)
    offset = max(0, min(int(offset), 10_000))
    limit = max(1, min(int(limit), 100))
    base = _filtered(user, f, fts_first=bool(query) and connection.vendor == "sqlite")
    matched = _matching(base, query) if query else None
    if query and matched is None:
        return SearchResult(query, [], 0, False, offset, f)
    shown: QuerySet[SearchEntry] = matched if matched is not None else base
    pageable = None
    if matched is not None and connection.vendor == "postgresql":
        # One pass finds the count (up to the cap) and the most recent matches to rank.
        recent = _recent_ids(matched, limit=COUNT_CAP + 1)
        total = len(recent)
        pageable = min(total, RANK_CANDIDATES)
        shown = _ranked(recent[:RANK_CANDIDATES], query)
    else:
        total = len(shown.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
    order = ("-rank", "-occurred", "-id") if matched is not None else ("-occurred", "-id")
    page = list(
        shown.order_by(*order).values_list(
            "id", "kind", "object_id", "url", "title", "body", "severity", "status", "team",
            "occurred", "incident__key",
        )[offset : offset + limit]
    )  # fmt: skip
    marks = _highlights([row[0] for row in page], query) if matched is not None else {}
    hits = []
    for pk, kind, object_id, url, title, body, severity, status, team, occurred, key in page:
        marked_title, snippet = marks.get(pk, (title, body[:240]))
        hits.append(
            SearchHit(
                kind=kind, object_id=object_id, url=url, title=_marked(marked_title),
                snippet=_marked(snippet or body[:240]), severity=severity, status=status,
                team=team, occurred=occurred, incident_key=key,
            )
        )  # fmt: skip
    return SearchResult(query, hits, min(total, COUNT_CAP), total > COUNT_CAP, offset, f,
                        pageable=pageable)  # fmt: skip


MAX_TEAMS = 200


def facet_values(*, user: Any) -> dict[str, list[str]]:
    """The teams the filters offer, from entries the user may see.

    A skip scan over the `team` index: each step asks for the next larger team name with an
    entry the user may see, so it costs about one index lookup per team, not a read of every
    entry (there are several per postmortem).
    """
    table = SearchEntry._meta.db_table
    rule = visible_incident_filter(user)
    hidden, params = ("", ())
    if rule:  # leave out entries of incidents the rule hides (see `_visible`)
        hidden_ids = Incident.objects.exclude(rule).order_by().values("id")
        sql, params = hidden_ids.query.sql_with_params()
        hidden = f" AND e.incident_id NOT IN ({sql})"
    step = f"SELECT min(e.team) FROM {table} e WHERE e.team > %s{hidden}"
    query = (
        f"WITH RECURSIVE teams(team) AS ({step.replace('%s', chr(39) * 2, 1)} "
        f"UNION ALL SELECT ({step.replace('%s', 'teams.team', 1)}) FROM teams "
        f"WHERE teams.team IS NOT NULL) "
        f"SELECT team FROM teams WHERE team IS NOT NULL LIMIT {MAX_TEAMS}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *params])
        return {"teams": [row[0] for row in cursor.fetchall()]}
