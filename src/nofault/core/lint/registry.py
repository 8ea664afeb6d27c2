"""The rule registry: packs register their rules here when imported."""

from __future__ import annotations

import importlib
import pkgutil

from nofault.core.lint.rule import Rule

_RULES: dict[str, Rule] = {}
_LOADED = False


def register(rule: Rule) -> Rule:
    """Add a rule; codes and paths must be unique across every pack."""
    for existing in _RULES.values():
        if existing.code == rule.code and existing is not rule:
            raise ValueError(f"rule code {rule.code} is registered twice")
        if existing.path == rule.path and existing.code != rule.code:
            raise ValueError(f"rule path {rule.path} is used by {existing.code} and {rule.code}")
    _RULES[rule.code] = rule
    return rule


def _load_packs() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import nofault.core.lint.packs as packs

    for module in pkgutil.iter_modules(packs.__path__):
        importlib.import_module(f"{packs.__name__}.{module.name}")


def all_rules() -> list[Rule]:
    """Return every registered rule, ordered by code."""
    _load_packs()
    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code_or_path: str) -> Rule | None:
    """Find a rule by its code (case-insensitive) or its dotted path."""
    _load_packs()
    key = code_or_path.strip()
    rule = _RULES.get(key.upper())
    if rule:
        return rule
    return next((r for r in _RULES.values() if r.path == key), None)
