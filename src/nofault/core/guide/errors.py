"""The one error the guide builder raises: bad input, named by file and line."""

from __future__ import annotations


class GuideInputError(ValueError):
    """Input the guide cannot be built from; the message names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
