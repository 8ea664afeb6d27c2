"""Schemathesis against the OpenAPI schema: no input makes the API answer 500."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from nofault.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Any:
    """Calls straight into the WSGI app must not close the test's connection (as Client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db: Any) -> str:
    """A token for an author with one incident and postmortem to poke at."""
    from nofault.web.accounts.services import token_issue
    from tests.web.factories import make_postmortem, make_user

    user = make_user("author")
    make_postmortem(user)
    return token_issue(user=user)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_500(case: Any, api_token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Token {api_token}"}
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
