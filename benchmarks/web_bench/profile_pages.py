"""Where a page's time goes: time, queries and a cProfile of requests through the test client.

Run: .venv/bin/python benchmarks/web_bench/profile_pages.py [--profile] [--queries] [PATH ...]

Uses the `nofault_bench` database kept by `benchmarks/web_data.py --keep`, logs in as the
benchmark's author and requests each path (default: the pages benchmarks/web_load.py measures,
plus the live lint of a 3,000-word postmortem, one more word each time) through Django's test client, in process: no
server, no network. Prints the median and 90th percentile CPU time (of this process) of `--repeat` requests and the
number of SQL queries of one, and the mean CPU its PostgreSQL backend spent a request (when
the server runs on this machine); `--queries` lists them, `--profile` prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import web_data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--server", default=web_data.DEFAULT_SERVER)
    parser.add_argument("--database", default=web_data.DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    web_data.setup_django(web_data.database_url(args.server, args.database))

    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nofault.web.accounts.models import User

    request_started.disconnect(reset_queries)  # else each request empties the captured list
    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(username="bench"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.id FROM postmortems_postmortem p JOIN incidents_incident i "
            "ON i.id = p.incident_id WHERE p.status = 'published' AND NOT i.restricted "
            "ORDER BY p.id LIMIT 200"  # as many as web_load.py cycles through
        )
        pm_ids = [row[0] for row in cur.fetchall()]
    from lint_speed import postmortem as long_postmortem

    source = long_postmortem(random.Random(3), 3000)
    paths = args.paths or [
        "/incidents/",
        "/postmortems/{pm}/",
        "/actions/",
        "/search/?q=latency",
        "/reviews/",
        "LINT",
    ]
    rng = random.Random(5)
    from web_load import typing_point

    at = typing_point(source)
    words = iter(range(1, 10**9))

    def request(path: str) -> int:
        if path == "LINT":
            text = f"{source[:at]} w{next(words)}{source[at:]}"  # one more word each time, as typed
            r = client.post("/postmortems/lint/", {"source": text}, HTTP_HX_REQUEST="true")
        else:
            r = client.get(path.replace("{pm}", str(rng.choice(pm_ids))))
        assert r.status_code == 200, (path, r.status_code)
        return len(r.content)

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]

    def backend_cpu() -> float:
        """The PostgreSQL backend's CPU seconds (this process's connection), from /proc."""
        try:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the server is on another machine
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for path in paths:
        for _ in range(6):  # past psycopg's preparing threshold
            request(path)
        with CaptureQueriesContext(connection) as ctx:
            size = request(path)
        queries = list(ctx.captured_queries)
        times = []
        database = backend_cpu()
        for _ in range(args.repeat):
            t = time.process_time()  # this process's CPU: steadier than wall time when shared
            request(path)
            times.append((time.process_time() - t) * 1000)
        database = (backend_cpu() - database) * 1000 / args.repeat
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1] if len(times) > 1 else times[0]
        print(f"{path:<28} median {statistics.median(times):6.1f} ms  p90 {p90:6.1f} ms  "
              f"database {database:5.2f} ms  {len(queries):3d} queries  {size:,} bytes")  # fmt: skip
        if args.queries:
            for q in queries:
                print(f"    {q['time']}s  {q['sql'][:400]}")
        if args.profile:
            prof = cProfile.Profile(time.process_time)  # CPU, not time spent waiting
            prof.enable()
            for _ in range(args.repeat):
                request(path)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
