"""`nofault createadmin` and `nofault user …`: people from the shell, for a first admin and for
scripts. Each goes through the same account services as the People page."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Any

import typer

from nofault.cli.console import fail, stdout
from nofault.cli.main import ExitCode, app
from nofault.cli.web_cmd import _migrate, _setup_django

user_app = typer.Typer(
    help="People: add, list, change a role, deactivate, send a password reset.",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            text = sys.stdin.read() if str(password_file) == "-" else password_file.read_text()
        except OSError as exc:
            fail(f"cannot read the password file: {exc.strerror}")
            raise typer.Exit(ExitCode.USAGE) from None
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        fail("give --password-file (or - for standard input) when not at a terminal")
        raise typer.Exit(ExitCode.USAGE)
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("The same password again: "):
        fail("the two passwords differ")
        raise typer.Exit(ExitCode.USAGE)
    return first


def _services(command: str) -> Any:
    _setup_django(command)
    _migrate()
    from nofault.web.accounts import services

    return services


def _user(username: str) -> Any:
    from nofault.web.accounts.models import User

    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        fail(f"there is no account named {username!r}")
        raise typer.Exit(ExitCode.USAGE)
    return user


def _system_admin() -> Any:
    """The actor for commands run from the shell: whoever runs them holds the server (the
    audit log names the shell, and the operating system's user who ran the command)."""
    from nofault.web.accounts.models import User
    from nofault.web.audit.services import SHELL

    return User(username=SHELL, role="admin", is_superuser=True)


def _run(call: Any) -> Any:
    from nofault.web.api_errors import ServiceError

    try:
        return call()
    except ServiceError as exc:
        fail(exc.message)
        raise typer.Exit(ExitCode.USAGE) from None


@app.command()
def createadmin(
    username: str = typer.Option("admin", "--username", "-u", help="The admin's username."),
    email: str = typer.Option("", "--email", help="The admin's address (for reset links)."),
    password_file: Path | None = typer.Option(
        None, "--password-file", help="Read the password from this file (- for standard input)."
    ),
) -> None:
    """Create the first administrator (asks for the password, or reads --password-file)."""
    services = _services("createadmin")
    password = _read_password(password_file)
    user = _run(
        lambda: services.user_create(
            username=username,
            password=password,
            role="admin",
            email=email,
            actor=_system_admin(),
        )
    )
    stdout.print(f"Created the admin {user.username}. Log in and invite the others from People.")


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="The username."),
    role: str = typer.Option(
        "author", "--role", "-r", help="viewer, author, facilitator or admin."
    ),
    email: str = typer.Option("", "--email", help="Their address."),
    full_name: str = typer.Option("", "--name", help="Their full name."),
    invite: bool = typer.Option(
        False, "--invite", help="Mail them a link to set their own password instead."
    ),
    password_file: Path | None = typer.Option(
        None, "--password-file", help="Read the password from this file (- for standard input)."
    ),
) -> None:
    """Add a person, with a password or by invitation."""
    services = _services("user add")
    if invite:
        user, _ = _run(
            lambda: services.user_invite(
                actor=_system_admin(), email=email, role=role, username=username,
                full_name=full_name,
            )
        )  # fmt: skip
        stdout.print(f"Invited {user.email} as {user.username} ({user.role}).")
        return
    password = _read_password(password_file)
    user = _run(
        lambda: services.user_create(
            username=username,
            password=password,
            role=role,
            email=email,
            full_name=full_name,
            actor=_system_admin(),
        )
    )
    stdout.print(f"Added {user.username} ({user.role}).")


@user_app.command("list")
def user_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines for scripts."),
) -> None:
    """List everyone with their role, last login and status."""
    _services("user list")
    from nofault.web.accounts.models import User

    for user in User.objects.order_by("username"):
        status = (
            "deactivated" if not user.is_active
            else "invited" if not user.has_usable_password() else "active"
        )  # fmt: skip
        last = user.last_login.isoformat(timespec="minutes") if user.last_login else None
        if as_json:
            row = {"username": user.username, "email": user.email, "role": user.role,
                   "last_login": last, "status": status}  # fmt: skip
            typer.echo(json.dumps(row))
        else:
            typer.echo(f"{user.username:<20} {user.role:<12} {status:<12} {last or 'never'}")


@user_app.command("set-role")
def user_set_role(
    username: str = typer.Argument(..., help="The username."),
    role: str = typer.Argument(..., help="viewer, author, facilitator or admin."),
) -> None:
    """Change a person's role."""
    services = _services("user set-role")
    user = _run(
        lambda: services.user_set_role(actor=_system_admin(), user=_user(username), role=role)
    )
    stdout.print(f"{user.username} is now {user.role}.")


@user_app.command("deactivate")
def user_deactivate(username: str = typer.Argument(..., help="The username.")) -> None:
    """Turn an account off: its sessions end and its API token is revoked."""
    services = _services("user deactivate")
    user = _run(lambda: services.user_deactivate(actor=_system_admin(), user=_user(username)))
    stdout.print(f"{user.username} is deactivated.")


@user_app.command("reset")
def user_reset(username: str = typer.Argument(..., help="The username.")) -> None:
    """Mail a person a link to set a new password."""
    services = _services("user reset")
    user = _user(username)
    if _run(lambda: services.password_reset_send(user=user, actor=_system_admin())) is None:
        fail(f"{user.username} has no address, or is deactivated")
        raise typer.Exit(ExitCode.USAGE)
    stdout.print(f"Sent {user.username} a link to set a new password.")
