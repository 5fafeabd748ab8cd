"""CLI: `qoima ingest`, `qoima aip list/show/export`, `qoima bag validate`, `qoima audit`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()
err = Console(stderr=True)

aip_app = typer.Typer(help="Archival information packages: list, show, export.", no_args_is_help=True)
bag_app = typer.Typer(help="BagIt bags.", no_args_is_help=True)


def _setup() -> None:
    from qoima.cli import django_setup

    django_setup()


def _fail(message: str, code: int = 1) -> None:
    from qoima.cli import QoimaError

    raise QoimaError(message, code)


def _progress_bar(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def _run(kind: str, args: dict, queue: bool, quiet: bool):
    """Run a job inline (with a progress bar) or put it on the queue and follow it."""
    from qoima.ingest.models import Job
    from qoima.ingest.tasks import run_job, submit

    if queue:
        job = submit(kind, args)
        if not quiet:
            err.print(f"job {job.pk} queued; waiting for a worker (`qoima worker`) ...")
        bar = _progress_bar(quiet)
        task = bar.add_task(kind, total=None) if bar else None
        if bar:
            bar.start()
        try:
            while True:
                job.refresh_from_db()
                if bar:
                    bar.update(task, completed=job.done, total=job.total or None, description=f"{kind}: {job.stage}")
                if job.status in ("done", "failed"):
                    break
                time.sleep(0.5)
        finally:
            if bar:
                bar.stop()
        return job
    job = Job.objects.create(kind=kind, args=args)
    bar = _progress_bar(quiet)
    try:
        if bar is None:
            return run_job(job.pk)
        with bar:
            task = bar.add_task(kind, total=None)
            return run_job(job.pk, lambda done, total, stage: bar.update(
                task, completed=done, total=total, description=f"{kind}: {stage}"))
    except Exception as exc:  # storage or system failure: the job row says failed, the user gets one line
        _fail(f"{kind} failed: {type(exc).__name__}: {exc}")


def ingest(
    path: Path = typer.Argument(..., help="a folder, .zip, .tar, .tar.gz or BagIt bag"),
    into: str = typer.Option(..., "--into", help="reference code of the description the items go under"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    derivatives: bool = typer.Option(True, "--derivatives/--no-derivatives", help="make IIIF access copies"),
    queue: bool = typer.Option(False, "--queue", help="run on the job queue (a `qoima worker`) and follow it"),
    user: str = typer.Option(None, "--user", help="who ingests (recorded as PREMIS agent)"),
) -> None:
    """Ingest scans: checks, format identification, fixity, derivatives, AIP in every storage location."""
    _setup()
    job = _run("ingest", {"path": str(path.expanduser().resolve()), "into": into, "derivatives": derivatives,
                          "user": user}, queue, as_json)
    if job.status != "done":
        _fail(job.error.split("\n\n")[0] or "ingest failed")
    result = job.result
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    n = sum(len(i["files"]) for i in result["items"])
    console.print(f"AIP {result['aip']} stored: {len(result['items'])} items, {n} files")
    for item in result["items"]:
        console.print(f"  {item['ref']}  ({len(item['files'])} files)")


def audit(
    repair: bool = typer.Option(False, "--repair", help="restore damaged copies from good ones"),
    as_json: bool = typer.Option(False, "--json"),
    queue: bool = typer.Option(False, "--queue", help="run on the job queue and follow it"),
) -> None:
    """Re-verify every copy of every AIP; exit 0 when all is intact (after repair), 1 otherwise."""
    _setup()
    job = _run("audit", {"repair": repair}, queue, as_json)
    if job.status != "done":
        _fail(job.error.split("\n\n")[0] or "audit failed")
    result = job.result
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for a in result["aips"]:
            for c in a["copies"]:
                state = "intact" if c["intact"] else ("repaired" if repair and not c["unrepaired"] else "DAMAGED")
                console.print(f"{a['aip']}  {c['location']:<10} {state}  checked {c['checked']}")
                for kind in ("missing", "changed", "extra", "unreadable", "repaired", "removed", "unrepaired"):
                    for rel in c[kind][:20]:
                        console.print(f"    {kind:<10} {rel}", highlight=False)
        console.print("all copies intact" if result["ok"] else "[red]damage found[/red]")
    raise typer.Exit(0 if result["ok"] else 1)


@aip_app.command("list")
def aip_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Stored AIPs (only packages with every copy verified are ever listed)."""
    _setup()
    from qoima.ingest.models import Aip

    rows = [{"aip": str(a.uuid), "label": a.label, "status": a.status, "version": a.version, "files": a.file_count,
             "size": a.size, "into": a.description.ref if a.description else None,
             "created": a.created.isoformat()} for a in Aip.objects.select_related("description")]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table("AIP", "label", "status", "v", "files", "bytes", "into")
    for r in rows:
        table.add_row(r["aip"], r["label"], r["status"], str(r["version"]), str(r["files"]), str(r["size"]),
                      r["into"] or "")
    console.print(table)


