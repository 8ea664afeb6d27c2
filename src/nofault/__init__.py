"""nofault: blameless postmortems, from the organisation's values to the lessons learned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nofault.__about__ import __version__

if TYPE_CHECKING:
    from nofault.core.document import Postmortem
    from nofault.core.lint.engine import Finding, lint_text
    from nofault.core.markdown import parse, render

__all__ = ["Finding", "Postmortem", "__version__", "lint_text", "parse", "render"]

# The public names load on first use, so that `nofault --version` and every module under
# nofault/ start without the document model and the linter.
_LAZY = {
    "Postmortem": "nofault.core.document",
    "Finding": "nofault.core.lint.engine",
    "lint_text": "nofault.core.lint.engine",
    "parse": "nofault.core.markdown",
    "render": "nofault.core.markdown",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nofault' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
