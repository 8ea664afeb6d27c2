"""Lint configuration: `[tool.nofault]` in pyproject.toml or `.nofault.toml`, found upward.

Rules are switched on and off by code (`BLM101`), code prefix (`BLM1`), dotted path
(`blame.judgemental`) or category (`blame`); the most specific key wins, and at equal
specificity the command line beats the file and `ignore` beats `select`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nofault.core.document import DEFAULT_SEVERITIES, SectionKind
from nofault.core.lint.config_files import CONFIG_FILES as CONFIG_FILES
from nofault.core.lint.config_files import ConfigError as ConfigError
from nofault.core.lint.config_files import find_config as _find_config
from nofault.core.lint.config_files import read_toml as _read_toml
from nofault.core.lint.rule import Level, Rule, Status

if TYPE_CHECKING:
    from nofault.core.guide.config import GuideConfig

# The sections a postmortem needs at either review level (`required-sections` changes them).
REQUIRED_SECTIONS = ("summary", "impact", "timeline", "contributing_factors", "action_items")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class LintConfig(BaseModel):
    """Everything that changes what the linter reports."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True
    )

    rules: dict[str, bool] = Field(default_factory=dict)
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    fail_level: Level = Level.WARNING
    severities: list[str] = Field(default_factory=lambda: list(DEFAULT_SEVERITIES))
    roster: list[str] = Field(default_factory=list)
    # Extra judgemental words or phrases the blame pack flags (`blame-words = ["hero"]`).
    blame_words: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    # Markdown files the language server lints even without front matter or the format's
    # headings (globs, relative to the configuration's folder).
    include: list[str] = Field(default_factory=list)
    # The organisation's own section headings (heading -> section kind), from its guide.
    headings: dict[str, SectionKind] = Field(default_factory=dict)
    guide: str | None = None  # guide.toml whose template `nofault new` writes (relative path)
    # A light review drops sections, never the impact or the timeline.
    required_sections: dict[str, list[str]] = Field(
        default_factory=lambda: {"full": list(REQUIRED_SECTIONS), "light": list(REQUIRED_SECTIONS)}
    )
    # Depth and actions packs: the depth score's pass mark and the bar each severity sets.
    min_depth: dict[str, int] = Field(default_factory=lambda: {"SEV1": 70, "SEV2": 60})
    min_timeline_events: dict[str, int] = Field(
        default_factory=lambda: {"SEV1": 8, "SEV2": 6, "SEV3": 4, "SEV4": 2, "SEV5": 2}
    )
    min_why_steps: int = 3
    learning_sections: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "full": ["went_well", "lucky", "surprised"],
            "light": ["went_well"],
        }
    )
    # Rules (code, path or category) a light review is not held to.
    light_review_skip: list[str] = Field(
        default_factory=lambda: [
            "depth.single-cause",
            "depth.one-category",
            "depth.thin-timeline",
            "depth.impact-not-quantified",
            "depth.no-detection-time",
        ]
    )
    system_change_severities: list[str] = Field(default_factory=lambda: ["SEV1", "SEV2"])
    extra_vague_actions: list[str] = Field(default_factory=list)
    extra_approval_actions: list[str] = Field(default_factory=list)
    # Preview rules run only when asked for (`preview = true` or `--preview`).
    preview: bool = False
    # Where `nofault lint` keeps its cache, relative to this file's folder (default:
    # .nofault_cache beside it).
    cache_dir: str | None = None
    # Set from the command line; compared at a higher precedence than the file's keys.
    cli_select: list[str] | None = None
    cli_ignore: list[str] = Field(default_factory=list)
    source: str | None = None

    @field_validator("rules", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        """Accept nested tables (`[rules.blame] judgemental = false`) as dotted keys."""
        if not isinstance(value, dict):
            return value
        flat: dict[str, Any] = {}

        def walk(prefix: str, node: dict[str, Any]) -> None:
            for key, item in node.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(item, dict):
                    walk(name, item)
                else:
                    flat[name] = item

        walk("", value)
        return flat

    def heading_aliases(self) -> dict[str, SectionKind]:
        """Return the organisation's headings keyed for `markdown.heading_kind`."""
        from nofault.core.markdown import heading_key

        return {heading_key(h): kind for h, kind in self.headings.items()}

    def with_cli(
        self, *, select: list[str] | None, ignore: list[str] | None, preview: bool = False
    ) -> LintConfig:
        """Return a copy with command-line `--select`, `--ignore` and `--preview` on top."""
        update: dict[str, Any] = {"cli_select": select or None, "cli_ignore": ignore or []}
        if preview:
            update["preview"] = True
        return self.model_copy(update=update)

    def is_enabled(self, rule: Rule) -> bool:
        """Tell whether a rule runs: the most specific key decides; preview needs preview on."""
        if rule.status is Status.PREVIEW and not self.preview:
            return False
        best: tuple[int, int, int] = (-1, -1, -1)
        enabled = True
        choices: list[tuple[str, bool, int]] = [(k, v, 0) for k, v in self.rules.items()]
        select = self.cli_select if self.cli_select is not None else self.select
        if select is not None:
            best, enabled = (0, -1, 0), False
            choices += [(k, True, 2 if self.cli_select is not None else 1) for k in select]
        choices += [(k, False, 1) for k in self.ignore]
        choices += [(k, False, 2) for k in self.cli_ignore]
        for key, on, precedence in choices:
            specificity = rule_key_specificity(key, rule)
            if specificity is None:
                continue
            rank = (specificity, precedence, 0 if on else 1)
            if rank > best:
                best, enabled = rank, on
        return enabled


_CODE_PREFIX = re.compile(r"^[A-Z]{3}\d{0,3}$")


def rule_key_specificity(key: str, rule: Rule) -> int | None:
    """Return how specifically `key` names `rule` (higher is more specific), or None."""
    key = key.strip()
    if key.upper() == rule.code:
        return 1000
    if key.upper() == "ALL":
        return 0
    if _CODE_PREFIX.match(key.upper()) and rule.code.startswith(key.upper()):
        return 100 + len(key)
    if rule.path == key or rule.path.startswith(key + "."):
        return len(key.split("."))
    return None


def deprecated_selected(config: LintConfig, rules: list[Rule]) -> list[tuple[str, Rule]]:
    """Return (key, rule) for each deprecated rule a selection names by its code or path.

    A prefix or a category that happens to cover a deprecated rule is not a choice of that
    rule, so only exact names count, as in `select`, `--select` or `rules = {CODE = true}`.
    """
    keys = [*(config.select or []), *(config.cli_select or [])]
    keys += [k for k, on in config.rules.items() if on]
    found = []
    for rule in rules:
        if rule.status is not Status.DEPRECATED:
            continue
        for key in keys:
            if key.strip().upper() == rule.code or key.strip() == rule.path:
                found.append((key.strip(), rule))
                break
    return found


def validate_rule_keys(keys: list[str], rules: list[Rule]) -> list[str]:
    """Return the keys that name no rule at all (typos worth reporting)."""
    return [k for k in keys if not any(rule_key_specificity(k, r) is not None for r in rules)]


def config_from_mapping(data: dict[str, Any], *, source: str = "<config>") -> LintConfig:
    """Build a configuration from a mapping, naming the key that is wrong."""
    try:
        return LintConfig.model_validate({**data, "source": source})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{source}: unknown setting '{where}'") from exc
        raise ConfigError(f"{source}: setting '{where}': {first['msg']}") from exc


def guide_lint_mapping(guide: GuideConfig) -> dict[str, Any]:
    """Return the lint settings a guide gives: its `[lint]` table, severities and headings.

    A light review is held to the required sections its template keeps (the impact and the
    timeline always), never to one the light template drops.
    """
    light = {section.kind.value for section in guide.postmortem_template if section.light}
    return {
        "required-sections": {
            "full": list(REQUIRED_SECTIONS),
            "light": [name for name in REQUIRED_SECTIONS if name in light],
        },
        **guide.lint,
        "severities": guide.lint.get("severities") or [s.name for s in guide.severities],
        "headings": {section.title: section.kind for section in guide.postmortem_template},
    }


def load_config_file(path: Path) -> LintConfig:
    """Load one configuration file (a `.nofault.toml` or a `pyproject.toml`).

    When it names the organisation's guide, the guide's `[lint]` table, severities and
    headings apply under the file's own keys (the headings always come from the guide), so
    the command line lints as the web app does and the guide and the checks never disagree.
    """
    data = _read_toml(path) or {}
    if data.get("guide"):
        from nofault.core.guide.config import load_guide_config

        guide_path = path.parent / str(data["guide"])
        try:
            guide = load_guide_config(guide_path)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: guide = {data['guide']!r}: {exc}") from exc
        from_guide = guide_lint_mapping(guide)
        data = {**from_guide, **data, "headings": from_guide["headings"]}
    return config_from_mapping(data, source=str(path))


def discover_config(start: Path) -> LintConfig:
    """Find the configuration that governs a file: the nearest one upward, or the defaults."""
    directory = start if start.is_dir() else start.parent
    found = _find_config(directory.resolve())
    return load_config_file(found) if found else LintConfig()
