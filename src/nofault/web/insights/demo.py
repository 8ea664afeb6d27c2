"""The insights half of the demo: a year of earlier reviews with recurring themes, and a pulse.

`demo_insights_load` is called by `nofault.web.demo.demo_load` once the organisation exists.
Everything goes through the services, as the pages would.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from nofault.web.accounts.models import User
from nofault.web.incidents import services as incident_services
from nofault.web.incidents.models import Incident
from nofault.web.insights import services
from nofault.web.postmortems import services as pm_services
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews import services as review_services

# (key, title, severity, service, team, days ago, factors [(category, text)], actions, repeats)
_HISTORY: list[tuple[str, str, str, str, str, int, list[tuple[str, str]], list[str], str]] = [
    ("INC-0901", "EU checkout errors went unnoticed for forty minutes", "SEV2", "checkout",
     "team-checkout", 330,
     [("tooling", "No error-rate alert covered the eu-west region."),
      ("process", "A configuration change shipped without validation in staging.")],
     ["done", "done"], ""),
    ("INC-0912", "Payments in ap-south failed silently", "SEV2", "payments", "team-payments", 290,
     [("tooling", "Alerts were missing for the ap-south region."),
      ("technical", "Retries against the provider had no backoff and amplified the load.")],
     ["done", "open"], ""),
    ("INC-0925", "Expired TLS certificate on the partner API", "SEV1", "partner-api",
     "team-platform", 250,
     [("tooling", "Certificate expiry was not monitored for internal endpoints."),
      ("process", "Certificate renewal depended on one calendar reminder.")],
     ["done", "done"], ""),
    ("INC-0931", "Config push disabled search ranking", "SEV3", "search", "team-search", 210,
     [("process", "The configuration change was not validated before rollout."),
      ("technical", "The ranking service read configuration only at start-up.")],
     ["done", "in_progress"], ""),
    ("INC-0944", "Orders API retry storm after a database blip", "SEV2", "orders",
     "team-orders", 170,
     [("technical", "Client retries without backoff or jitter overloaded the database."),
      ("tooling", "The dashboard showed no retry rate.")],
     ["open", "done"], "INC-0912"),
    ("INC-0958", "Certificate expiry broke the internal auth service", "SEV2", "auth",
     "team-platform", 130,
     [("tooling", "Nobody was alerted before the internal certificate expired."),
      ("organisational", "Ownership of internal certificates was unclear.")],
     ["open", "open"], "INC-0925"),
    ("INC-0967", "No alert when us-east latency doubled", "SEV3", "api-gateway",
     "team-platform", 95,
     [("tooling", "Latency alerts were missing for the us-east region."),
      ("process", "New regions launch without a monitoring checklist.")],
     ["done", "open"], "INC-0901"),
    ("INC-0973", "Unvalidated feature flag config took down recommendations", "SEV3",
     "recommendations", "team-search", 60,
     [("process", "Feature flag configuration changes skip validation."),
      ("technical", "The widget failed closed when the flag payload was malformed.")],
     ["in_progress", "open"], ""),
]  # fmt: skip

_ACTIONS = {
    "tooling": "Add the missing alert and test it fires",
    "process": "Validate configuration in CI before rollout",
    "technical": "Add backoff and jitter to client retries",
    "organisational": "Name an owner for internal certificates",
}

# (answers per statement, comment) for four participants of the demo's pulse.
_PULSE: list[tuple[dict[str, int], str]] = [
    ({"safe_to_share": 5, "systems_not_people": 5, "learned": 4},
     "The timeline made it easy to speak up."),
    ({"safe_to_share": 4, "systems_not_people": 5, "learned": 5}, ""),
    ({"safe_to_share": 4, "systems_not_people": 4, "learned": 4},
     "We could spend more time on detection."),
    ({"safe_to_share": 5, "systems_not_people": 4, "learned": 3}, ""),
]  # fmt: skip


def _source(
    key: str,
    title: str,
    severity: str,
    service: str,
    team: str,
    day: str,
    factors: list[tuple[str, str]],
    actions: list[str],
    repeats: str,
) -> str:
    factor_lines = "\n".join(
        f"- **F{i}** [{category}] {text}" for i, (category, text) in enumerate(factors, 1)
    )
    due = (timezone.localdate() - timedelta(days=20)).isoformat()
    action_rows = "\n".join(
        f"| A{i} | {_ACTIONS[factors[i - 1][0]]} for {service} | prevent | {team} | alex | {due} "
        f"| {status} | F{i} |  |"
        for i, status in enumerate(actions, 1)
    )
    front = f"recurrence_of:\n  - {repeats}\n" if repeats else ""
    return (
        f"---\nincidents:\n  - {key}\nseverity: {severity}\nstatus: draft\nreview_level: full\n"
        f"services:\n  - {service}\nteam: {team}\nauthors:\n  - alex\nfacilitator: fran\n{front}"
        f"---\n\n# {title}\n\n## Summary\n\n{title}. Customers of {service} saw errors until "
        "the team mitigated it.\n\n## Timeline\n\n| Time | Event | Kind | Source |\n"
        "| --- | --- | --- | --- |\n"
        f"| {day} 09:00 UTC | Change rolled out | trigger |  |\n"
        f"| {day} 09:25 UTC | Customers reported errors | detection |  |\n"
        f"| {day} 09:50 UTC | Change rolled back | mitigation |  |\n"
        f"| {day} 10:30 UTC | Incident resolved | resolution |  |\n\n"
        f"## Contributing factors\n\n{factor_lines}\n\n## Analysis\n\n"
        "What the responders saw made their choices reasonable at the time; the gaps were in "
        "what the system showed them.\n\n## Action items\n\n"
        "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"{action_rows}\n"
    )


def demo_insights_load() -> int:
    """Add a year of earlier published reviews and a demo pulse; return how many reviews."""
    fran, alex, sam = (User.objects.get(username=n) for n in ("fran", "alex", "sam"))
    admin = User.objects.get(username="admin")
    created = 0
    for key, title, severity, service, team, days, factors, actions, repeats in _HISTORY:
        if Incident.objects.filter(key=key).exists():
            continue
        started = timezone.now() - timedelta(days=days)
        incident = incident_services.incident_create(
            actor=alex, key=key, title=title, severity=severity, services=[service],
            status="resolved", started_at=started, detected_at=started + timedelta(minutes=25),
            mitigated_at=started + timedelta(minutes=50),
            resolved_at=started + timedelta(minutes=90), created_at=started,
        )  # fmt: skip
        source = _source(key, title, severity, service, team, f"{started:%Y-%m-%d}", factors,
                         actions, repeats)  # fmt: skip
        pm = pm_services.postmortem_create(incident=incident, actor=alex, source=source)
        pm = review_services.postmortem_submit_for_review(
            postmortem=pm, actor=alex, reviewers=[fran]
        )
        review_services.postmortem_approve(postmortem=pm, actor=fran)
        review_services.postmortem_publish(postmortem=pm, actor=fran, accept_blame_findings=True)
        created += 1
    review = Postmortem.objects.filter(incident__key="INC-1001", status="published").first()
    if review is not None and not review.pulse_participations.exists():
        for person, (scores, comment) in zip((fran, alex, sam, admin), _PULSE, strict=True):
            services.pulse_answer(postmortem=review, actor=person, scores=scores, comment=comment)
    return created
