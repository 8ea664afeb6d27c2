"""`nofault scim …`: a token is issued once, kept as a hash, works, is listed and revoked."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from nofault.cli.main import app
from nofault.web.scim.models import ScimToken
from nofault.web.scim.services import scim_token_check

runner = CliRunner()


def test_scim_tokens_are_issued_listed_and_revoked(db: Any) -> None:
    issued = runner.invoke(app, ["scim", "token", "okta"])
    assert issued.exit_code == 0, issued.output
    secret = issued.stdout.strip().splitlines()[-1]
    assert secret.startswith("scim_") and not ScimToken.objects.filter(key_hash=secret).exists()
    assert scim_token_check(secret=secret) == ScimToken.objects.get(name="okta")
    listed = runner.invoke(app, ["scim", "list"])
    assert listed.stdout.split()[:1] == ["okta"] and "issued" in listed.stdout
    assert runner.invoke(app, ["scim", "revoke", "okta"]).exit_code == 0
    assert scim_token_check(secret=secret) is None
    again = runner.invoke(app, ["scim", "revoke", "okta"])
    assert again.exit_code == 2 and "no SCIM client named" in again.output
