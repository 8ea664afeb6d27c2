"""The web app against its budget, on PostgreSQL at a large organisation's scale.

Run: .venv/bin/python benchmarks/web_load.py [--quick] [--reuse] [--users N] [--users-duration S]
     [--think MIN MAX] [--duration S]

Fills PostgreSQL with benchmarks/web_data.py (100,000 incidents with postmortems, about
300,000 action items; `--reuse` takes an existing database kept with `--keep`, migrated
first), starts the real server with `nofault serve`'s defaults (gunicorn gthread, 2 workers per
core + 1, 4 threads each, WhiteNoise) on a free loopback port, and measures:
- the pages (home, incident list, a postmortem page among 200 published ones, action board,
  action list, search, review coverage, insights) as `--users` (20) people use them, which is
  what the budget is about (every page p95 < 200 ms, insights p95 < 1 s): each person of the
  organisation signs in with their own session and reads pages one after another with a think
  time between requests, uniform 1-5 s (`--think`), for `--users-duration` seconds after an
  untimed first visit to every page; the walk, the page mix and the client are described in
  benchmarks/web_bench/users.py and printed with the figures. p50/p95/p99 are of what each
  request met (nearest rank, over the requests of that page: `n` says how many), with errors,
  the request rate, the server's CPU a request and the load average;
- the same pages under stress, printed beside them and clearly not the budget's load: wrk,
  `--users` connections as one author with no think time, one page at a time, each warmed
  `--warmup` seconds untimed, then `--duration` seconds. With no pause the connections keep
  every core busy, so latency is mostly the queue (Little's law: connections / throughput); its
  p95 is wrk's own (its latency histogram, read in the script's `done`). Its CPU a request is
  the figure to compare pages by;
- live lint (POST /postmortems/lint/ as the editor sends it) of a 3,000-word postmortem, each
  request one more word in the same paragraph so no two texts are the same; from one
  connection (one author typing) while nothing else runs; budget p95 < 100 ms;
- webhook ingestion: `--deliveries` Alertmanager deliveries (10% resent, shuffled) POSTed
  to /webhooks/alertmanager by `--users` senders on kept connections, each 2xx after the
  delivery is committed; budget >= 100 deliveries/s and p99 < 200 ms.
CPU a request is the server's processes and their PostgreSQL backends, sampled from /proc; the
load average is printed for each part: the machine may be shared, and CPU moves less with that
than latency does. Everything is bounded and the server is stopped at the end; the database is
dropped unless `--keep` or `--reuse`. `--strict` exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import web_data
from web_bench import users as people

TOKEN = "burst-token"  # tests/web/integrations/burst.py sends it

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PAGE_P95_MS = 200.0
INSIGHTS_P95_MS = 1000.0
LINT_P95_MS = 100.0
WEBHOOK_RATE = 100.0
WEBHOOK_P99_MS = 200.0
# The server's PostgreSQL connections say who they are, so the CPU meter counts their backends
# only, not those of anyone else reading the same database meanwhile.
SERVER_APPLICATION = "nofault-web-load"


@dataclass
class Result:
    """One wrk run."""

    name: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int
    server_cpu_ms: float = 0.0  # the server's CPU per request (gunicorn's processes)
    database_cpu_ms: float = 0.0  # its PostgreSQL backends' CPU per request

    @property
    def cpu_ms(self) -> float:
        """CPU per request, server and database: steadier than req/s on a shared machine."""
        return self.server_cpu_ms + self.database_cpu_ms


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(name: str, out: str) -> Result:
    """Read requests per second, the 50%, 95% and 99% latencies and errors from wrk's output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    p50 = _ms(*re.match(r"([\d.]+)(\w+)", lat["50"]).groups())  # type: ignore[union-attr]
    p99 = _ms(*re.match(r"([\d.]+)(\w+)", lat["99"]).groups())  # type: ignore[union-attr]
    p95 = int(re.search(r"^P95 (\d+)$", out, re.M).group(1)) / 1000  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    if requests == 0:  # every request timed out: no latency to report
        errors = max(errors, 1)
    return Result(name, rps, p50, p95, p99, requests, errors)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str, port: int, workers: int, data_dir: str, threads: int = 4
) -> subprocess.Popen[bytes]:
    """Start `nofault serve` on loopback; wait until it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": f"{url}?application_name={SERVER_APPLICATION}",
        "NOFAULT_DATA_DIR": data_dir,
        "NOFAULT_SECRET_KEY": "bench-" + "x" * 40,
        "NOFAULT_INTEGRATIONS": json.dumps({"sources": {"alertmanager": {"token": TOKEN}}}),
        "DJANGO_SETTINGS_MODULE": "nofault.web.settings",
    }
    command = [str(BIN / "nofault"), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads), "--no-migrate"]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the server did not start within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group), waiting at most 15 s."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


def log_in(base: str, username: str, password: str) -> dict[str, str]:
    """Log in through the login form; return the session and CSRF cookies."""
    import httpx

    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        answer = client.post(
            "/accounts/login/",
            data={"username": username, "password": password,
                  "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": base + "/accounts/login/"},
        )  # fmt: skip
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"login failed: HTTP {answer.status_code}")
        return {"sessionid": client.cookies["sessionid"], "csrftoken": client.cookies["csrftoken"]}


def user_names(count: int) -> list[str]:
    """The people the users model signs in as: the benchmark's author, then the organisation's
    authors and facilitators in the order they joined (their own reviews, items and teams)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT username FROM accounts_user WHERE is_active AND role IN ('author', "
            "'facilitator') ORDER BY username <> 'bench', id LIMIT %s",
            [count],
        )
        return [row[0] for row in cur.fetchall()]


