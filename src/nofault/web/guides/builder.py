"""The one place that calls nofault.core.guide, so its interface is wired in one spot."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from nofault.web.api_errors import ServiceError

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "html-body": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}

# The form field each input file is written from, and how the page names it to the reader.
FIELDS = {
    "values": ("values", "your core values"),
    "principles": ("principles", "your leadership principles"),
    "guide": ("config", "the guide settings"),
}


class GuideInputInvalid(ServiceError):
    """An input the guide cannot be built from; `field` is the form field it came from."""

    reason = "invalid_guide_input"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, reason=self.reason)
        self.field = field


def _name(text: str, stem: str) -> str:
    is_markdown = text.lstrip().startswith(("- ", "* ", "#"))
    return f"{stem}.{'md' if is_markdown else 'yaml'}"


def build(
    *, values: str, principles: str, config: str, fmt: str, organisation: str
) -> tuple[Any, str]:
    """Build the guide from the three texts, as `nofault guide build` does from files.

    Raises ImportError when the core's guide package is not installed, GuideInputInvalid with
    the field, line and reason on bad input, and ServiceError when a format cannot be made.
    """
    from nofault.core import guide as core_guide

    with tempfile.TemporaryDirectory(prefix="nofault-guide-") as tmp:
        folder = Path(tmp)
        paths: dict[str, Path | None] = {}
        for key, text in (("values", values), ("principles", principles)):
            if text.strip():
                path = folder / _name(text, key)
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
                values=paths["values"],
                principles=paths["principles"],
                config=config_path,
                fmt=fmt,
                organisation=organisation,
            )
        except core_guide.GuideInputError as exc:
            # Name the field as the page shows it, never the temporary file.
            stem = Path(exc.path).stem if exc.path else ""
            field, label = FIELDS.get(stem, ("values", "the inputs"))
            line = f", line {exc.line}" if exc.line else ""
            raise GuideInputInvalid(f"{label}{line}: {exc.message}", field) from None
        except ValueError as exc:  # PdfUnavailable and other refusals
            raise ServiceError(str(exc), reason="guide_failed") from None
    return content, MEDIA_TYPES[fmt]
