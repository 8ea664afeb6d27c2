"""Fixtures for the insights and search tests: fresh caches, a public and a restricted review."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nofault.web.reviews import services as review_services
from tests.web.factories import make_incident, make_postmortem, make_user


@pytest.fixture(autouse=True)
def _fresh_insights(settings: Any) -> Any:
    """No figure is served from an earlier test's cache; the index lives in the test database."""
    from nofault.web.insights import services

    settings.NOFAULT_INSIGHTS_STALE_SECONDS = 0
    services._LOADED.clear()
    yield
    services._LOADED.clear()


def publish(pm: Any, author: Any) -> Any:
    """Take a postmortem through review to published."""
    reviewer = make_user("author")
    pm = review_services.postmortem_submit_for_review(
        postmortem=pm, actor=author, reviewers=[reviewer]
    )
    review_services.postmortem_approve(postmortem=pm, actor=reviewer)
    return review_services.postmortem_publish(
        postmortem=pm, actor=author, accept_blame_findings=True
    )


def login(user: Any) -> Client:
    """A page client logged in as the user."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(author: Any) -> Any:
    """A published public postmortem about a configuration push."""
    incident = make_incident(author, title="Checkout configuration push", severity="SEV2",
                             services=["checkout"])  # fmt: skip
    return publish(make_postmortem(author, incident), author)
