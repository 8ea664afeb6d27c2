"""What makes an action item one that will be finished and will prevent a recurrence.

Pure predicates over a postmortem's action items, shared by the actions rules and the
depth score.
"""

from __future__ import annotations

import re
from datetime import date

from nofault.core.document import (
    ActionItem,
    ActionStatus,
    ActionType,
    ContributingFactor,
    Postmortem,
    SectionKind,
)
from nofault.core.lint.config import LintConfig
from nofault.core.lint.packs.depth.analysis import (
    compile_phrases,
    named_person,
    pack_phrases,
    section_text,
)

SYSTEM_CHANGES = frozenset(
    {ActionType.DETECT, ActionType.MITIGATE, ActionType.PREVENT, ActionType.REPAIR}
)


def live(pm: Postmortem) -> list[ActionItem]:
    """Return the action items the team still stands behind (everything but `wont_do`)."""
    return [a for a in pm.action_items if a.status is not ActionStatus.WONT_DO]


def has_owner(item: ActionItem) -> bool:
    """Tell whether someone (a team or a person) owns the item."""
    return bool((item.owner or "").strip() or (item.person or "").strip())


def is_overdue(item: ActionItem, today: date) -> bool:
    """Tell whether an open item's due date has passed."""
    return item.is_open() and item.due is not None and item.due < today


def vague(item: ActionItem, config: LintConfig) -> re.Match[str] | None:
    """Find wording that makes an action impossible to finish or verify."""
    phrases = [*pack_phrases("actions", "ACT104"), *config.extra_vague_actions]
    return compile_phrases(phrases).search(item.text)


def approval(item: ActionItem, config: LintConfig) -> re.Match[str] | None:
    """Find wording that adds a sign-off, reviewer, approval board or freeze as the fix."""
    phrases = [*pack_phrases("actions", "ACT105"), *config.extra_approval_actions]
    return compile_phrases(phrases).search(item.text)


_INLINE_ACCEPTED = re.compile(r"\(\s*accepted\s*:\s*(?P<reason>[^)]*\S)\s*\)", re.IGNORECASE)


def accepted_reason(item: ActionItem, pm: Postmortem) -> str | None:
    """Return the reason a team gave for accepting an approval step, or None.

    Three ways to say it: `(accepted: reason)` in the action text, a status such as
    `open (accepted: reason)`, or a line `A3 accepted: reason` in the Action items section.
    """
    m = _INLINE_ACCEPTED.search(item.text)
    if m:
        return m["reason"]
    if item.reason and re.match(r"\s*accepted\s*:\s*\S", item.reason, re.IGNORECASE):
        return item.reason.split(":", 1)[1].strip()
    line = re.compile(
        rf"(?<![\w-]){re.escape(item.id)}(?![\w-])[^\n]*?\baccepted\b\s*(?:—|–|-|:)\s*(?P<reason>\S[^\n]*)",
        re.IGNORECASE,
    )
    m = line.search(section_text(pm, SectionKind.ACTION_ITEMS))
    return m["reason"].strip() if m else None


_NAMED_TARGET = re.compile(
    r"^\W*@?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:to|should|must|will|needs? to)\s"
    r"|\b(?i:re-?train|coach|remind|warn|discipline)\s+@?[A-Z][a-z]+\b"
)


def corrective_for_person(item: ActionItem, pm: Postmortem, config: LintConfig) -> str | None:
    """Return whom an action corrects when it asks a person to re-learn or take more care."""
    if not compile_phrases(pack_phrases("actions", "ACT109")).search(item.text):
        return None
    name = named_person(item.text, pm, config)
    if name:
        return name
    m = _NAMED_TARGET.search(item.text)
    if m:
        words = re.findall(r"@?[A-Z][a-z]+", m.group(0))
        return words[-1].lstrip("@") if words else m.group(0).strip()
    if item.person:
        return item.person
    return None


