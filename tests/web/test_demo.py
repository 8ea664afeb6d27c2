"""The demo organisation reads like a real one: each timeline happens during its incident."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nofault.core import document as d
from nofault.core.markdown import parse
from nofault.core.timeparse import parse_event_time


def test_demo_timelines_fall_inside_their_incidents(db: Any) -> None:
    from nofault.web.demo import demo_load
    from nofault.web.postmortems.models import Postmortem

    demo_load()
    checked = 0
    for pm in Postmortem.objects.select_related("incident").filter(
        incident__key__startswith="INC-10"
    ):
        incident = pm.incident
        doc = parse(pm.source)
        for section in doc.sections:
            if not isinstance(section, d.TimelineSection):
                continue
            for event in section.events:
                when = parse_event_time(event.time, incident.started_at.date())
                assert when is not None, event.time
                # Minutes are what a timeline shows; the incident's clock has seconds.
                start = incident.started_at.replace(second=0, microsecond=0)
                assert start <= when <= incident.resolved_at + timedelta(minutes=1), (
                    incident.key,
                    event.time,
                    incident.started_at,
                    incident.resolved_at,
                )
                checked += 1
    assert checked >= 50
