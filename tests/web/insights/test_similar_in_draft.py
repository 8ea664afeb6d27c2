"""A new draft lists the similar earlier postmortems its author may read, with their open
action items, only above the similarity index's measured `likely` score, and the list
raises no finding and moves no score."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nofault.core.insights.similar import LIKELY_SCORE
from nofault.core.markdown import parse_text
from nofault.web.incidents.models import Incident
from nofault.web.insights import selectors
from nofault.web.postmortems.linting import lint_source
from nofault.web.postmortems.models import Postmortem
from tests.web.factories import make_incident, make_postmortem, make_user
from tests.web.insights.conftest import publish

pytestmark = pytest.mark.django_db

TITLE = "Checkout requests failed after a configuration push"
BLOCK = re.compile(r"<!-- Similar earlier postmortems.*?-->", re.DOTALL)


def _draft(author: Any, incident: Incident) -> Postmortem:
    client = Client()
    client.force_login(author)
    assert client.post(f"/postmortems/new/{incident.key}/").status_code == 302
    return Postmortem.objects.get(incident=incident)


def _earlier(owner: Any, **fields: Any) -> Postmortem:
    incident = make_incident(owner, title=TITLE, severity="SEV2", services=["checkout"], **fields)
    return publish(make_postmortem(owner, incident), owner)


# A full review's template has a links section; the light one (SEV4) has none, so the list
# goes before its action items.
@pytest.mark.parametrize(("severity", "place"), [("SEV2", "links"), ("SEV4", "action_items")])
def test_a_draft_lists_a_similar_earlier_postmortem_and_its_open_items(
    author: Any, severity: str, place: str
) -> None:
    earlier = _earlier(author)
    incident = make_incident(author, title=TITLE, severity=severity, services=["checkout"])
    pm = _draft(author, incident)
    (block,) = BLOCK.findall(pm.source)
    assert f"/postmortems/{earlier.pk}/" in block and earlier.incident.key in block
    assert "Checkout requests failed" in block
    # Its open items with owner and due date (the factories' A1 and A2 are both open).
    for item in (
        "open: A1 Send configuration through the canary (owner: team-checkout; due 2020-01-01)",
        "open: A2 Alert on error growth (owner: team-checkout; due 2099-01-01)",
    ):
        assert item in block
    # In the links section, where the template asks for related postmortems.
    doc = parse_text(pm.source).postmortem
    (section,) = [s for s in doc.sections if s.kind.value == place]
    assert "Similar earlier postmortems" in section.body
    # The block raises no finding and moves no score: the same text without it lints the same.
    without = lint_source(BLOCK.sub("", pm.source))[1]
    assert sorted(f["code"] for f in pm.findings) == sorted(f.code for f in without.findings)
    assert pm.depth_score == without.score
    assert doc.action_items == []


def test_a_restricted_postmortem_the_author_cannot_read_is_not_listed(author: Any) -> None:
    owner = make_user("facilitator")
    hidden = _earlier(owner, restricted=True)
    incident = make_incident(author, title=TITLE, severity="SEV2", services=["checkout"])
    pm = _draft(author, incident)
    assert f"/postmortems/{hidden.pk}/" not in pm.source
    assert hidden.incident.key not in pm.source
    assert not BLOCK.search(pm.source)
    # A member of the restricted incident gets it in their draft.
    other = make_incident(owner, title=TITLE, severity="SEV2", services=["checkout"])
    assert f"/postmortems/{hidden.pk}/" in _draft(owner, other).source


def test_nothing_below_the_measured_threshold_is_listed(author: Any) -> None:
    earlier = _earlier(author)
    incident = make_incident(author, title="Checkout page slow", severity="SEV3",
                             services=["checkout"])  # fmt: skip
    pm = _draft(author, incident)
    assert not BLOCK.search(pm.source)
    # The index does find the earlier one (same service, a shared word), under the threshold.
    (match,) = selectors.similar_for_text(user=author, source=pm.source)
    assert match.record.key == f"pm{earlier.pk}" and 0 < match.score < LIKELY_SCORE
