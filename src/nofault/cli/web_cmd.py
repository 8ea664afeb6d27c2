"""`nofault serve` and `nofault demo`: run the web app, and load a demo organisation into it."""

from __future__ import annotations

import os
import sys

import typer

from nofault.cli.console import fail, stderr, stdout
from nofault.cli.extras import require
from nofault.cli.main import ExitCode, app


def _setup_django(command: str) -> None:
    """Configure Django from the checked settings; a wrong setting stops with its name."""
    require("web", command)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nofault.web.settings")
    from nofault.web.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        fail(f"configuration: {exc}")
        raise typer.Exit(ExitCode.USAGE) from None


def _prometheus_multiprocess() -> None:
    """Give the gunicorn processes one fresh folder for their metrics, before any is made."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    from nofault.web.config import ConfigError, load_config

    try:
        folder = load_config().data_dir / "prometheus"
    except ConfigError:
        return  # _setup_django names the wrong setting
    # Counts left by an earlier run's processes would be summed into this one's.
    for stale in folder.glob("*.db"):
        stale.unlink()
    folder.mkdir(exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        0, "--workers", "-w", min=0, help="Worker processes (0: two per CPU core, plus one)."
    ),
    threads: int = typer.Option(
        4,
        "--threads",
        "-t",
        min=1,
        help="Threads per worker: while one waits on the database another runs (1: sync workers).",
    ),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply migrations first."),
) -> None:
    """Run the web app with gunicorn (static files served by WhiteNoise)."""
    require("web", "serve")
    _prometheus_multiprocess()
    _setup_django("serve")
    if migrate:
        stderr.print("Applying database migrations…")
        _migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import DatabaseError

    from nofault.web.accounts.models import User

    try:
        nobody = not User.objects.filter(is_active=True).exists()
    except DatabaseError:  # --no-migrate on a database without tables yet
        nobody = False
    if nobody:
        stderr.print(
            "No one can log in yet: create the first admin with `nofault createadmin` "
            "(or load the demo with `nofault demo`)."
        )
    count = workers or (os.cpu_count() or 1) * 2 + 1
    stdout.print(
        f"nofault is serving on http://{host}:{port}/ with {count} worker(s) × {threads} thread(s)"
    )
    sys.stdout.flush()
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", count)
            # gthread: requests are mostly database waits, so threads overlap them.
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", None)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 10)

        def load(self) -> object:
            from nofault.web.wsgi import application

            return application

    _Server().run()


@app.command()
def demo(
    force: bool = typer.Option(False, "--force", help="Load again even if the demo is there."),
) -> None:
    """Load a demo organisation: a user per role, ~20 incidents, postmortems and action items."""
    _setup_django("demo")
    _migrate()
    from nofault.web import demo as demo_data

    loaded = demo_data.demo_load(force=force)
    if loaded:
        stdout.print(f"Loaded the demo: {loaded} incidents.")
    else:
        stdout.print("The demo is already loaded (use --force to load it again).")
    stdout.print("Demo logins (username / password):")
    for username, password, role in demo_data.DEMO_USERS:
        stdout.print(f"  {username:<12} {password:<20} {role}")