@aip_app.command("show")
def aip_show(uuid: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """One AIP: items and files, copies per location, events."""
    _setup()
    from qoima.ingest.aip import AipError, get_aip
    from qoima.ingest.service import result_json

    try:
        aip = get_aip(uuid)
    except AipError as exc:
        _fail(str(exc))
    data = {**result_json(aip), "label": aip.label, "status": aip.status, "version": aip.version,
            "fingerprint": aip.fingerprint, "mets": aip.mets_path,
            "copies": [{"location": c.location, "url": c.url, "status": c.status,
                        "verified": c.verified.isoformat() if c.verified else None, "problems": c.problems}
                       for c in aip.copies.all()],
            "events": [{"type": e.type, "datetime": e.datetime.isoformat(), "outcome": e.outcome,
                        "detail": e.detail, "location": e.location, "note": e.outcome_note}
                       for e in aip.events.all()]}
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    console.print(f"AIP {data['aip']}  {aip.label}  ({aip.status}, version {aip.version})", highlight=False)
    for item in data["items"]:
        console.print(f"  {item['ref']}", highlight=False)
        for f in item["files"]:
            console.print(f"    {f['path']}  {f['puid']}  {f['size']} B  sha256 {f['sha256'][:16]}…"
                          + (f"  iiif {f['iiif']}" if f["iiif"] else ""), highlight=False)
    for c in data["copies"]:
        console.print(f"  copy {c['location']:<10} {c['status']}  verified {c['verified']}", highlight=False)
    for e in data["events"]:
        console.print(f"  event {e['datetime']} {e['type']} {e['outcome']} {e['location']}", highlight=False)


@aip_app.command("export")
def aip_export(uuid: str, dest: Path) -> None:
    """Copy the AIP's bag (current version, from a verified copy) to DEST."""
    _setup()
    from qoima.ingest.aip import AipError, export

    try:
        out = export(uuid, dest)
    except AipError as exc:
        _fail(str(exc))
    console.print(f"exported to {out}")


@bag_app.command("validate")
def bag_validate(path: Path, as_json: bool = typer.Option(False, "--json")) -> None:
    """Validate a BagIt bag (RFC 8493): exit 0 valid, 1 invalid, with reasons."""
    from qoima.ingest.bags import validate_bag

    report = validate_bag(path)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        for w in report.warnings:
            err.print(f"warning: {w}", highlight=False, markup=False)
        for e in report.errors:
            err.print(f"invalid: {e}", highlight=False, markup=False)
        console.print(f"{path}: {'valid' if report.valid else 'INVALID'} (BagIt {report.version or '?'})",
                      highlight=False, markup=False)
    raise typer.Exit(0 if report.valid else 1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("audit")(audit)
    app.add_typer(aip_app, name="aip")
    app.add_typer(bag_app, name="bag")
