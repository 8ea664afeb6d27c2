"""Load a rule pack from YAML: rule values as data, detectors named or built from patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from nofault.core.lint.context import LintContext
from nofault.core.lint.kept import kept_data
from nofault.core.lint.registry import register
from nofault.core.lint.rule import (
    Category,
    Detector,
    Examples,
    Hit,
    Level,
    Rule,
    RuleDoc,
    Scope,
    Status,
)

# libyaml's loader when PyYAML has it (its wheels do): the packs load in a tenth of the time,
# which a web worker's first lint would otherwise pay.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML data with the safe loader (libyaml's when available), or read it as kept.

    While kept data is in force (`nofault lint`: core/lint/kept.py) a text parsed on an
    earlier run is read back from marshal's format instead of parsed again.
    """
    kept = kept_data()
    data = kept.get(text) if kept is not None else None
    if data is None:
        data = yaml.load(text, Loader=SAFE_LOADER)
        if kept is not None:
            kept.put(text, data)
    return data


class PackError(ValueError):
    """A rule pack file that is not well formed; the message names the file and the rule."""


def pattern_detector(patterns: Iterable[str], *, skip_quotes: bool = True) -> Detector:
    """Build a detector that reports every match of the patterns in the prose."""
    compiled = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    def detect(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        for sentence in ctx.sentences:
            if skip_quotes and sentence.in_quote:
                continue
            for m in compiled.finditer(sentence.text):
                line, column = sentence.position(m.start())
                end_line, end_column = sentence.position(m.end())
                yield Hit(line, column, end_line, end_column)

    return detect


def read_pack(path: Path, category: Category, detectors: Mapping[str, Detector]) -> list[Rule]:
    """Read a pack's YAML into rule values, without registering them."""
    try:
        entries = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: not valid YAML: {exc}") from exc
    rules = []
    for entry in entries or []:
        code = entry.get("code", "?")
        try:
            rules.append(_rule(entry, category, detectors))
        except (KeyError, TypeError, ValueError) as exc:
            raise PackError(f"{path}: rule {code}: {exc}") from exc
    return rules


def load_pack(path: Path, category: Category, detectors: Mapping[str, Detector]) -> list[Rule]:
    """Read a pack's YAML and register its rules."""
    rules = read_pack(path, category, detectors)
    for rule in rules:
        try:
            register(rule)
        except ValueError as exc:
            raise PackError(f"{path}: rule {rule.code}: {exc}") from exc
    return rules


def _rule(entry: dict[str, Any], category: Category, detectors: Mapping[str, Detector]) -> Rule:
    if "patterns" in entry:
        detector = pattern_detector(entry["patterns"])
    else:
        detector = detectors[entry.get("detector", entry["code"])]
    doc = entry["doc"]
    examples = entry.get("examples", {})
    return Rule(
        code=entry["code"],
        path=entry["path"],
        category=category,
        level=Level(entry["level"]),
        message=entry["message"].strip(),
        suggestion=entry.get("suggestion", "").strip(),
        detector=detector,
        doc=RuleDoc(
            what=doc["what"].strip(),
            why=doc["why"].strip(),
            example=doc["example"].strip(),
            instead=doc["instead"].strip(),
            references=tuple(doc.get("references", [])),
        ),
        examples=Examples(
            flag=tuple(examples.get("flag", [])), pass_=tuple(examples.get("pass", []))
        ),
        since=str(entry.get("since", "0.1.0")),
        source=entry.get("source", ""),
        scope=Scope(entry.get("scope", "prose")),
        status=Status(entry.get("status", "stable")),
    )
