"""What the home page's counts in the navigation cost, read on every page a person opens.

Run: DATABASE_URL=postgres://.../nofault_bench .venv/bin/python benchmarks/inbox_speed.py

Needs a database filled by `benchmarks/web_data.py --keep` (100,000 postmortems, about
300,000 action items) and migrated to the current models; it only reads. For the person
with the most review assignments and the person with the median number of open action
items, it prints what `inbox_counts` returned, the median time of `--runs` calls and of
the counts statement alone (as Django timed it), and the time of the home page's three
lists. The load average is printed beside them: on a shared machine whose load is above
its core count every time stretches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def _median_ms(call: Callable[[], Any], runs: int) -> tuple[Any, float]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nofault.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count, Q
    from django.test.utils import CaptureQueriesContext

    from nofault.web.inbox import selectors

    people = get_user_model().objects.annotate(
        assigned=Count("postmortems_to_review", distinct=True)
    )
    busiest = people.order_by("-assigned").first()
    from nofault.web.actions.models import ActionItem

    open_counts = sorted(
        ActionItem.objects.filter(~Q(person=""), status__in=["open", "in_progress"])
        .values("person")
        .annotate(n=Count("id"))
        .values_list("n", "person")
    )
    median_name = open_counts[len(open_counts) // 2][1] if open_counts else ""
    typical = get_user_model().objects.filter(username=median_name).first()
    for label, user in (("busiest reviewer", busiest), ("median person", typical)):
        if user is None:
            continue
        selectors.inbox_counts(user=user)  # warm the connection and the plan
        with CaptureQueriesContext(connection) as captured:
            selectors.inbox_counts(user=user)
        statement_ms = float(captured.captured_queries[-1]["time"]) * 1000

        def counted(u: Any = user) -> Any:
            return selectors.inbox_counts(user=u)

        counts, counts_ms = _median_ms(counted, args.runs)

        def lists(u: Any = user) -> None:
            selectors.inbox(user=u, shown=50)

        _, lists_ms = _median_ms(lists, max(args.runs // 3, 1))
        print(
            f"{label} {user.username}: {counts}; counts {counts_ms:.1f} ms median "
            f"(statement {statement_ms:.1f} ms); home lists {lists_ms:.1f} ms median"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
