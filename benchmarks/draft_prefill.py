"""What listing similar earlier postmortems adds to starting a draft in the web app.

Run: .venv/bin/python benchmarks/draft_prefill.py [--drafts 40]

Loads the demo organisation (its year of earlier reviews, in review or published) into a
fresh SQLite database in a temporary folder, then starts `--drafts` postmortems through
`postmortem_create`, as the "Start the postmortem" button does, for incidents whose titles
repeat or miss the earlier ones. Prints, as medians and slowest over the drafts (the first
lookup, which reads the stored similarity index, is printed apart): the similar lookup alone
(`prefill.similar_earlier`), the whole creation, and how many drafts listed a match at or
above the index's `likely` score, with the matches of one round of titles. Timings are wall
time on the machine as loaded: the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TITLES = (
    "EU checkout errors after a configuration push",
    "Payments failed in ap-south",
    "Search ranking broke after config push",
    "Disk full on the build server",
    "Certificate expired on the partner API",
    "Office coffee machine out of beans",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=40)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.pop("DATABASE_URL", None)
    os.environ["NOFAULT_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "nofault.web.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from nofault.core.template import new_postmortem
    from nofault.web.accounts.models import User
    from nofault.web.demo import demo_load
    from nofault.web.incidents import services as incident_services
    from nofault.web.postmortems import prefill
    from nofault.web.postmortems import services as pm_services
    from nofault.web.postmortems.models import Postmortem

    demo_load()
    author = User.objects.get(username="admin")
    indexed = Postmortem.objects.filter(status__in=("in_review", "published")).count()
    lookups: list[float] = []
    creates: list[float] = []
    listed = 0
    for n in range(args.drafts):
        title = TITLES[n % len(TITLES)]
        incident = incident_services.incident_create(
            actor=author, title=title, severity="SEV2", services=["checkout"]
        )
        draft = new_postmortem(title=title, severity="SEV2", incidents=[incident.key])
        start = time.perf_counter()
        found = prefill.similar_earlier(draft, author)
        lookups.append(time.perf_counter() - start)
        if n < len(TITLES):
            shown = [(m.record.title, round(m.score, 2)) for m in found]
            print(f"{title!r}: {shown or 'nothing listed'}")
        start = time.perf_counter()
        pm = pm_services.postmortem_create(incident=incident, actor=author)
        creates.append(time.perf_counter() - start)
        listed += "Similar earlier postmortems" in pm.source
    first, rest = lookups[0], lookups[1:]
    print(f"earlier postmortems indexed: {indexed}; drafts started: {args.drafts}; "
          f"drafts listing a match: {listed}")  # fmt: skip
    print(f"first lookup (reads the stored index): {first * 1000:.0f} ms")
    print(f"similar lookup: median {statistics.median(rest) * 1000:.1f} ms, "
          f"slowest {max(rest) * 1000:.1f} ms")  # fmt: skip
    print(f"postmortem_create with it: median {statistics.median(creates) * 1000:.1f} ms, "
          f"slowest {max(creates) * 1000:.1f} ms")  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
