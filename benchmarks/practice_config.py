"""What reading the organisation's practice costs every lint, and what reading chat costs.

Run: .venv/bin/python benchmarks/practice_config.py

- organisation_practice(): the configuration every web door lints with, read from the stored
  guide (examples/acme/guide.toml with a one-value values file), in a fresh SQLite database in
  a temporary folder; the mean of 200 calls after one untimed call (the first call reads and
  builds the guide's settings; later ones find them kept for the same guide text), and the
  cost of that first read (the mean of 20 reads with the kept copy cleared).
- a Slack export: the sample export in ../shared/payloads/slack/export-sample (zipped in
  memory here), one channel read whole; the mean of 20 reads.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / ".." / "shared" / "payloads" / "slack" / "export-sample"


def main() -> None:
    """Print the figures and how they were measured."""
    folder = tempfile.mkdtemp(prefix="nofault-bench-practice-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nofault.web.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from nofault.web.guides.models import GuideInputs
    from nofault.web.postmortems import practice

    GuideInputs.objects.create(
        values="values:\n  - name: Ownership\n    description: We own what we run.\n",
        config=(ROOT / "examples/acme/guide.toml").read_text(encoding="utf-8"),
    )
    practice.organisation_practice()
    calls = 200
    start = time.perf_counter()
    for _ in range(calls):
        practice.organisation_practice()
    kept = (time.perf_counter() - start) / calls * 1000
    reads = 20
    start = time.perf_counter()
    for _ in range(reads):
        practice._READ.clear()
        practice.organisation_practice()
    fresh = (time.perf_counter() - start) / reads * 1000
    print(f"organisation_practice(): {kept:.2f} ms a call with the guide kept, "
          f"{fresh:.2f} ms reading it afresh (SQLite; mean of {calls} and {reads} calls)")  # fmt: skip

    if not EXPORT.is_dir():
        print(f"slack export: skipped, no sample at {EXPORT}")
        return
    from nofault.core.chat import slack_export_messages

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXPORT.rglob("*.json")):
            archive.write(path, path.relative_to(EXPORT).as_posix())
    data = buffer.getvalue()
    start = time.perf_counter()
    for _ in range(reads):
        found = slack_export_messages(data, channel="enrique")
    took = (time.perf_counter() - start) / reads * 1000
    print(f"slack export: {len(found)} messages of #enrique read in {took:.2f} ms "
          f"({len(data) // 1024} KB zip; mean of {reads} reads)")  # fmt: skip


if __name__ == "__main__":
    main()
