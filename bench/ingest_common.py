"""Shared helpers of the ingest benchmarks (bench/ingest_large.py, ingest_small.py, ingest_memory.py).

Every figure is the median of several runs measured in the same process run; the machine is shared
with other work, so absolute numbers are noisy and the ratios are what matter.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNK = 1 << 20


def django_home(prefix: str) -> tuple[Path, str]:
    """A fresh archive home with one fonds; returns (home, its reference code)."""
    home = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("QOIMA_BENCH_TMP")))
    os.environ["QOIMA_HOME"] = str(home)
    os.environ.pop("QOIMA_STORAGE_LOCATIONS", None)
    from qoima.cli import django_setup

    django_setup()
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Repository

    repo = Repository.objects.create(code="BENCH", country_code="KZ", name="Bench archive")
    return home, hierarchy.create(identifier="F1", level="fonds", repository=repo, title="Bench").ref


def forget_aips(home: Path) -> None:
    """Remove stored AIPs (rows and copies) so the next run ingests the same data again."""
    from qoima.ingest.models import Aip

    Aip.objects.all().delete()
    for loc in ("primary", "replica"):
        shutil.rmtree(home / "storage" / loc / "aips", ignore_errors=True)


def physical_baseline(files: list[Path], dests: list[Path]) -> float:
    """Read every file once with hashlib SHA-256 and write it to each location (fsync per file)."""
    t0 = time.perf_counter()
    for d in dests:
        d.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(files):
        h = hashlib.sha256()
        outs = [open(d / f"{i}", "wb") for d in dests]
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
                for o in outs:
                    o.write(chunk)
        for o in outs:
            o.flush()
            os.fsync(o.fileno())
            o.close()
        h.hexdigest()
    elapsed = time.perf_counter() - t0
    for d in dests:
        shutil.rmtree(d, ignore_errors=True)
    return elapsed


def time_ingest(src: Path, ref: str, home: Path, derivatives: bool = False) -> float:
    from qoima.ingest import service

    t0 = time.perf_counter()
    service.ingest(src, ref, derivatives=derivatives)
    elapsed = time.perf_counter() - t0
    forget_aips(home)
    return elapsed


def time_make_bag(src: Path, scratch: Path) -> float:
    """bagit (PyPI) make_bag on a copy of the same data (the copy is not timed; make_bag bags in place)."""
    import bagit

    target = scratch / "bagit-copy"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(src, target)
    os.sync()
    t0 = time.perf_counter()
    bagit.make_bag(str(target), checksums=["sha256"])
    elapsed = time.perf_counter() - t0
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":
    print("helpers for bench/ingest_large.py, ingest_small.py and ingest_memory.py (nothing to run)")
