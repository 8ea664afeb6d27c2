"""Rows to records, the insights and themes pages, similar incidents, the report, caching, demo."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from nofault.web.accounts.services import token_issue
from nofault.web.actions.services import action_item_close
from nofault.web.insights import selectors, services
from nofault.web.insights.records import incident_records, postmortem_key, postmortem_records
from nofault.web.postmortems import services as pm_services
from tests.web.factories import SOURCE, make_incident, make_postmortem, make_sponsor, make_user
from tests.web.insights.conftest import login, publish

pytestmark = pytest.mark.django_db

BLAMEFUL = "Bob should have checked the dashboard. He was careless."


def test_records_carry_what_only_the_web_app_knows(author: Any) -> None:
    incident = make_incident(author, title="Blame case", severity="SEV2", services=["checkout"])
    text = (
        SOURCE.format(key=incident.key, title="Blame case").replace(
            "after a configuration push.", f"after a configuration push. {BLAMEFUL}"
        )
        + "\n"
    )
    text = text.replace("review_level: full\n", "review_level: full\nrecurrence_of:\n  - INC-1\n")
    pm = make_postmortem(author, incident, text)
    first_draft_blame = pm.blame_count
    assert first_draft_blame > 0
    item = pm.action_items.get(key="A2")
    action_item_close(item=item, actor=author)
    pm.refresh_from_db()
    reworded = pm.source.replace(BLAMEFUL, "The dashboard did not show the error growth.")
    pm = pm_services.postmortem_save(postmortem=pm, actor=author, source=reworded,
                                     base_revision=pm.revision)  # fmt: skip
    pm = publish(pm, author)
    bare = make_incident(author, title="No review yet")
    (record,) = postmortem_records(pks=[pm.pk])
    assert record.key == postmortem_key(pm.pk) and record.incidents == (incident.key,)
    assert record.blame_findings_first_draft == first_draft_blame
    assert record.blame_findings == 0 and record.status == "published"
    assert record.team == "team-checkout"
    assert record.related_incidents == ("INC-1",)
    assert record.factors[0].category == "process"
    done = next(a for a in record.actions if a.id == "A2")
    assert done.status == "done" and done.closed == timezone.now().date()
    incidents = {i.id: i for i in incident_records()}
    assert bare.key in incidents and incidents[incident.key].related_to == ("INC-1",)
    assert incidents[incident.key].team == "team-checkout"


def test_insights_page_has_charts_and_tables(published: Any, author: Any, viewer: Any) -> None:
    make_incident(author, title="Unreviewed", severity="SEV4")
    page = login(viewer).get("/insights/?period=12m")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") >= 5 and "By severity" in html and "By team" in html
    assert "team-checkout" in html and "SEV4" in html
    figures = selectors.insight_figures(user=viewer, period="12m")
    assert figures["overall"]["incidents"] == 2 and figures["overall"]["published"] == 1
    assert figures["overall"]["review_coverage"] == 0.5
    assert login(viewer).get("/insights/?period=nonsense").status_code == 200


def test_figures_are_cached_per_scope_and_refreshed_on_change(
    published: Any, author: Any, viewer: Any, settings: Any
) -> None:
    settings.NOFAULT_INSIGHTS_STALE_SECONDS = 3600
    first = selectors.insight_figures(user=viewer)
    assert not first["_stale"]
    again = selectors.insight_figures(user=viewer)
    assert again["_built_at"] == first["_built_at"]
    make_incident(author, title="Another")
    stale = selectors.insight_figures(user=viewer)  # served within the window, marked stale
    assert stale["_stale"] and stale["overall"]["incidents"] == 1
    settings.NOFAULT_INSIGHTS_STALE_SECONDS = 0
    assert selectors.insight_figures(user=viewer)["overall"]["incidents"] == 2


@pytest.mark.usefixtures("drafts_open")
def test_themes_page(author: Any, viewer: Any) -> None:
    for i in range(3):
        make_postmortem(author, make_incident(author, title=f"Config push {i}"))
    page = login(viewer).get("/insights/themes/").content.decode()
    assert "canary" in page and "<svg" in page


def test_similar_in_the_editor_skips_restricted(author: Any, secret: dict[str, Any]) -> None:
    earlier = make_incident(author, title="Checkout configuration push",
                            started_at=timezone.now().replace(year=2025, month=6))  # fmt: skip
    old = publish(make_postmortem(author, earlier), author)
    publish(secret["postmortem"], secret["owner"])
    draft = make_postmortem(author)
    services.similarity_index_rebuild()
    client = login(author)
    assert 'id="similar"' in client.get(f"/postmortems/{draft.pk}/edit/").content.decode()
    html = client.post(f"/insights/similar/{draft.pk}/").content.decode()
    assert f"/postmortems/{old.pk}/" in html and "This looks like" in html
    assert "ZZSECRET" not in html and secret["incident"].key not in html
    # The restricted one is in the index: it is the viewer filter that leaves it out.
    index = services.similarity_index_get()
    assert index is not None
    assert postmortem_key(secret["postmortem"].pk) in {r.key for r in index.records}
    # Unsaved text is used when posted.
    live = client.post(f"/insights/similar/{draft.pk}/", {"source": "# Nothing alike\n"})
    assert live.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=author)}")
    data = api.get(f"/api/insights/similar/{draft.pk}").json()
    assert data["similar"] and all("ZZSECRET" not in str(m) for m in data["similar"])


def test_index_is_rebuilt_on_publish(author: Any, django_capture_on_commit_callbacks: Any) -> None:
    pm = make_postmortem(author)
    with django_capture_on_commit_callbacks(execute=True):
        publish(pm, author)
    index = services.similarity_index_get()
    assert index is not None and postmortem_key(pm.pk) in {r.key for r in index.records}


def test_report_from_the_database(published: Any, secret: dict[str, Any], author: Any) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=make_user('viewer'))}")
    md = api.get("/api/insights/report?fmt=md")
    assert md.status_code == 200 and md.content.decode().startswith("# Learning from incidents")
    assert "ZZSECRET" not in md.content.decode()
    html = api.get(f"/api/insights/report?fmt=html&since={date.today().replace(day=1)}")
    assert html.status_code == 200 and "<svg" in html.content.decode()
    assert api.get("/api/insights/report?fmt=doc").status_code == 400
    assert api.get("/api/insights/report?since=yesterday").status_code == 400
    page = login(author).get("/insights/report.md")
    assert page.status_code == 200 and "attachment" in page["Content-Disposition"]


def test_cli_report_from_a_server(published: Any, live_server: Any, tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from nofault.cli.main import app

    token = token_issue(user=make_user("viewer"))
    out = tmp_path / "report.md"
    result = CliRunner().invoke(
        app, ["report", "--format", "md", "--server", live_server.url, "--token", token,
              "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Learning from incidents")
    bad = CliRunner().invoke(app, ["report", "-f", "md", "--server", live_server.url,
                                   "--token", "wrong"])  # fmt: skip
    assert bad.exit_code == 2


def test_demo_shows_every_insight(db: Any) -> None:
    from nofault.web.demo import demo_load

    demo_load()
    admin = make_user("admin")
    client = login(admin)
    assert "<mark>" in client.get("/search/?q=certificate").content.decode()
    assert "Recurring themes" in client.get("/insights/themes/").content.decode()
    assert client.get("/insights/").content.decode().count("<svg") >= 5
    from nofault.web.postmortems.models import Postmortem

    review = Postmortem.objects.get(incident__key="INC-1001")
    assert selectors.pulse_results(postmortem=review)["shown"]
    draft = Postmortem.objects.filter(status="draft", incident__key="INC-1005").first()
    html = client.post(f"/insights/similar/{draft.pk}/").content.decode()
    assert "This looks like" in html


def test_a_waived_review_counts_as_covered_and_is_not_missing(
    published: Any, author: Any, facilitator: Any, viewer: Any
) -> None:
    """Coverage is reviews published or waived per incident, read from the reviews app."""
    from nofault.web.reviews.services import review_waive, review_waiver_withdraw

    # The fixture serves a cached figure until the data version moves: a waiver must move it.
    drill = make_incident(author, title="Planned failover drill", severity="SEV4")
    make_incident(author, title="Nobody wrote this one up", severity="SEV4")
    assert selectors.insight_figures(user=viewer)["overall"]["review_coverage"] == pytest.approx(
        1 / 3, abs=1e-3
    )
    review_waive(incident=drill, actor=make_sponsor(facilitator),
                 reason="It was a planned drill with its own write-up.")  # fmt: skip
    records = {i.id: i for i in incident_records()}
    assert records[drill.key].review_waived
    assert not records[published.incident.key].review_waived
    figures = selectors.insight_figures(user=viewer)
    assert figures["overall"]["review_coverage"] == pytest.approx(2 / 3, abs=1e-3)
    missing = [m.incident for m in selectors.learning_report(user=viewer).missing]
    assert drill.key not in missing and len(missing) == 1
    review_waiver_withdraw(incident=drill, actor=facilitator)
    assert selectors.insight_figures(user=viewer)["overall"]["review_coverage"] == pytest.approx(
        1 / 3, abs=1e-3
    )


def test_a_large_similarity_index_is_stored_in_parts(published: Any, monkeypatch: Any) -> None:
    """PostgreSQL refuses one value over ~500 MB: the index is written and read in parts."""
    from nofault.web.insights.models import InsightCache

    monkeypatch.setattr(services, "BLOB_PART", 1_000)
    built = services.similarity_index_rebuild()
    parts = InsightCache.objects.filter(key__startswith=f"{services.INDEX_KEY}#").count()
    assert parts > 1
    services._LOADED.clear()
    loaded = services.similarity_index_get()
    assert loaded is not None and len(loaded) == len(built) == 1
    services.similarity_index_rebuild()  # a rebuild replaces the parts, never appends
    assert InsightCache.objects.filter(key__startswith=f"{services.INDEX_KEY}#").count() == parts


def _queued_refreshes() -> int:
    from nofault.web.worker.models import Task

    return Task.objects.filter(name=services.REFRESH_TASK, status="queued").count()


def _run_worker() -> None:
    from nofault.web.worker.runner import work

    assert work(burst=True, schedule=False).failed == 0


def test_figures_are_computed_inline_up_to_the_limit_of_incidents(
    published: Any, author: Any, viewer: Any, settings: Any
) -> None:
    settings.NOFAULT_INSIGHTS_INLINE_REBUILD_LIMIT = 2
    settings.NOFAULT_INSIGHTS_STALE_SECONDS = 0  # a change makes the figures stale at once
    selectors.insight_figures(user=viewer)
    make_incident(author, title="Second")  # two incidents: at the limit, computed inline
    assert selectors.insight_figures(user=viewer)["overall"]["incidents"] == 2
    assert _queued_refreshes() == 0
    make_incident(author, title="Third")  # past it: the last figures, while the worker works
    stale = selectors.insight_figures(user=viewer)
    assert stale["_stale"] and stale["overall"]["incidents"] == 2 and _queued_refreshes() == 1


# The worker closes a connection left inside a transaction, as the test's wrapper is.
@pytest.mark.django_db(transaction=True)
def test_a_large_organisation_is_served_the_last_figures_while_new_ones_are_computed(
    published: Any, author: Any, viewer: Any, settings: Any
) -> None:
    """Past the inline limit, stale figures are shown at once and refreshed by the worker."""
    settings.NOFAULT_INSIGHTS_INLINE_REBUILD_LIMIT = 0
    first = selectors.insight_figures(user=viewer)  # nothing cached yet: computed inline
    assert first["overall"]["incidents"] == 1 and not first["_stale"]
    assert _queued_refreshes() == 0
    make_incident(author, title="Another")
    stale = selectors.insight_figures(user=viewer)
    assert stale["_stale"] and stale["overall"]["incidents"] == 1 and _queued_refreshes() == 1
    assert selectors.insight_figures(user=viewer)["_stale"] and _queued_refreshes() == 1
    assert services.insight_refreshing()
    _run_worker()
    assert not services.insight_refreshing()
    fresh = selectors.insight_figures(user=viewer)
    assert not fresh["_stale"] and fresh["overall"]["incidents"] == 2
    assert _queued_refreshes() == 0
    # A new day: yesterday's figures are served, marked stale, while today's are computed.
    from nofault.web.insights.models import InsightCache

    row = InsightCache.objects.get(key__startswith="figures:")
    InsightCache.objects.filter(pk=row.pk).update(key=row.key[:-10] + "2000-01-01")
    assert selectors.insight_figures(user=viewer)["_stale"] and _queued_refreshes() == 1
    _run_worker()
    assert [r.key[-10:] for r in InsightCache.objects.filter(key__startswith="figures:")] == [
        timezone.localdate().isoformat()
    ]


# The worker closes a connection left inside a transaction, as the test's wrapper is.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("drafts_open")
def test_a_large_organisations_first_themes_are_found_by_the_worker(
    author: Any, viewer: Any, settings: Any
) -> None:
    settings.NOFAULT_INSIGHTS_INLINE_REBUILD_LIMIT = 0
    for i in range(3):
        make_postmortem(author, make_incident(author, title=f"Config push {i}"))
    page = login(viewer).get("/insights/themes/").content.decode()
    assert 'id="themes-pending"' in page and _queued_refreshes() == 1
    _run_worker()
    page = login(viewer).get("/insights/themes/").content.decode()
    assert 'id="themes-pending"' not in page
    assert "canary" in page.lower()
    assert _queued_refreshes() == 0


def test_the_refresh_command_rereads_digests_and_rebuilds_the_index(published: Any) -> None:
    import io

    from django.core.management import call_command

    from nofault.web.insights.models import PostmortemDigest

    PostmortemDigest.objects.filter(postmortem=published).update(team="stale")
    out = io.StringIO()
    call_command("insights_refresh", "--digests", stdout=out)
    assert PostmortemDigest.objects.get(postmortem=published).team == "team-checkout"
    assert "similarity index: 1 postmortems" in out.getvalue()


def test_cached_themes_never_show_a_draft_to_someone_who_may_not_read_it(
    author: Any, viewer: Any
) -> None:
    """Themes are cached per visibility scope: the author's own drafts must not reach the
    cache that a colleague in the same scope (who may not read those drafts) is served."""
    for i in range(3):
        make_postmortem(author, make_incident(author, title=f"Config push {i}"))
    assert login(author).get("/insights/themes/").status_code == 200  # fills the cache first
    theirs = login(viewer).get("/insights/themes/").content.decode()
    assert "canary" not in theirs.lower()
    assert not re.search(r"/postmortems/\d+/", theirs)  # no link to a draft
    # Someone who reads every draft is in another scope, and sees the drafts' themes.
    facilitator = make_user("facilitator")
    assert "canary" in login(facilitator).get("/insights/themes/").content.decode().lower()
