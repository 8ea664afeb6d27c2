"""The one place that calls nofault.core.guide, so its interface is wired in one spot."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from nofault.web.api_errors import ServiceError

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def _name(text: str, stem: str) -> str:
    is_markdown = text.lstrip().startswith(("- ", "* ", "#"))
    return f"{stem}.{'md' if is_markdown else 'yaml'}"


def build(*, values: str, principles: str, config: str, fmt: str) -> tuple[Any, str]:
    """Build the guide from the three texts, as `nofault guide build` does from files.

    Raises ImportError when the core's guide package is not installed, and ServiceError with
    the core's message (file and line) on bad input.
    """
    from nofault.core import guide as core_guide

    with tempfile.TemporaryDirectory(prefix="nofault-guide-") as tmp:
        folder = Path(tmp)
        paths: dict[str, Path | None] = {}
        for key, text, stem in (
            ("values", values, "values"),
            ("principles", principles, "principles"),
        ):
            if text.strip():
                path = folder / _name(text, stem)
                path.write_text(text, encoding="utf-8")
                paths[key] = path
            else:
                paths[key] = None
        config_path = None
        if config.strip():
            config_path = folder / "guide.toml"
            config_path.write_text(config, encoding="utf-8")
        try:
            content = core_guide.build_guide(
                values=paths["values"], principles=paths["principles"], config=config_path, fmt=fmt
            )
        except core_guide.GuideInputError as exc:
            # Name the field in the page, not the temporary file.
            where = Path(exc.path).name if exc.path else "input"
            line = f" line {exc.line}" if exc.line else ""
            raise ServiceError(
                f"{where}{line}: {exc.message}", reason="invalid_guide_input"
            ) from None
        except ValueError as exc:  # PdfUnavailable and other refusals
            raise ServiceError(str(exc), reason="guide_failed") from None
    return content, MEDIA_TYPES[fmt]
