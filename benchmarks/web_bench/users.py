"""People using the web app: each signed in with their own session, reading pages with a pause
to read between them, as `benchmarks/web_load.py` measures the page budget.

How a user behaves (stated in web_load.py's output too):
- signs in through the login form as a person of the organisation (their own session);
- first visits every page once, untimed (their own insights figures are computed then, if no
  one who sees the same incidents has asked for them yet: `first_views` reports how long);
- then, until the window ends, requests one page after another: the home page first, then each
  next page drawn with `PAGE_WEIGHTS` (a postmortem page picks one of the sampled postmortems),
  and between two requests thinks for a time drawn uniformly from `think` (1–5 s: a mean of
  3 s, on the demanding side of what Locust's and k6's examples use), each user with its own
  seeded random generator, so the same arguments give the same walks;
- each request is one GET over plain HTTP/1.1 with keep-alive (http.client): the whole body is
  read before the clock stops. The server closes a kept connection after 2 s idle (gunicorn's
  default), as it would a browser's; a request that finds its kept connection closed opens a new
  one and is sent again, and the time it met includes that, from the first attempt.
A request that answers anything but 200, or fails, is an error. Only requests started inside the
window count.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass, field

HOME = "home (my reviews and items)"
# How often each page is the next one a user opens (reviewers and authors: their postmortems
# most, the lists and the board often, insights now and then).
PAGE_WEIGHTS = {
    HOME: 15,
    "incident list": 15,
    "postmortem page": 25,
    "action board": 10,
    "action list": 10,
    "search": 10,
    "review coverage": 10,
    "insights page": 5,
}


@dataclass
class Sample:
    """One request a user made."""

    page: str
    started: float  # seconds since the window opened
    seconds: float
    status: int  # 0: no answer (the connection failed or timed out)


@dataclass
class UsersRun:
    """Every timed request of every user, and what the warm-up met."""

    samples: list[Sample] = field(default_factory=list)
    first_views: dict[str, list[float]] = field(default_factory=dict)  # page -> seconds
    window: float = 0.0
    client_cpu: float = 0.0  # this process's CPU seconds during the window


class _Browser:
    """One user's HTTP/1.1 connection with their session cookie, reopened when closed."""

    def __init__(self, host: str, port: int, cookie: str, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {"Cookie": cookie, "Accept": "text/html", "User-Agent": "nofault-bench"}
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> int:
        """GET `path`, read the body; the status (0 when there is no answer)."""
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", path, headers=self.headers)
                answer = self.conn.getresponse()
                answer.read()
                if answer.will_close:
                    self.close()
                return answer.status
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if not reused or attempt == 2:  # a new connection failed: a real error
                    return 0
            except (OSError, http.client.HTTPException):
                self.close()
                return 0
        return 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_users(
    *,
    host: str,
    port: int,
    cookies: list[str],
    pages: dict[str, list[str]],
    duration: float,
    think: tuple[float, float] = (1.0, 5.0),
    seed: int = 20,
    timeout: float = 30.0,
) -> UsersRun:
    """Run one thread per user (`cookies`: one signed-in session each) for `duration` seconds
    after every user's warm-up; return every request they timed."""
    names = [name for name in PAGE_WEIGHTS if name in pages]
    weights = [PAGE_WEIGHTS[name] for name in names]
    run = UsersRun(first_views={name: [] for name in pages})
    lock = threading.Lock()
    opened: list[float] = []  # when the window opened, and this process's CPU then

    def open_window() -> None:
        opened.extend((time.perf_counter(), time.process_time()))

    ready = threading.Barrier(len(cookies), action=open_window, timeout=3_600)

    def user(number: int, cookie: str) -> None:
        rng = random.Random(seed * 1_000 + number)
        # The warm-up waits as long as a first view takes (a scope's first insights figures
        # are computed then: tens of seconds at 100,000 incidents on loaded cores).
        browser = _Browser(host, port, cookie, max(timeout, 600.0))
        try:
            for name in rng.sample(list(pages), len(pages)):  # warm-up, in the user's own order
                t = time.perf_counter()
                browser.get(rng.choice(pages[name]))
                with lock:
                    run.first_views[name].append(time.perf_counter() - t)
            browser.close()
        except BaseException:
            ready.abort()
            raise
        ready.wait()
        browser = _Browser(host, port, cookie, timeout)
        start = opened[0]
        end = start + duration
        mine = []
        name = HOME if HOME in pages else names[0]
        time.sleep(rng.uniform(0, think[1]))  # users do not all arrive in the same second
        while (t := time.perf_counter()) < end:
            status = browser.get(rng.choice(pages[name]))
            mine.append(Sample(name, t - start, time.perf_counter() - t, status))
            time.sleep(rng.uniform(*think))
            name = rng.choices(names, weights)[0]
        browser.close()
        with lock:
            run.samples.extend(mine)

    threads = [
        threading.Thread(target=user, args=(n, c), daemon=True) for n, c in enumerate(cookies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not opened:
        raise SystemExit("a user's warm-up failed")
    run.window = time.perf_counter() - opened[0]
    run.client_cpu = time.process_time() - opened[1]
    run.samples.sort(key=lambda s: s.started)
    return run


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile `q` (0–100) of `values` (0.0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100)
    return ordered[int(rank) - 1]
