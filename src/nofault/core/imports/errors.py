"""Why an export could not be imported."""

from __future__ import annotations


class ImportFailure(Exception):
    """A file that cannot be read: its name, the reason, and a short reason code."""

    def __init__(self, name: str, message: str, *, reason: str = "unreadable") -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.reason = reason


class MissingExtra(ImportFailure):
    """The conversion libraries are not installed."""

    def __init__(self, library: str) -> None:
        super().__init__(
            library,
            f"importing needs {library}: install nofault with its import extra "
            "(pip install 'nofault[import]')",
            reason="missing_extra",
        )
