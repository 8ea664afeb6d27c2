"""`nofault scim …`: the bearer tokens identity providers provision people and teams with."""

from __future__ import annotations

import typer

from nofault.cli.console import fail, stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.user_cmd import _run, _services, _system_admin

scim_app = typer.Typer(
    help="SCIM provisioning: issue, list and revoke identity providers' tokens.",
    no_args_is_help=True,
)
app.add_typer(scim_app, name="scim")


@scim_app.command("token")
def scim_token(
    name: str = typer.Argument(..., help="The SCIM client's name, such as okta or entra."),
) -> None:
    """Issue a bearer token for a SCIM client (replacing its old one); it is printed once."""
    _services("scim token")
    from nofault.web.scim.services import scim_token_create

    secret = _run(lambda: scim_token_create(name=name, actor=_system_admin()))
    stdout.print(f"SCIM token for {name} (shown once; only its hash is kept):")
    typer.echo(secret)


@scim_app.command("list")
def scim_list() -> None:
    """List the SCIM clients with a token, when each was issued and last used."""
    _services("scim list")
    from nofault.web.scim.models import ScimToken

    for token in ScimToken.objects.all():
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
        typer.echo(f"{token.name:<20} issued {token.created_at:%Y-%m-%d %H:%M}  last used {used}")


@scim_app.command("revoke")
def scim_revoke(name: str = typer.Argument(..., help="The SCIM client's name.")) -> None:
    """Revoke a SCIM client's token: its requests are refused at once."""
    _services("scim revoke")
    from nofault.web.scim.services import scim_token_revoke

    if not scim_token_revoke(name=name, actor=_system_admin()):
        fail(f"there is no SCIM client named {name!r}")
        raise typer.Exit(ExitCode.USAGE)
    stdout.print(f"The SCIM token of {name} is revoked.")
