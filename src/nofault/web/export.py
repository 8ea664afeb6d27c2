"""Export everything: each postmortem as its Markdown (front matter and all), and the
incidents, action items and guide inputs as JSON, into a folder or a zip file."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from nofault.web.actions.models import ActionItem
from nofault.web.guides.models import GuideInputs
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.exports import export_filename
from nofault.web.postmortems.models import Postmortem


@dataclass(frozen=True)
class ExportSummary:
    """How much was written, and where."""

    postmortems: int
    incidents: int
    action_items: int
    output: Path


def _json(rows: Any) -> bytes:
    return json.dumps(list(rows), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def export_all(output: Path) -> ExportSummary:
    """Write every postmortem, incident, action item and the guide inputs to a folder or zip."""
    if output.suffix.lower() == ".zip":
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            summary = _write_all(archive.writestr, output)
        partial.replace(output)  # a zip cut short never looks like a whole one
        return summary

    def put(name: str, data: bytes) -> None:
        path = output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return _write_all(put, output)


def _write_all(put: Callable[[str, bytes], Any], output: Path) -> ExportSummary:
    # One postmortem at a time: 100,000 of them never sit in memory together.
    names: set[str] = set()
    count = 0
    postmortems = Postmortem.objects.select_related("incident").order_by("id")
    for pm in postmortems.iterator(chunk_size=500):
        name = export_filename(pm, "md")
        if name in names:  # two postmortems of one incident with one title
            name = name.removesuffix(".md") + f"-{pm.pk}.md"
        names.add(name)
        put(f"postmortems/{name}", pm.source.encode())
        count += 1
    incidents = Incident.objects.order_by("id").values()
    items = ActionItem.objects.order_by("id").values()
    put("incidents.json", _json(incidents))
    put("action-items.json", _json(items))
    guide = GuideInputs.objects.order_by("id").values("values", "principles", "config")
    put("guide.json", json.dumps(guide.first() or {}, indent=2, ensure_ascii=False).encode())
    return ExportSummary(count, incidents.count(), items.count(), output)
