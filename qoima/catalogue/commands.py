"""`qoima import …`, `qoima export …` and `qoima catalogue …`: the archivist's catalogue commands.

Every import runs in one database transaction: on the first bad row or element nothing is kept and
the message names file, row/line, column/element and the problem (exit status 1, no traceback).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from qoima.cli import QoimaError, console, django_setup, err

import_app = typer.Typer(help="Import descriptions, authority records and repositories (AtoM CSV, EAD).",
                         no_args_is_help=True)
export_app = typer.Typer(help="Export descriptions as EAD3 or Dublin Core.", no_args_is_help=True)
catalogue_app = typer.Typer(help="List and show archival descriptions.", no_args_is_help=True)

MAX_WARNINGS = 30


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise QoimaError(f"{path}: no such file")
    return path


def _report(label: str, report) -> None:
    console.print(f"{label}: {report.summary()}", highlight=False, soft_wrap=True)
    for w in report.warnings[:MAX_WARNINGS]:
        err.print(f"[yellow]warning:[/yellow] {escape(w)}", highlight=False, soft_wrap=True)
    if len(report.warnings) > MAX_WARNINGS:
        err.print(f"[yellow]warning:[/yellow] … and {len(report.warnings) - MAX_WARNINGS} more", highlight=False)


def _is_relationships(path: Path) -> bool:
    with open(path, "rb") as f:
        return b"subjectAuthorizedFormOfName" in f.readline()


@import_app.command("atom-csv")
def import_atom_csv(
    file: Path = typer.Argument(None, help="AtoM archival description CSV (ISAD or RAD template)"),
    authorities: list[Path] = typer.Option(
        None, "--authorities", help="AtoM authority record CSV, or its relationships CSV (told apart by the "
                                    "header); repeatable"),
    repositories: list[Path] = typer.Option(None, "--repositories", help="AtoM repository CSV; repeatable"),
    source: str = typer.Option(None, help="import source name (default: the file name); re-importing with the "
                                          "same source and legacyId updates instead of duplicating"),
    culture: str = typer.Option("en", help="language of rows with an empty culture column"),
    strict: bool = typer.Option(False, help="refuse columns outside the AtoM templates instead of keeping them "
                                            "as labelled notes"),
) -> None:
    """Import AtoM 2.x CSV: repositories first, then authority records and relationships, then descriptions."""
    if not file and not authorities and not repositories:
        raise QoimaError("nothing to import: give a description CSV and/or --authorities / --repositories")
    for p in [*(repositories or []), *(authorities or []), *([file] if file else [])]:
        _existing(p)
    django_setup()
    from django.db import transaction

    from qoima.catalogue.atom_authorities import import_authorities
    from qoima.catalogue.atom_descriptions import import_descriptions
    from qoima.catalogue.atom_repositories import import_repositories
    from qoima.catalogue.importing import CatalogueImportError

    auth_files = sorted(authorities or [], key=_is_relationships)  # records before their relationships
    try:
        with transaction.atomic():
            reports = []
            for p in repositories or []:
                reports.append((p.name, import_repositories(p, default_culture=culture, strict=strict)))
            for p in auth_files:
                reports.append((p.name, import_authorities(p, source=source, default_culture=culture, strict=strict)))
            if file:
                reports.append((file.name, import_descriptions(file, source=source, default_culture=culture,
                                                               strict=strict)))
    except CatalogueImportError as e:
        raise QoimaError(f"{e}\nnothing was imported") from None
    for name, report in reports:
        _report(name, report)


@import_app.command("ead")
def import_ead_cmd(
    files: list[Path] = typer.Argument(..., help="EAD3 or EAD 2002 finding aid(s)"),
    culture: str = typer.Option("en", help="language of a finding aid that declares none"),
) -> None:
    """Import EAD3 / EAD 2002 finding aids (never loads DTDs or external entities)."""
    for f in files:
        _existing(f)
    django_setup()
    from django.db import transaction

    from qoima.catalogue.ead_import import import_ead
    from qoima.catalogue.importing import CatalogueImportError
    from qoima.catalogue.xmlsafe import UnsafeXMLError

    try:
        with transaction.atomic():
            reports = [(f.name, import_ead(f, default_lang=culture)) for f in files]
    except (CatalogueImportError, UnsafeXMLError) as e:
        raise QoimaError(f"{e}\nnothing was imported") from None
    for name, report in reports:
        _report(name, report)


def _write_out(data_writer, output: Path | None) -> None:
    """Write to `output` atomically (temp file renamed into place), or to stdout."""
    if output is None:
        data_writer(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    output = output.expanduser()
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            data_writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    err.print(f"wrote {output}", highlight=False)


def _find(ref: str):
    from qoima.catalogue.models import Description

    d = Description.objects.filter(ref=ref).first()
    if d is None:
        close = list(Description.objects.filter(ref__icontains=ref).values_list("ref", flat=True)[:5])
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise QoimaError(f"no description with reference code {ref!r}{hint}")
    return d


@export_app.command("ead")
def export_ead(
    ref: str = typer.Argument(..., help="reference code of the description (its whole subtree is exported)"),
    output: Path = typer.Option(None, "-o", "--output", help="file to write (default: standard output)"),
    no_children: bool = typer.Option(False, "--no-children", help="this description only"),
) -> None:
    """Write EAD3 (valid against the official schema) with every language of every element."""
    django_setup()
    from qoima.catalogue import ead_export

    d = _find(ref)
    _write_out(lambda f: ead_export.write(d, f, children=not no_children), output)


@export_app.command("dc")
def export_dc(
    ref: str = typer.Argument(..., help="reference code of the description"),
    output: Path = typer.Option(None, "-o", "--output", help="file to write (default: standard output)"),
) -> None:
    """Write simple Dublin Core (oai_dc), one element per value and language (xml:lang)."""
    django_setup()
    from qoima.catalogue import dc

    d = _find(ref)
    _write_out(lambda f: f.write(dc.to_bytes(d)), output)


@catalogue_app.command("list")
def list_cmd(
    under: str = typer.Option(None, "--under", help="only this description and its subtree"),
    as_json: bool = typer.Option(False, "--json", help='JSON: a list of {"ref", "level", "title", "parent"}'),
) -> None:
    """List reference codes, levels and titles in tree order."""
    django_setup()
    from qoima.catalogue import summary

    if under:
        _find(under)
    rows = summary.listing(under)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if not rows:
        console.print("no descriptions")
        return
    table = Table("reference code", "level", "title", box=None, header_style="bold")
    for r in rows:
        table.add_row(escape(r["ref"]), escape(r["level"]), escape(r["title"]))
    console.print(table, soft_wrap=True)


@catalogue_app.command("show")
def show_cmd(
    ref: str = typer.Argument(..., help="reference code"),
    as_json: bool = typer.Option(False, "--json", help="JSON with every area, value and language"),
) -> None:
    """Show one description: all ISAD(G) areas with every language value, dates, creators, access points."""
    django_setup()
    from qoima.catalogue import summary

    _find(ref)
    data = summary.describe(ref)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    console.print(f"[bold]{escape(data['ref'])}[/bold]  {escape(data['level'])}  {escape(data['title'])}",
                  highlight=False)
    if data["ancestors"]:
        console.print(escape("in: " + " › ".join(data["ancestors"])), highlight=False)
    for area in data["areas"]:
        if not area["elements"]:
            continue
        console.print(f"\n[bold]{area['number']} {area['label']}[/bold]", highlight=False)
        for el in area["elements"]:
            console.print(f"  [cyan]{el['number']} {el['label']}[/cyan]", highlight=False)
            for v in el["values"]:
                console.print("    " + escape(_one_line(v)), highlight=False, soft_wrap=True)
    if data["other"]:
        console.print("\n[bold]Other[/bold]")
        for key, values in data["other"].items():
            for v in values:
                console.print(escape(f"  {key}: {_one_line(v)}"), highlight=False, soft_wrap=True)
    points = data["access_points"]
    if any(points.values()):
        console.print("\n[bold]Access points[/bold]")
        for kind, items in points.items():
            for it in items:
                label = it.get("label") or it.get("name")
                others = [x["value"] for x in it.get("labels", []) + it.get("names", []) if x["value"] != label]
                console.print(escape(f"  {kind}: {label}" + (f" ({'; '.join(others)})" if others else "")),
                              highlight=False, soft_wrap=True)
    console.print(f"\nchildren: {data['children_count']}   access: {data['access']['in_force']}", highlight=False)


def _one_line(v: dict) -> str:
    if "role" in v:
        names = "; ".join(f"{n['value']} [{n['lang']}]" for n in v["names"]) or v["name"]
        return f"{v['role']}: {names}"
    if "event_type" in v:
        span = f" ({v['start']} – {v['end']})" if v["start"] or v["end"] else ""
        return f"{v['event_type']}: {v['expression']}{span}"
    if "lang" in v:
        tag = v["lang"] + ("" if v.get("original", True) else f", {v.get('method')}")
        return f"[{tag}] {v['value']}"
    return str(v.get("value", ""))
