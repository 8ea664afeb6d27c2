"""`nofault lsp` without the lsp extra: one line naming it, no traceback."""

from __future__ import annotations

import subprocess
import sys

# The lsp extra's modules made unimportable in a fresh process, as in an install without it.
HIDDEN = (
    "import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None; "
    "from nofault.cli.main import app; app(['lsp'], prog_name='nofault')"
)


def test_lsp_without_its_extra_says_what_to_install() -> None:
    done = subprocess.run(
        [sys.executable, "-c", HIDDEN],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'nofault[lsp]'" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
