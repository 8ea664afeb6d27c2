"""`nofault lsp`: the language server for editors, over stdio."""

from __future__ import annotations

from nofault.cli.extras import require
from nofault.cli.main import app


@app.command(name="lsp")
def lsp_command() -> None:
    """Run the language server on stdin and stdout, for editors (needs nofault[lsp])."""
    require("lsp", "lsp")
    from nofault.lsp.server import serve  # pygls is imported only once it is known to be there

    serve()
