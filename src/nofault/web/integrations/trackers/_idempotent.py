"""The create loop both trackers share: look for the key, create, and on doubt look again."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from nofault.web.integrations.http import IntegrationError, RetryingClient, is_retryable
from nofault.web.integrations.trackers.base import TrackerIssue


def create_once(
    http: RetryingClient,
    *,
    find: Callable[[], TrackerIssue | None],
    post: Callable[[], httpx.Response],
    parse: Callable[[httpx.Response], TrackerIssue],
    describe_error: Callable[[httpx.Response], str],
) -> TrackerIssue:
    """Create an issue at most once, whatever fails on the way.

    Before each POST the key is looked up: if an earlier POST did land (its answer lost to a
    timeout, or a 5xx sent after the write), that issue is returned instead of a new one.
    """
    attempt = 0
    while True:
        attempt += 1
        existing = find()
        if existing is not None:
            return existing
        response: httpx.Response | None = None
        try:
            response = post()
        except IntegrationError:
            if attempt >= http.policy.attempts:
                raise
        else:
            if response.is_success:
                return parse(response)
            if not is_retryable(response):
                raise IntegrationError(describe_error(response), status=response.status_code)
            if attempt >= http.policy.attempts:
                raise IntegrationError(
                    f"{describe_error(response)} after {attempt} tries",
                    status=response.status_code,
                    retryable=True,
                )
        http.sleep(http.policy.delay(attempt, response))