def check_pages(base: str, cookies: dict[str, str], paths: list[str]) -> None:
    """Each page answers 200 with its content before it is measured."""
    import httpx

    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
        for path in paths:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered HTTP {answer.status_code}")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds of each process, from /proc (gone ones left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return spent


def group_pids(leader: int) -> list[int]:
    """The processes of the server's group: gunicorn's arbiter and its workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == leader:  # the process group id
                found.append(int(entry.name))
    return found


class CpuMeter(threading.Thread):
    """The CPU the server's processes and their PostgreSQL backends (by application name)
    have used, sampled twice a second: a worker's backend can close mid-run (CONN_MAX_AGE)
    and a new one open. `total()` is the sum over every process seen, each at its last sample."""

    def __init__(self, server_group: int, database: str) -> None:
        super().__init__(daemon=True)
        self.server_group = server_group
        self.database = database
        self.server: dict[int, float] = {}
        self.backends: dict[int, float] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                           "AND application_name = %s", [self.database, SERVER_APPLICATION])  # fmt: skip
            backends = [row[0] for row in cursor.fetchall()]
        server = cpu_seconds(group_pids(self.server_group))
        database = cpu_seconds(backends)
        with self.lock:
            self.server.update(server)
            self.backends.update(database)

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.done.wait(0.5):
                self.sample()
        finally:
            connection.close()

    def total(self) -> tuple[float, float]:
        """Server and database CPU seconds so far (sampled now)."""
        self.sample()
        with self.lock:
            return sum(self.server.values()), sum(self.backends.values())

    def finish(self) -> None:
        self.done.set()
        self.join()


def lua_string(text: str) -> str:
    """A Lua long string holding `text` exactly."""
    level = "=" * 8
    return f"[{level}[\n{text}]{level}]"


# Appended to every wrk script: wrk prints 50/75/90/99% by itself, not the budget's 95%.
_P95 = '\ndone = function(summary, latency, requests)\n  io.write(string.format("P95 %d\\n", latency:percentile(95)))\nend\n'


def run_wrk(
    name: str, base: str, cookies: dict[str, str], *, script: str, connections: int,
    duration: float, workdir: Path, meter: CpuMeter | None = None,
) -> Result:  # fmt: skip
    """Warm up for a second, then run wrk for `duration` seconds with one thread; with a
    meter, the CPU per request of the measured run (warm-up left out)."""
    lua = workdir / f"{re.sub(r'[^a-z]+', '-', name.lower())}.lua"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    lua.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n' + script + _P95)
    command = ["wrk", "--latency", "-t1", f"-c{connections}", "--timeout", "10s", "-s", str(lua)]
    subprocess.run([*command, "-d1s", base], capture_output=True, check=True, timeout=60)
    before = meter.total() if meter else (0.0, 0.0)
    out = subprocess.run(
        [*command, f"-d{max(1, round(duration))}s", base],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    after = meter.total() if meter else (0.0, 0.0)
    result = parse_wrk(name, out)
    if meter and result.requests:
        result.server_cpu_ms = (after[0] - before[0]) * 1000 / result.requests
        result.database_cpu_ms = (after[1] - before[1]) * 1000 / result.requests
    return result


def paths_script(paths: list[str]) -> str:
    """A wrk script that requests the paths in turn."""
    listed = ", ".join(f'"{p}"' for p in paths)
    return (
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )


def typing_point(source: str) -> int:
    """Where the simulated author types: the end of a paragraph in the middle of the text."""
    middle = source.find("\n\n", len(source) // 2)
    return middle if middle != -1 else len(source)


def lint_script(source: str, csrf: str) -> str:
    """A wrk script posting the editor's live-lint form as one author types: each request
    has one more word at the same place (the text is never the same twice)."""
    from urllib.parse import quote_plus

    at = typing_point(source)
    head = "source=" + quote_plus(source[:at])
    tail = quote_plus(source[at:])
    return (
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        'wrk.headers["HX-Request"] = "true"\n'
        f'wrk.headers["X-CSRFToken"] = "{csrf}"\n'
        f"local head = {lua_string(head)}\n"
        f"local tail = {lua_string(tail)}\n"
        "local words = 0\n"
        "request = function()\n"
        "  words = words + 1\n"
        '  return wrk.format("POST", "/postmortems/lint/", nil, head .. "+w" .. words .. tail)\n'
        "end\n"
    )


def sample_postmortems(count: int) -> list[int]:
    """Published postmortems of unrestricted incidents, spread over the table."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.id FROM postmortems_postmortem p JOIN incidents_incident i "
            "ON i.id = p.incident_id WHERE p.status = 'published' AND NOT i.restricted "
            "ORDER BY p.id"
        )
        ids = [row[0] for row in cur.fetchall()]
    return random.Random(11).sample(ids, min(count, len(ids)))


