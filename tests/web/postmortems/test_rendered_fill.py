"""Postmortems saved before their HTML was kept get it from `postmortems_render`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nofault.web.postmortems import services
from nofault.web.postmortems.models import RenderedBody
from nofault.web.rendering import markdown_to_html
from tests.web.factories import make_postmortem, make_user

pytestmark = pytest.mark.django_db


def test_fills_only_what_is_missing() -> None:
    owner = make_user("author")
    old, kept = make_postmortem(owner), make_postmortem(owner)
    RenderedBody.objects.filter(postmortem=old).delete()
    RenderedBody.objects.filter(postmortem=kept).update(html="<p>kept</p>")
    out = io.StringIO()
    call_command("postmortems_render", stdout=out)
    assert out.getvalue().startswith("rendered 1 postmortems")
    filled = RenderedBody.objects.get(postmortem=old)
    assert (filled.revision, filled.html) == (old.revision, markdown_to_html(old.source))
    assert RenderedBody.objects.get(postmortem=kept).html == "<p>kept</p>"
    assert services.rendered_bodies_fill() == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_again_what_is_missing_old_or_from_another_renderer() -> None:
    from nofault.web.postmortems.tasks import rendered_bodies_queue
    from nofault.web.worker.models import Task
    from nofault.web.worker.runner import work

    owner = make_user("author")
    missing, old, fresh = make_postmortem(owner), make_postmortem(owner), make_postmortem(owner)
    RenderedBody.objects.filter(postmortem=missing).delete()
    RenderedBody.objects.filter(postmortem=old).update(html="<p>old</p>", renderer="older")
    rendered_bodies_queue()
    rendered_bodies_queue()  # the same revisions are queued once
    assert Task.objects.filter(name="postmortems.render").count() == 2
    assert work(burst=True, schedule=False).succeeded == 2
    for pm in (missing, old):
        kept = RenderedBody.objects.get(postmortem=pm)
        assert (kept.revision, kept.html) == (pm.revision, markdown_to_html(pm.source))
    assert services.rendered_bodies_queue() == 0
    # A render queued for a revision a save has since passed keeps the newer HTML.
    queued_revision = fresh.revision
    services.postmortem_save(
        postmortem=fresh, actor=owner, source=fresh.source + "\nNewer.\n",
        base_revision=fresh.revision,
    )  # fmt: skip
    assert not services.rendered_body_refresh(postmortem_id=fresh.pk, revision=queued_revision)
    assert "Newer." in RenderedBody.objects.get(postmortem=fresh).html
