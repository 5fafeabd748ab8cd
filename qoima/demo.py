"""`qoima demo`: fill an archive home with the demo collection, one ordered step per part.

Each step is a function `(home: Path) -> str | dict | None` named as "module:function"; parts add
their own step (ingest scans, OCR, indexing …) to STEPS. Every step must be idempotent.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from django.db import transaction
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from qoima.catalogue import batch

# (what the user sees, "module:function", run in one transaction?) — steps that move files or run
# worker processes (ingest, OCR) manage their own transactions.
STEPS: list[tuple[str, str, bool]] = [
    ("Catalogue: demo fonds, authorities, access points", "qoima.catalogue.demo:load", True),
    ("Accounts: demo archivist and researcher", "qoima.demo:demo_accounts", True),
    ("Ingest: scanned letters into preserved packages", "qoima.demo:demo_scans", False),
    ("Recognize: OCR of the scanned pages", "qoima.demo:demo_ocr", False),
]
SCANS_FONDS = "KZ-QOIMA-SCANS"

DEMO_PASSWORD_ENV = "QOIMA_DEMO_PASSWORD"


def demo_accounts(home: Path) -> str:
    """An archivist and a researcher to try the admin and the access rules (created once)."""
    from qoima.accounts.models import Role, User

    password = os.environ.get(DEMO_PASSWORD_ENV, "qoima-demo")
    made = []
    for username, role in (("archivist", Role.ARCHIVIST), ("researcher", Role.RESEARCHER)):
        if not User.objects.filter(username=username).exists():
            user = User(username=username, role=role)
            user.set_password(password)
            user.save()
            made.append(username)
    return (f"created {', '.join(made)} (password: {password})" if made
            else "archivist and researcher accounts already exist")


def demo_scans(home: Path) -> str:
    """Render and ingest the demo letters (Kazakh in three scripts, Russian, Arabic) as one transfer."""
    from qoima.ingest.demo import load

    result = load(home)
    pages = sum(len(i["files"]) for i in result["items"])
    return f"{len(result['items'])} items, {pages} pages in package {result['aip']} under {SCANS_FONDS}"


def demo_ocr(home: Path) -> str:
    """Recognise the demo scans (pages already read are skipped, so a rerun is quick)."""
    from qoima.recognize.service import ocr

    r = ocr(SCANS_FONDS, lang="auto", agent="demo")
    if r["errors"]:
        raise RuntimeError("OCR of the demo scans failed: " + "; ".join(r["errors"]))
    return f"{r['recognized']} pages recognised, {r['skipped']} already done"


def _call(target: str, home: Path):
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)(home)


def run(home: Path, console) -> list[tuple[str, object]]:
    """Run every step in order with a progress display; returns (step, result) pairs."""
    results = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("Loading the demo collection", total=len(STEPS))
        for label, target, atomic in STEPS:
            progress.update(task, description=label)
            if atomic:
                with transaction.atomic(), batch.batch():  # search indexes each record once per step
                    result = _call(target, home)
            else:
                result = _call(target, home)
            results.append((label, result))
            progress.advance(task)
        progress.update(task, description="Demo collection loaded")
    return results