def data_summary() -> str:
    """Row counts of the tables the pages read."""
    from django.db import connection

    tables = {"incidents": "incidents_incident", "postmortems": "postmortems_postmortem",
              "action items": "actions_actionitem", "revisions": "postmortems_revision",
              "search entries": "search_searchentry"}  # fmt: skip
    parts = []
    with connection.cursor() as cur:
        for label, table in tables.items():
            cur.execute(f'SELECT count(*) FROM "{table}"')
            parts.append(f"{cur.fetchone()[0]:,} {label}")
    return ", ".join(parts)


def ingest(base: str, deliveries: int, senders: int, meter: CpuMeter) -> Result:
    """POST Alertmanager deliveries from `senders` threads; the rate, latencies and CPU."""
    sys.path.insert(0, str(HERE.parent))
    from tests.web.integrations import burst

    bodies, _ = burst.plan(deliveries, seed=int(time.time()))  # new alert groups each run
    before = meter.total()
    outcome = burst.send(f"{base}/webhooks/alertmanager", bodies, senders)
    after = meter.total()
    latencies = sorted(outcome.latencies) or [0.0]

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000

    done = len(outcome.acknowledged)
    result = Result("webhook ingestion", done / outcome.seconds if outcome.seconds else 0.0,
                    pct(0.5), pct(0.95), pct(0.99), done, len(outcome.failed))  # fmt: skip
    if done:
        result.server_cpu_ms = (after[0] - before[0]) * 1000 / done
        result.database_cpu_ms = (after[1] - before[1]) * 1000 / done
    return result


