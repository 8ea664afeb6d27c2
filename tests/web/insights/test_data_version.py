"""The data version: moves on every change, seen at once, and never makes writers wait."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from nofault.web.insights import services
from tests.web.factories import make_incident


def test_a_change_moves_the_version_within_its_transaction(author: Any) -> None:
    before = services.data_version()
    make_incident(author)
    middle = services.data_version()
    make_incident(author)
    assert before < middle < services.data_version()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_version_moves_again_after_the_commit() -> None:
    with transaction.atomic():
        services.data_version_bump()
        services.data_version_bump()
        inside = services.data_version()
    # A figure computed while the transaction was open, from the rows before it, is stale.
    assert services.data_version() == inside + 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_on_one_another() -> None:
    """Two open transactions both bump; the second is not held until the first commits."""
    finished = threading.Event()
    failure: list[BaseException] = []

    def other_writer() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                services.data_version_bump()
            finished.set()
        except BaseException as exc:  # reported by the assertion below
            failure.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        services.data_version_bump()
        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(timeout=10)
        assert finished.is_set(), failure
