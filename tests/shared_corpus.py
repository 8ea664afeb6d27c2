"""Where the shared real-world material lives: beside the repository, $NOFAULT_SHARED or /work/shared."""

from __future__ import annotations

import os
from pathlib import Path


def shared_folder(part: str) -> Path:
    """Return a folder of the shared material, such as `corpus/imports`."""
    repo = Path(__file__).resolve().parents[1]
    candidates = [os.environ.get("NOFAULT_SHARED"), repo.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / part).is_dir():
            return Path(candidate) / part
    raise RuntimeError(f"shared {part} not found: set NOFAULT_SHARED to the shared folder")