def page_rows(run: people.UsersRun, names: list[str]) -> dict[str, Result]:
    """Per page: what the users met (the requests per second are over the whole window)."""
    rows = {}
    for name in names:
        mine = [s for s in run.samples if s.page == name]
        seconds = [s.seconds * 1000 for s in mine if s.status == 200]
        rows[name] = Result(
            name, len(mine) / run.window if run.window else 0.0,
            people.percentile(seconds, 50), people.percentile(seconds, 95),
            people.percentile(seconds, 99), len(mine), sum(s.status != 200 for s in mine),
        )  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    web_data.add_arguments(parser)
    parser.add_argument("--reuse", action="store_true",
                        help="Use the existing database (made with web_data.py --keep).")  # fmt: skip
    parser.add_argument("--users", type=int, default=20,
                        help="Concurrent users (and the stress run's connections).")  # fmt: skip
    parser.add_argument("--users-duration", type=float, default=240.0,
                        help="Seconds the users read pages (after their warm-up).")  # fmt: skip
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"),
                        help="A user's think time between requests: uniform, in seconds.")  # fmt: skip
    parser.add_argument("--users-seed", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0,
                        help="Stress: seconds per page.")  # fmt: skip
    parser.add_argument("--warmup", type=float, default=3.0,
                        help="Stress: seconds each page runs untimed first.")  # fmt: skip
    parser.add_argument("--lint-duration", type=float, default=15.0)
    parser.add_argument("--deliveries", type=int, default=3000, help="Webhook deliveries sent.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when the budget is missed.")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.lint_duration = min(args.duration, 5.0), min(args.lint_duration, 5.0)
        args.users_duration = min(args.users_duration, 30.0)
        args.deliveries = min(args.deliveries, 500)
    think = (min(args.think), max(args.think))
    options = web_data.data_options(args)
    if shutil.which("wrk") is None:
        print("skipped: wrk is not installed (make system installs it)")
        return 0
    if not web_data.postgres_reachable(args.server):
        print(f"skipped: no PostgreSQL at {args.server} (set --server or NOFAULT_BENCH_SERVER)")
        return 0
    started = time.perf_counter()
    url = web_data.database_url(args.server, args.database)
    server = None
    data_dir = tempfile.mkdtemp(prefix="nofault-bench-")
    os.environ["NOFAULT_DATA_DIR"] = data_dir
    workers = (os.cpu_count() or 1) * 2 + 1  # nofault serve's default
    try:
        if args.reuse:
            web_data.setup_django(url)
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # a database kept by an older checkout
            generated = "reused"
        else:
            print(f"Generating data into {url} (seed {args.seed})", flush=True)
            result = web_data.generate(**options)
            generated = f"generated in {result.seconds:.0f} s"
        size = data_summary()
        pm_ids = sample_postmortems(200)
        names = user_names(args.users)
        from django.db import connections

        connections.close_all()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port, workers, data_dir)
        cookies = log_in(base, "bench", web_data.PASSWORD)
        pages = {
            "home (my reviews and items)": ["/"],
            "incident list": ["/incidents/"],
            "postmortem page": [f"/postmortems/{pk}/" for pk in pm_ids],
            "action board": ["/actions/"],
            "action list": ["/actions/list/"],
            "search": ["/search/?q=latency"],
            "review coverage": ["/reviews/"],
            "insights page": ["/insights/"],
        }
        check_pages(base, cookies, [p[0] for p in pages.values()])
        meter = CpuMeter(server.pid, args.database)
        meter.start()

        print(f"Users: {len(names)} people signing in…", flush=True)
        sessions = [log_in(base, name, web_data.PASSWORD) for name in names]
        load_users = os.getloadavg()
        before = meter.total()
        run = people.run_users(
            host="127.0.0.1", port=port, pages=pages, duration=args.users_duration, think=think,
            seed=args.users_seed, cookies=["; ".join(f"{k}={v}" for k, v in c.items())
                                           for c in sessions],
        )  # fmt: skip
        after = meter.total()
        load_users = (load_users[0], os.getloadavg()[0])
        users = page_rows(run, list(pages))
        done = len(run.samples)
        users_cpu = [(a - b) * 1000 / max(1, done) for a, b in zip(after, before, strict=True)]
        print(f"  {done:,} requests in {run.window:.0f} s", flush=True)

        workdir = Path(tempfile.mkdtemp(prefix="nofault-wrk-"))
        stress: list[Result] = []
        load_stress = os.getloadavg()[0]
        for name, paths in pages.items():
            run_wrk(name, base, cookies, script=paths_script(paths), connections=args.users,
                    duration=args.warmup, workdir=workdir)  # fmt: skip
            r = run_wrk(name, base, cookies, script=paths_script(paths), connections=args.users,
                        duration=args.duration, workdir=workdir, meter=meter)  # fmt: skip
            stress.append(r)
            print(f"  stress, {name}: p95 {r.p95_ms:.0f} ms, {r.rps:,.0f} req/s", flush=True)
        load_stress_after = os.getloadavg()[0]
        from lint_speed import postmortem as long_postmortem

        source = long_postmortem(random.Random(3), 3000)
        lint = run_wrk("live lint (3,000 words)", base, cookies,
                       script=lint_script(source, cookies["csrftoken"]), connections=1,
                       duration=args.lint_duration, workdir=workdir, meter=meter)  # fmt: skip
        print(f"  live lint: p95 {lint.p95_ms:.0f} ms", flush=True)
        webhooks = ingest(base, args.deliveries, args.users, meter)
        meter.finish()
        load_after = os.getloadavg()
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep and not args.reuse:
            from django.db import connections

            connections.close_all()
            web_data.drop_database(args.server, args.database)

    cores = os.cpu_count()
    lo, hi = think
    weights = sum(people.PAGE_WEIGHTS.values())
    mix = ", ".join(f"{name.split(' (')[0]} {people.PAGE_WEIGHTS[name] * 100 / weights:.0f}%"
                    for name in pages)  # fmt: skip
    print()
    print(f"Data: {size} ({generated}; seed {args.seed}).")
    print(f"Server: nofault serve's defaults (gunicorn gthread, {workers} workers x 4 threads, "
          f"WhiteNoise) on 127.0.0.1, PostgreSQL on {args.server.rsplit('@', 1)[-1]}, "
          f"{cores} CPU cores shared with the load generator.")  # fmt: skip
    print(f"Users (the budget): {len(names)} people of the organisation, each signed in with "
          f"their own session, one HTTP/1.1 keep-alive connection each; every page visited "
          f"once untimed, then {run.window:.0f} s of reading: home first, then each next page "
          f"drawn ({mix}), think time between requests uniform {lo:g}-{hi:g} s (mean "
          f"{(lo + hi) / 2:g} s), seed {args.users_seed}. Load average (1 min) "
          f"{load_users[0]:.1f} before, {load_users[1]:.1f} after ({cores} cores).")  # fmt: skip
    print(f"Stress (not the budget's load): wrk, {args.users} connections as one author, no "
          f"think time, one page at a time: warmed {args.warmup:.0f} s untimed, then "
          f"{args.duration:.0f} s measured; with no pause, latency is the queue of requests "
          f"waiting for {cores} cores (Little's law). Load average {load_stress:.1f} before, "
          f"{load_stress_after:.1f} after.")  # fmt: skip
    print()
    head = f"{len(names)} users, think {lo:g}-{hi:g} s"
    print(f"{'':<28}{head:<52}| stress: {args.users} conn, no think")
    print(f"{'page':<28}{'n':>5}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'err':>5}  "
          f"{'budget':<16}| {'req/s':>6}{'p50 ms':>8}{'p95 ms':>8}{'CPU ms':>8}{'(db)':>6}")  # fmt: skip
    failed = False
    for s in stress:
        u = users[s.name]
        limit = INSIGHTS_P95_MS if s.name == "insights page" else PAGE_P95_MS
        ok = u.requests > 0 and not u.errors and u.p95_ms < limit
        failed |= not ok
        verdict = f"{'met' if ok else 'MISSED'} (< {limit:.0f})"
        errors = f"  {s.errors} errors" if s.errors else ""
        print(f"{s.name:<28}{u.requests:>5}{u.p50_ms:>8.0f}{u.p95_ms:>8.0f}{u.p99_ms:>8.0f}"
              f"{u.errors:>5}  {verdict:<16}| {s.rps:>6.1f}{s.p50_ms:>8.0f}{s.p95_ms:>8.0f}"
              f"{s.cpu_ms:>8.1f}{s.database_cpu_ms:>6.1f}{errors}")  # fmt: skip
    errors = sum(u.errors for u in users.values())
    print(f"{'every page':<28}{done:>5}{'':>24}{errors:>5}  {done / run.window:.1f} req/s, "
          f"server CPU {sum(users_cpu):.1f} ms a request (db {users_cpu[1]:.1f}; all it spent "
          f"in the window, idle time too, over its requests); client "
          f"{run.client_cpu * 1000 / max(1, done):.1f} ms")  # fmt: skip
    first = sorted(run.first_views.get("insights page", [])) or [0.0]
    print(f"Insights, each user's first view (warm-up, untimed; figures computed once per "
          f"visibility scope, then cached by data version): median {first[len(first) // 2]:.2f} "
          f"s, slowest {first[-1]:.2f} s.")  # fmt: skip
    print()
    print(f"{'endpoint':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU ms':>8}"
          f"{'(db)':>7}  budget")  # fmt: skip
    for r in (lint, webhooks):
        if r is webhooks:
            ok = r.rps >= WEBHOOK_RATE and r.p99_ms < WEBHOOK_P99_MS
            budget = f">= {WEBHOOK_RATE:.0f}/s, p99 < {WEBHOOK_P99_MS:.0f} ms"
        else:
            ok = r.p95_ms < LINT_P95_MS
            budget = f"p95 < {LINT_P95_MS:.0f} ms"
        ok = ok and not r.errors and r.requests > 0
        failed |= not ok
        errors = f"  {r.errors} errors" if r.errors else ""
        print(f"{r.name:<26}{r.rps:>9,.0f}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}"
              f"{r.cpu_ms:>8.2f}{r.database_cpu_ms:>7.2f}  {'met' if ok else 'MISSED'} "
              f"({budget}){errors}")  # fmt: skip
    print(f"Live lint from 1 connection for {args.lint_duration:.0f} s, nothing else running; "
          f"{args.deliveries:,} webhook deliveries from {args.users} senders. Load average "
          f"(1 min) {load_after[0]:.1f} at the end ({cores} cores).")  # fmt: skip
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")
    print("A budget was missed." if failed else "Every budget met (pages: the users' figures).")
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
