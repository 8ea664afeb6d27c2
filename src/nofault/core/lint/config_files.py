"""Finding and reading lint configuration files, without building the configuration.

Light to import (no pydantic): `nofault lint` finds a file's configuration and hashes its
bytes to look up a kept result before it loads the linter; `config` builds the values.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

CONFIG_FILES = (".nofault.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration file or option that cannot be used; the message names where and what."""


def read_toml(path: Path) -> dict[str, Any] | None:
    """Return a configuration file's nofault table (None for a pyproject.toml without one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("nofault") if isinstance(tool, dict) else None
    return data.get("tool", {}).get("nofault", data) if "tool" in data else data


@lru_cache(maxsize=256)
def find_config(directory: Path) -> Path | None:
    """Return the configuration file nearest upward from a resolved folder, or None."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and read_toml(candidate) is None:
                    continue
                return candidate
    return None