def addressed_by(pm: Postmortem) -> dict[str, list[str]]:
    """Map each contributing factor id to the live action items that address it."""
    out: dict[str, list[str]] = {f.id: [] for f in pm.contributing_factors}
    for item in live(pm):
        for ref in item.factors:
            if ref in out:
                out[ref].append(item.id)
    return out


_ACCEPTED_RISK = re.compile(r"\baccepted[- ]risk\b", re.IGNORECASE)


def accepted_risk(factor: ContributingFactor, pm: Postmortem) -> bool:
    """Tell whether the review marks a factor as an accepted risk (no action on purpose)."""
    if _ACCEPTED_RISK.search(factor.text):
        return True
    ident = re.compile(rf"(?<![\w-]){re.escape(factor.id)}(?![\w-])")
    for kind in (SectionKind.CONTRIBUTING_FACTORS, SectionKind.ACTION_ITEMS, SectionKind.ANALYSIS):
        for line in section_text(pm, kind).splitlines():
            if ident.search(line) and _ACCEPTED_RISK.search(line):
                return True
    return False


def unaddressed_factors(pm: Postmortem) -> list[ContributingFactor]:
    """Return factors no live action addresses and no accepted-risk note covers."""
    covered = addressed_by(pm)
    return [
        f for f in pm.contributing_factors if not covered.get(f.id) and not accepted_risk(f, pm)
    ]


def changes_system(pm: Postmortem) -> bool | None:
    """Tell whether some action changes the system (None when untyped actions leave it open)."""
    items = live(pm)
    if any(a.type in SYSTEM_CHANGES for a in items):
        return True
    if all(a.type is not None for a in items):
        return False
    return None


def needs_system_change(pm: Postmortem, config: LintConfig) -> bool:
    """Tell whether this severity asks for at least one action that changes the system."""
    return (pm.severity or "") in config.system_change_severities


def action_problems(item: ActionItem, pm: Postmortem, config: LintConfig, today: date) -> list[str]:
    """Return the names of every problem one action item has (empty for a good one)."""
    problems: list[str] = []
    if item.status is ActionStatus.WONT_DO:
        return problems
    if not has_owner(item):
        problems.append("no owner")
    if item.is_open() and item.due is None:
        problems.append("no due date")
    if is_overdue(item, today):
        problems.append("overdue")
    if vague(item, config):
        problems.append("vague")
    if approval(item, config) and not accepted_reason(item, pm):
        problems.append("adds an approval step")
    if corrective_for_person(item, pm, config):
        problems.append("corrects a person")
    return problems


_STEM = re.compile(r"[a-z]{5,}")
# Long words every postmortem uses: sharing one says nothing about what an action addresses.
_COMMON = frozenset(
    ("about", "after", "again", "another", "because", "before", "being", "could", "during",
     "every", "incident", "issue", "issues", "other", "should", "their", "there", "these",
     "those", "through", "under", "until", "where", "which", "while", "would", "users")
)  # fmt: skip


_MAX_POSTINGS = 32


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _STEM.findall(text.lower()) if w not in _COMMON}


def implied_links(pm: Postmortem) -> dict[str, set[str]] | None:
    """Return, for a review whose actions name no factor at all, the factors each action shares
    two or more words with (its layout links them by topic, not by id); None otherwise."""
    items, factors = pm.action_items, pm.contributing_factors
    if not items or not factors or any(a.factors for a in items):
        return None
    # An index from word to factors keeps this linear in the words, not actions x factors.
    index: dict[str, list[str]] = {}
    for f in factors:
        for stem in _stems(f.text):
            index.setdefault(stem, []).append(f.id)
    links: dict[str, set[str]] = {}
    for a in items:
        shared: dict[str, int] = {}
        for stem in _stems(a.text):
            postings = index.get(stem, ())
            if len(postings) > _MAX_POSTINGS:
                continue  # a word most factors use links an action to none of them
            for fid in postings:
                shared[fid] = shared.get(fid, 0) + 1
        links[a.id] = {fid for fid, n in shared.items() if n >= 2}
    return links
