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
