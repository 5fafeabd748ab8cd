"""`qoima search` and `qoima authorities duplicates`."""

from __future__ import annotations

import json

import typer
from rich.progress import Progress
from rich.table import Table

from qoima.cli import QoimaError, console, django_setup

authorities_app = typer.Typer(help="Authority records (persons, corporate bodies, families).", no_args_is_help=True)


def search(
    query: str = typer.Argument(None, help="words in any language or script"),
    as_json: bool = typer.Option(False, "--json", help="print JSON: {total, hits: [{ref, title, score, snippet, page}]}"),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="hits to print"),
    offset: int = typer.Option(0, "--offset", min=0, help="hits to skip"),
    reindex: bool = typer.Option(False, "--reindex", help="rebuild the whole index from the catalogue"),
) -> None:
    """Search descriptions, authority names and recognized text, across scripts (public view)."""
    django_setup()
    if reindex:
        from qoima.search.index import reindex_all

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Reindexing", total=None)
            counts = reindex_all(lambda done, total: progress.update(task, completed=done, total=total))
        console.print(f"Indexed {counts['descriptions']} descriptions, {counts['authorities']} authority records "
                      f"and {counts.get('pages', 0)} recognized pages.")
        if not query:
            return
    if not query:
        raise QoimaError("give a query (or --reindex)")
    from qoima.search.query import search as run

    result = run(query, limit=limit, offset=offset)
    if as_json:
        typer.echo(json.dumps({"total": result.total, "total_capped": result.total_capped, "hits": [
            {"ref": h.ref, "title": h.title, "score": h.score, "snippet": h.snippet, "page": h.page, "words": h.words,
             "kind": h.kind, "lang": h.lang, "dir": h.dir, "url": h.url} for h in result.hits]},
            ensure_ascii=False, indent=2))
        return
    console.print(f"{result.total} found")
    for h in result.hits:
        page = f" p.{h.page}" if h.page else ""
        console.print(f"[bold]{h.ref}[/bold]{page}  {h.title}  [dim]{h.score:.3f}[/dim]", highlight=False)
        if h.snippet:
            console.print("   " + h.snippet.replace("<mark>", "[reverse]").replace("</mark>", "[/reverse]"),
                          highlight=False)


@authorities_app.command("duplicates")
def duplicates(
    threshold: float = typer.Option(85.0, help="similarity 0-100 above which a pair is listed"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    cross_script_only: bool = typer.Option(False, "--cross-script", help="only pairs written in different scripts"),
) -> None:
    """List likely duplicate authority records (the same name in different scripts) to merge."""
    django_setup()
    from qoima.search.duplicates import find_duplicates

    found = [d for d in find_duplicates(threshold) if d.cross_script or not cross_script_only]
    if as_json:
        typer.echo(json.dumps([d.as_dict() for d in found], ensure_ascii=False, indent=2))
        return
    table = Table("score", "id", "name", "id", "name", "why")
    for d in found:
        table.add_row(f"{d.score:.0f}", str(d.a), d.a_name, str(d.b), d.b_name, d.reason)
    console.print(table)
    console.print(f"{len(found)} likely duplicate pair(s)")
