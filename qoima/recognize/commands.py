"""CLI: `qoima ocr REF`, `qoima text REF`, `qoima ocr-setting REF`, `qoima page-copy REF N`."""

from __future__ import annotations

import json
import sys
import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err = Console(stderr=True)


def _setup() -> None:
    from qoima.cli import django_setup

    django_setup()


def _fail(message: str, code: int = 1) -> None:
    from qoima.cli import QoimaError

    raise QoimaError(message, code)


def _bar(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def ocr(
    ref: str = typer.Argument(..., help="reference code: the description and everything under it"),
    lang: str = typer.Option("", "--lang", help="auto, or kk-Cyrl, kk-Latn, kk-Arab, ru, ar, fa, en (join with +); "
                             "default: the fonds setting, else auto"),
    force: bool = typer.Option(False, "--force", help="read again pages already recognised"),
    queue: bool = typer.Option(False, "--queue", help="run on the job queue (a `qoima worker`) and follow it"),
    workers: int = typer.Option(0, "--workers", help="OCR processes (0: one per core)"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    user: str = typer.Option("", "--user", help="who runs it (PREMIS agent)"),
) -> None:
    """Clean up and OCR the pages of REF and everything under it; results go into the AIPs."""
    _setup()
    from qoima.ingest.models import Job
    from qoima.recognize.languages import UnknownLanguage, parse_langs
    from qoima.recognize.service import RecognizeError, get_description
    from qoima.recognize.tasks import run_ocr_job, submit_ocr

    try:
        get_description(ref)
        if lang and lang != "auto":
            lang = "+".join(parse_langs(lang))
    except (RecognizeError, UnknownLanguage) as exc:
        _fail(str(exc))
    bar = _bar(as_json)
    if queue:
        job = submit_ocr(ref, lang, force, user)
        if not as_json:
            err.print(f"job {job.pk} queued; waiting for a worker (`qoima worker`) ...")
        task = bar.add_task("ocr", total=None) if bar else None
        if bar:
            bar.start()
        try:
            while job.status not in ("done", "failed"):
                time.sleep(0.5)
                job.refresh_from_db()
                if bar:
                    bar.update(task, completed=job.done, total=job.total or None, description=f"ocr: {job.stage}")
        finally:
            if bar:
                bar.stop()
    else:
        args = {"ref": ref, "lang": lang, "force": force, "user": user}
        if workers:
            args["workers"] = workers
        job = Job.objects.create(kind="ocr", args=args)
        if bar is None:
            job = run_ocr_job(job.pk)
        else:
            with bar:
                task = bar.add_task("ocr", total=None)
                job = run_ocr_job(job.pk, lambda done, total, stage: bar.update(
                    task, completed=done, total=total, description=f"ocr: {stage}"))
    if job.status != "done":
        _fail(job.error.split("\n\n")[0] or "OCR failed")
    r = job.result
    if as_json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
    else:
        console.print(f"{r['ref']}: {r['recognized']} pages recognised, {r['skipped']} already done, "
                      f"{len(r['errors'])} errors", highlight=False)
    for e in r["errors"]:
        err.print(f"error: {e}", highlight=False, markup=False)
    raise typer.Exit(1 if r["errors"] else 0)


def text(
    ref: str = typer.Argument(..., help="reference code"),
    page: int = typer.Option(None, "--page", help="only this page (1-based) of the item"),
    as_json: bool = typer.Option(False, "--json", help="pages with language, confidence and flags"),
) -> None:
    """Print the recognised text of REF (and the descriptions under it), page by page."""
    _setup()
    from qoima.recognize.service import RecognizeError, get_description, pages_of, texts_under

    try:
        get_description(ref)
        pages = pages_of(ref, page) if page is not None else texts_under(ref)
    except RecognizeError as exc:
        _fail(str(exc))
    if page is not None and not pages:
        _fail(f"{ref}: page {page} has not been recognised")
    if as_json:
        print(json.dumps([{"ref": p.description.ref, "page": p.page, "lang": p.lang, "confidence": p.confidence,
                           "flags": p.flags, "model": p.model, "source": p.source, "text": p.text}
                          for p in pages], ensure_ascii=False, indent=1))
        return
    many = len({p.description_id for p in pages}) > 1 or (page is None and len(pages) > 1)
    for p in pages:
        if many:
            sys.stdout.write(f"--- {p.description.ref} page {p.page} ({p.lang}) ---\n")
        sys.stdout.write(p.text + ("\n" if p.text else ""))


def ocr_setting(
    ref: str = typer.Argument(..., help="reference code of the fonds (or any description)"),
    lang: str = typer.Option(None, "--lang", help="auto, or language tags joined by +"),
    auto: bool = typer.Option(None, "--auto/--no-auto", help="OCR automatically after ingest"),
    show_enhanced: bool = typer.Option(None, "--enhanced/--original", help="copy readers see by default"),
) -> None:
    """Show or set the OCR language, automatic OCR after ingest and the readers' copy for a fonds."""
    _setup()
    from qoima.recognize.languages import UnknownLanguage
    from qoima.recognize.service import RecognizeError, configure, get_description, setting_for

    try:
        if lang is None and auto is None and show_enhanced is None:
            s = setting_for(get_description(ref))
        else:
            s = configure(ref, lang=lang, auto=auto, show_enhanced=show_enhanced)
    except (RecognizeError, UnknownLanguage) as exc:
        _fail(str(exc))
    if s is None:
        console.print(f"{ref}: no OCR setting (auto language, no automatic OCR)", highlight=False)
    else:
        console.print(f"{s.description.ref}: language {s.lang}, automatic OCR after ingest "
                      f"{'on' if s.auto_after_ingest else 'off'}, readers see the "
                      f"{'enhanced copy' if s.show_enhanced else 'original scan'}", highlight=False)


def page_copy(
    ref: str = typer.Argument(..., help="reference code of the item"),
    page: int = typer.Argument(..., help="page number (1-based)"),
    show: str = typer.Option(..., "--show", help="enhanced or original: the copy readers see"),
) -> None:
    """Choose whether readers see the enhanced copy or the original scan of a page."""
    _setup()
    from qoima.recognize.service import RecognizeError, choose_copy

    if show not in ("enhanced", "original"):
        _fail("--show takes enhanced or original")
    try:
        p = choose_copy(ref, page, show == "enhanced")
    except RecognizeError as exc:
        _fail(str(exc))
    console.print(f"{ref} page {p.page}: readers see the {show} copy", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("ocr")(ocr)
    app.command("text")(text)
    app.command("ocr-setting")(ocr_setting)
    app.command("page-copy")(page_copy)
