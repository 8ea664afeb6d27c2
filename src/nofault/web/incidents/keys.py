"""The one rule for incident keys, read by every door: the API, the form, imports, webhooks.

A key names the incident in its page's address (`/incidents/<key>/`), in front matter and in
other tools, so it must be one path segment that reads the same everywhere: it starts with
a letter or a digit and holds only ASCII letters, digits and `-`, `_`, `.`, `:`, at most 64
characters. That excludes `/` (a second path segment), `..`, spaces, `?` and `#`.
"""

from __future__ import annotations

import string

KEY_MAX_CHARS = 64
_FIRST = frozenset(string.ascii_letters + string.digits)
_ALLOWED = _FIRST | frozenset("-_.:")


def incident_key_problem(key: str) -> str | None:
    """Say what is wrong with an incident key, or None when it is a good one."""
    if not key:
        return "an incident key cannot be empty"
    if len(key) > KEY_MAX_CHARS:
        return f"the incident key is longer than {KEY_MAX_CHARS} characters"
    if key[0] not in _FIRST:
        return f"the incident key {key[:80]!r} must start with a letter or a digit"
    bad = next((c for c in key if c not in _ALLOWED), None)
    if bad is not None:
        return f"the incident key {key!r} holds {bad!r}: use letters, digits and - _ . : only"
    return None


def incident_key_normalise(text: str) -> str:
    """Make a good key of any text an alerting source gives (empty when nothing is left)."""
    kept = "".join(c if c in _ALLOWED else "-" for c in text.strip())
    start = next((i for i, c in enumerate(kept) if c in _FIRST), len(kept))
    return kept[start : start + KEY_MAX_CHARS].rstrip("-")
