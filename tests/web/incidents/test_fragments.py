"""Incident list rows: every value the row shows changes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from nofault.web.incidents import fragments
from nofault.web.incidents.selectors import ROW_FIELDS


def _row(**changes: Any) -> dict[str, Any]:
    row = dict.fromkeys(ROW_FIELDS)
    row.update(id=5, key="INC-7", title="Checkout <errors>", severity="SEV2", status="resolved",
               services=["checkout"], restricted=False, postmortem_due=date(2026, 3, 1))  # fmt: skip
    row.update(changes)
    return row


VARIANTS = [
    _row(),
    _row(title="Search & latency"),
    _row(services=["checkout", "payments"]),
    _row(services=[]),
    _row(restricted=True),
    _row(severity="SEV1"),
    _row(status="open"),
    _row(postmortem__id=3, postmortem__status="published"),
    _row(postmortem__id=3, postmortem__status="draft"),
    _row(postmortem_due=None),
]


def test_every_value_and_the_day_show() -> None:
    seen = set()
    for today in (date(2026, 2, 1), date(2026, 4, 1)):
        for row in VARIANTS:
            seen.add(str(fragments.incident_rows([row], today)))
    # every variant shows differently, and the day moves the overdue mark of some
    assert len(seen) > len(VARIANTS)


def test_a_changed_value_is_shown() -> None:
    first = str(fragments.incident_rows([_row()], date(2026, 2, 1)))
    assert "Checkout &lt;errors&gt;" in first and 'class=""' in first
    renamed = str(fragments.incident_rows([_row(title="Renamed")], date(2026, 2, 1)))
    assert "Renamed" in renamed and "Checkout" not in renamed
    late = str(fragments.incident_rows([_row()], date(2026, 4, 1)))
    assert 'class="overdue"' in late
    two = str(fragments.incident_rows([_row(services=["a", "b"])], date(2026, 2, 1)))
    assert "a, b" in two
