"""What a lint returns: findings, the result for one file, and the depth score's values.

Plain values that import nothing heavy, so that `nofault lint` serves a file's kept result
without loading the linter (the engine and the depth pack build them and re-export them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from nofault.core.lint.rule import Level

if TYPE_CHECKING:
    from nofault.core.markdown import ParsedText


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """When the incident started, was detected, mitigated and resolved, and the gaps between."""

    started: datetime | None
    detected: datetime | None
    mitigated: datetime | None
    resolved: datetime | None

    def _minutes(self, end: datetime | None) -> float | None:
        if self.started is None or end is None or end < self.started:
            return None
        return round((end - self.started).total_seconds() / 60, 1)

    @property
    def time_to_detect_minutes(self) -> float | None:
        """Minutes from the start of impact to detection."""
        return self._minutes(self.detected)

    @property
    def time_to_mitigate_minutes(self) -> float | None:
        """Minutes from the start of impact to mitigation."""
        return self._minutes(self.mitigated)

    @property
    def time_to_resolve_minutes(self) -> float | None:
        """Minutes from the start of impact to resolution."""
        return self._minutes(self.resolved)

    def as_dict(self) -> dict[str, float | None]:
        """Return the three durations, keyed as the JSON output names them."""
        return {
            "time_to_detect_minutes": self.time_to_detect_minutes,
            "time_to_mitigate_minutes": self.time_to_mitigate_minutes,
            "time_to_resolve_minutes": self.time_to_resolve_minutes,
        }


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part of the score: its name, points earned out of its maximum, and why."""

    name: str
    points: float
    max: float
    detail: str

    def as_dict(self) -> dict[str, Any]:
        """Return the part as the JSON output's object."""
        return {"name": self.name, "points": self.points, "max": self.max, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class DepthScore:
    """A postmortem's depth score, the bar its severity sets, and the parts that make it."""

    score: int
    min: int | None
    parts: tuple[ScorePart, ...]
    times: ResponseTimes
    review_level: str = "full"
    notes: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        """Tell whether the score reaches the severity's minimum (always, when there is none)."""
        return self.min is None or self.score >= self.min

    def as_dict(self) -> dict[str, Any]:
        """Return the score in the shape `nofault lint --score` prints and the JSON carries."""
        return {
            "score": self.score,
            "min": self.min,
            "passed": self.passed,
            "parts": [p.as_dict() for p in self.parts],
            "times": self.times.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one file, with where it is and what to write instead."""

    code: str
    rule: str
    category: str
    level: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    suggestion: str
    excerpt: str
    fix: str | None = None  # replacement text for the span, when one is mechanical

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as the JSON output's object (without the file; `fix` if any)."""
        data = asdict(self)
        data.pop("file")
        if self.fix is None:
            data.pop("fix")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], file: str = "-") -> Finding:
        """Return the finding `as_dict` gave (as the web app stores it), found in `file`."""
        known = {k: v for k, v in data.items() if k in _FINDING_NAMES}
        return cls(file=file, **{"suggestion": "", "excerpt": "", **known})


_FINDING_NAMES = frozenset(f.name for f in fields(Finding)) - {"file"}


@dataclass
class LintResult:
    """The findings for one file, and the depth score when the file is a postmortem."""

    path: str
    findings: list[Finding]
    is_postmortem: bool
    parsed: ParsedText | None = None
    score: DepthScore | None = None

    def worst(self) -> Level | None:
        """Return the highest level among the findings, or None when there are none."""
        levels = [Level(f.level) for f in self.findings]
        return max(levels, key=lambda lv: lv.rank) if levels else None
