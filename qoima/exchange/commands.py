"""`qoima harvest URL [--set S] [--from D]`: a partner's OAI-PMH catalogue into a partner collection."""

from __future__ import annotations

import typer

from qoima.cli import QoimaError, console, django_setup


def harvest_command(
    url: str = typer.Argument(..., help="base URL of the partner's OAI-PMH provider"),
    set_spec: str = typer.Option("", "--set", help="harvest only this set"),
    from_date: str = typer.Option("", "--from", help="only records changed since (YYYY-MM-DD[Thh:mm:ssZ]); "
                                                    "default: since the last harvest"),
    code: str = typer.Option(None, "--code", help="code of the partner collection (first harvest)"),
    name: str = typer.Option(None, "--name", help="name of the partner collection (first harvest)"),
    full: bool = typer.Option(False, "--full", help="harvest everything again, not only changes"),
) -> None:
    """Harvest another archive's OAI-PMH provider (oai_dc) into a separate, labelled partner collection,
    incrementally: each run asks only for what changed since the previous one."""
    django_setup()
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from qoima.exchange.harvester import HarvestError, harvest

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task(f"harvesting {url}")

        def progress(r):
            bar.update(task, description=f"{url}: page {r.pages}, {r.added} new, {r.updated} updated, {r.deleted} deleted")

        try:
            r = harvest(url, set_spec, from_date, code=code, name=name, progress=progress, full=full)
        except HarvestError as e:
            raise QoimaError(str(e)) from None
    console.print(f"{r.repository}: {r.added} new, {r.updated} updated, {r.deleted} deleted "
                  f"({r.pages} page(s))", highlight=False)
    for e in r.errors:
        console.print(f"[yellow]warning:[/yellow] {e}", highlight=False)
