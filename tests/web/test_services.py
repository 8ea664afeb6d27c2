"""Services: saves, conflicts, revisions, review workflow, action items, import and export."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from nofault.web.actions import services as action_services
from nofault.web.actions.models import ActionItem
from nofault.web.api_errors import ConflictError, NotAllowedError, ServiceError
from nofault.web.postmortems import exports, imports, services
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews import services as review_services
from tests.web.factories import SOURCE, make_incident, make_postmortem

pytestmark = pytest.mark.django_db


def test_create_from_template_stores_what_the_core_read(author: Any) -> None:
    incident = make_incident(author, title="Cache miss storm", severity="SEV2")
    pm = services.postmortem_create(incident=incident, actor=author)
    assert pm.revision == 1
    assert pm.title == "Cache miss storm"
    assert pm.severity == "SEV2"
    assert "## Summary" in pm.source
    assert pm.finding_count == len(pm.findings) > 0  # an empty template has findings
    assert pm.revisions.count() == 1


def test_save_extracts_fields_and_action_items(postmortem: Postmortem) -> None:
    items = {a.key: a for a in ActionItem.objects.filter(postmortem=postmortem)}
    assert set(items) == {"A1", "A2"}
    assert items["A1"].owner == "team-checkout"
    assert items["A2"].status == "in_progress"
    assert items["A1"].is_overdue()
    assert not items["A2"].is_overdue()


def test_stale_save_is_refused(postmortem: Postmortem, author: Any) -> None:
    services.postmortem_save(
        postmortem=postmortem, actor=author, source=postmortem.source + "\nMore.\n", base_revision=1
    )
    stale = Postmortem.objects.get(pk=postmortem.pk)
    stale.revision = 1  # a second editor who opened revision 1
    with pytest.raises(ConflictError):
        services.postmortem_save(
            postmortem=stale, actor=author, source="other text", base_revision=1
        )
    assert Postmortem.objects.get(pk=postmortem.pk).source.endswith("More.\n")


def test_every_save_is_a_revision_with_a_diff_and_any_can_be_restored(
    postmortem: Postmortem, author: Any
) -> None:
    original = postmortem.source
    services.postmortem_save(
        postmortem=postmortem,
        actor=author,
        source=original.replace("40 minutes", "45 minutes"),
        base_revision=1,
    )
    revision = postmortem.revisions.get(number=2)
    assert revision.author == author
    assert "-For 40 minutes" in revision.diff and "+For 45 minutes" in revision.diff
    services.postmortem_restore(postmortem=postmortem, actor=author, number=1)
    postmortem.refresh_from_db()
    assert postmortem.revision == 3
    assert postmortem.source == original


def test_viewer_cannot_edit(postmortem: Postmortem, viewer: Any) -> None:
    with pytest.raises(NotAllowedError):
        services.postmortem_save(postmortem=postmortem, actor=viewer, source="x", base_revision=1)


def test_review_workflow(
    postmortem: Postmortem, author: Any, reviewer: Any, facilitator: Any
) -> None:
    with pytest.raises(ServiceError):
        review_services.postmortem_publish(postmortem=postmortem, actor=author)  # still a draft
    review_services.postmortem_submit_for_review(
        postmortem=postmortem, actor=author, reviewers=[reviewer]
    )
    assert postmortem.status == "in_review"
    assert "status: in_review" in postmortem.source and "- sam" in postmortem.source
    review_services.postmortem_comment_add(
        postmortem=postmortem, actor=facilitator, body="Clear timeline."
    )
    with pytest.raises(NotAllowedError):
        review_services.postmortem_approve(postmortem=postmortem, actor=facilitator)  # not assigned
    with pytest.raises(ServiceError, match="waiting for approval"):
        review_services.postmortem_publish(postmortem=postmortem, actor=author)
    review_services.postmortem_approve(postmortem=postmortem, actor=reviewer)
    review_services.postmortem_publish(postmortem=postmortem, actor=author)
    postmortem.refresh_from_db()
    assert postmortem.status == "published" and postmortem.published_by == author
    assert "status: published" in postmortem.source
    with pytest.raises(ServiceError):
        services.postmortem_save(
            postmortem=postmortem, actor=author, source="x", base_revision=postmortem.revision
        )
    review_services.postmortem_reopen(postmortem=postmortem, actor=facilitator)
    assert postmortem.status == "draft"


def test_publishing_warns_on_blame_findings(author: Any, reviewer: Any) -> None:
    incident = make_incident(author)
    source = SOURCE.format(key=incident.key, title="T").replace(
        "For 40 minutes", "Bob should have checked the dashboard. For 40 minutes"
    )
    pm = make_postmortem(author, incident, source)
    assert pm.blame_count >= 1
    review_services.postmortem_submit_for_review(postmortem=pm, actor=author, reviewers=[reviewer])
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    with pytest.raises(ServiceError) as refused:
        review_services.postmortem_publish(postmortem=pm, actor=author)
    assert refused.value.reason == "blame_findings_remain"
    review_services.postmortem_publish(postmortem=pm, actor=author, accept_blame_findings=True)
    assert pm.status == "published"


def test_closing_an_action_item_records_who_and_when_and_updates_the_markdown(
    postmortem: Postmortem, reviewer: Any
) -> None:
    item = ActionItem.objects.get(postmortem=postmortem, key="A1")
    action_services.action_item_close(item=item, actor=reviewer)
    item.refresh_from_db()
    assert item.status == "done" and item.closed_by == reviewer and item.closed_at is not None
    postmortem.refresh_from_db()
    assert (
        "| A1 | Send configuration through the canary | prevent | team-checkout | alex | 2020-01-01 | done |"
        in postmortem.source
    )
    # Reopening through the Markdown clears it.
    services.postmortem_save(
        postmortem=postmortem,
        actor=reviewer,
        base_revision=postmortem.revision,
        source=postmortem.source.replace("2020-01-01 | done", "2020-01-01 | open"),
    )
    item.refresh_from_db()
    assert item.closed_at is None


def test_wont_do_needs_a_reason(postmortem: Postmortem, author: Any) -> None:
    item = ActionItem.objects.get(postmortem=postmortem, key="A2")
    with pytest.raises(ServiceError):
        action_services.action_item_set_status(item=item, actor=author, status="wont_do")
    action_services.action_item_set_status(item=item, actor=author, status="wont_do", reason="moot")
    item.refresh_from_db()
    assert item.status == "wont_do" and item.reason == "moot"


def test_structured_rows_round_trip_to_the_same_markdown(
    postmortem: Postmortem, author: Any
) -> None:
    from nofault.core.markdown import parse_text

    doc = parse_text(postmortem.source).postmortem
    same = services.postmortem_structure_source(
        source=postmortem.source,
        timeline=doc.timeline,
        factors=doc.contributing_factors,
        actions=doc.action_items,
    )
    assert parse_text(same).postmortem == doc
    new_item = doc.action_items[0].model_copy(update={"id": "A3", "text": "Write the runbook"})
    services.postmortem_structure_save(
        postmortem=postmortem, actor=author, base_revision=1, actions=[*doc.action_items, new_item]
    )
    assert "| A3 | Write the runbook |" in postmortem.source
    assert ActionItem.objects.filter(postmortem=postmortem).count() == 3


def test_import_markdown_and_zip(author: Any) -> None:
    text = SOURCE.format(key="INC-7001", title="Imported one").encode()
    [outcome] = imports.postmortem_import(actor=author, filename="one.md", data=text).drafts
    assert outcome.postmortem is not None and outcome.postmortem.incident.key == "INC-7001"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/two.md", SOURCE.format(key="INC-7002", title="Two"))
        archive.writestr("three.md", SOURCE.format(key="INC-7001", title="Imported again"))
        archive.writestr("bad.md", b"\xff\xfe not utf-8")
        archive.writestr("notes.txt", "ignored")
    # All or nothing: one unreadable file refuses the whole zip, naming it.
    with pytest.raises(ServiceError, match=r"bad\.md: not UTF-8"):
        imports.postmortem_import(actor=author, filename="all.zip", data=buffer.getvalue())
    assert not Postmortem.objects.filter(incident__key="INC-7002").exists()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/two.md", SOURCE.format(key="INC-7002", title="Two"))
        archive.writestr("three.md", SOURCE.format(key="INC-7001", title="Imported again"))
        archive.writestr("notes.txt", "ignored")
    report = imports.postmortem_import(actor=author, filename="all.zip", data=buffer.getvalue())
    assert [draft.source for draft in report.drafts] == ["a/two.md", "three.md"]
    again = Postmortem.objects.get(incident__key="INC-7001")
    assert again.title == "Imported again" and again.revision == 2


def test_exports(postmortem: Postmortem) -> None:
    html = exports.export_html(postmortem)
    assert "<h2>Summary</h2>" in html and "status: draft" not in html
    pdf = exports.export_pdf(postmortem)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "configuration push" in text
