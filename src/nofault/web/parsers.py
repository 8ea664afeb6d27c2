"""Request body parsers the API accepts besides JSON."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import BaseParser


class MarkdownParser(BaseParser):
    """Read a `text/markdown` body as a string."""

    media_type = "text/markdown"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> str:
        """Return the body decoded as UTF-8."""
        data = stream.read() if stream is not None else b""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError("the Markdown body is not UTF-8 text") from exc
