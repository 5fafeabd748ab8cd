"""The `qoima` command: one entry point for every part of the archive.

Each part contributes a Typer sub-application or commands from its `commands` module; they are
registered at the bottom of this file. Django is set up lazily (`django_setup`) so `--help` is fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(
    name="qoima",
    help="Qoima: ingest, preserve, describe, recognize, find, show and share archival holdings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


class QoimaError(Exception):
    """An error the user can act on: printed without a traceback, exit status 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


_ready = False


def django_setup(migrate: bool = True) -> None:
    """Configure Django for this home and bring its database schema up to date if needed."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qoima.settings")
    import django

    django.setup()
    if migrate:
        migrate_if_needed()
    _ready = True


def migrate_if_needed(verbosity: int = 0) -> bool:
    """Apply pending migrations; True if any ran."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=verbosity)
    return True


@app.callback()
def main_options(
    home: Path = typer.Option(None, "--home", help="archive home folder (env QOIMA_HOME, default ./qoima-data)",
                              envvar="QOIMA_HOME", show_default=False),
) -> None:
    if home is not None:
        os.environ["QOIMA_HOME"] = str(home.expanduser().resolve())


@app.command()
def init() -> None:
    """Create the archive home and its database, or migrate them to this version."""
    django_setup(migrate=False)
    from django.conf import settings

    ran = migrate_if_needed(verbosity=0)
    db = settings.DATABASES["default"]
    where = db["NAME"] if "sqlite" in db["ENGINE"] else f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST')}/{db['NAME']}"
    console.print(f"Qoima home: {settings.QOIMA_HOME}")
    console.print(f"Database:   {where} ({'migrated' if ran else 'up to date'})")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(0, help="worker processes (0: two per core)"),
    threads: int = typer.Option(4, help="threads per worker process"),
) -> None:
    """Serve the reading room, API, IIIF and OAI-PMH over HTTP (gunicorn)."""
    django_setup()
    from gunicorn.app.base import BaseApplication

    from qoima.wsgi import application

    class _Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers or 2 * (os.cpu_count() or 1))
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("QOIMA_ACCESS_LOG") or None)
            self.cfg.set("timeout", 120)

        def load(self):
            return application

    console.print(f"Qoima reading room on http://{host}:{port}/")
    _Server().run()


@app.command()
def worker(
    workers: int = typer.Option(2, help="worker processes"),
) -> None:
    """Run queued jobs (ingest, OCR, indexing, audit). Start one per machine; they share the queue."""
    django_setup()
    from django.core.management import call_command

    call_command("run_huey", workers=workers, worker_type="process")


@app.command()
def demo() -> None:
    """Load the demo collection (a multilingual fonds, authorities, accounts, scanned and OCR'd letters);
    safe to run again."""
    django_setup()
    from django.conf import settings

    from qoima.demo import SCANS_FONDS, run

    for label, result in run(Path(settings.QOIMA_HOME), console):
        if isinstance(result, dict):
            result = ", ".join(f"{v} {k}" for k, v in result.items())
        console.print(f"[green]✓[/green] {label}" + (f": {result}" if result else ""))
    console.print("Start the reading room with [bold]qoima serve[/bold] and open http://127.0.0.1:8000/ — "
                  f"search at /search, the scanned letters at /records/{SCANS_FONDS}, IIIF manifests under "
                  "/iiif/, OAI-PMH at /oai?verb=Identify, the API at /api/v1/docs", highlight=False)


def main() -> None:
    """Console entry point: user errors print one clear line, not a traceback."""
    try:
        app()
    except QoimaError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        sys.exit(e.code)


# --- parts register their commands below -------------------------------------------------------
from qoima.catalogue.commands import catalogue_app, export_app, import_app  # noqa: E402

app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(catalogue_app, name="catalogue")

from qoima.ingest.commands import register as _register_ingest  # noqa: E402

_register_ingest(app)

from qoima.recognize.commands import register as _register_recognize  # noqa: E402

_register_recognize(app)

from qoima.search import commands as _search  # noqa: E402

app.command("search")(_search.search)
app.add_typer(_search.authorities_app, name="authorities")

from qoima.accounts.commands import access_app, user_app  # noqa: E402

app.add_typer(user_app, name="user")
app.add_typer(access_app, name="access")

from qoima.exchange.commands import harvest_command  # noqa: E402

app.command("harvest")(harvest_command)
