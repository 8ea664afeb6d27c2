"""nofault: blameless postmortems, from the organisation's values to the lessons learned."""

from nofault.__about__ import __version__
from nofault.core.document import Postmortem
from nofault.core.lint.engine import Finding, lint_text
from nofault.core.markdown import parse, render

__all__ = ["Finding", "Postmortem", "__version__", "lint_text", "parse", "render"]
