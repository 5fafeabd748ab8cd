"""Hierarchy operations at scale: a catalogue of N descriptions (default 1,000,000) with one series of
100,000 items; times children, breadcrumb, subtree count and moving that series, and counts the rows
the move rewrote. The baseline named in the issue (AtoM's nested-set rebuild, 20+ min at 3.3 M) cannot
run here: the figure printed beside it is the number of rows a nested-set move would rewrite (all rows
to the right of the moved range), against the rows Qoima rewrites.

    python bench/catalogue_hierarchy.py [--n 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--big", type=int, default=100_000, help="items in the series that is moved")
    ap.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite in a temp home)")
    args = ap.parse_args()
    os.environ["QOIMA_HOME"] = tempfile.mkdtemp(prefix="qoima-bench-")
    if args.database_url:
        os.environ["QOIMA_DATABASE_URL"] = args.database_url
    from qoima.cli import django_setup

    django_setup()
    from django.db import connection, transaction

    from qoima.catalogue import hierarchy as h
    from qoima.catalogue.hierarchy import _segment, sort_key
    from qoima.catalogue.models import Description, Repository

    if Description.objects.exists():
        sys.exit("the bench needs an empty database")
    repo = Repository.objects.create(code="BENCH", country_code="KZ", name="Bench archive")
    f1 = h.create(identifier="F1", level="fonds", repository=repo, title="Fonds 1")
    f2 = h.create(identifier="F2", level="fonds", repository=repo, title="Fonds 2")
    big = h.create(identifier="BIG", level="series", parent=f1, title="Big series")
    t0 = time.perf_counter()
    next_pk = Description.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    batch: list[Description] = []

    def add(parent: Description, i: int, level: str) -> None:
        nonlocal next_pk
        ident = str(i)
        batch.append(Description(pk=next_pk, parent=parent, repository=repo, identifier=ident, level=level,
                                 ref=f"{parent.ref}-{ident}", sort_key=sort_key(ident), depth=parent.depth + 1,
                                 path=parent.path + _segment(next_pk), title=f"Item {i}"))
        next_pk += 1
        if len(batch) >= 20_000:
            flush()

    def flush() -> None:
        with transaction.atomic():
            Description.objects.bulk_create(batch)
        batch.clear()

    for i in range(args.big):
        add(big, i, "item")
    rest = args.n - args.big - 3
    series = []
    for s in range(max(rest // 1000, 1)):
        series.append(Description(pk=next_pk, parent=f2, repository=repo, identifier=f"S{s}", level="series",
                                  ref=f"{f2.ref}-S{s}", sort_key=sort_key(f"S{s}"), depth=1,
                                  path=f2.path + _segment(next_pk), title=f"Series {s}"))
        next_pk += 1
    Description.objects.bulk_create(series)
    for s in series:
        for i in range(999):
            add(s, i, "file")
    flush()
    total = Description.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE catalogue_description")
    print(f"{connection.vendor}: built {total:,} descriptions in {time.perf_counter() - t0:.1f} s")

    def timed(fn, runs=7) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    leaf = Description.objects.filter(parent=series[-1]).last()
    print(f"children page (50) of a series of 999:  {timed(lambda: list(h.children(series[-1])[:50])):8.2f} ms")
    print(f"breadcrumb of a leaf:                   {timed(lambda: h.ancestors(leaf)):8.2f} ms")
    print(f"subtree count, {args.big:,} descendants:    {timed(lambda: h.subtree(big).count()):8.2f} ms")
    unrelated_before = Description.objects.exclude(path__startswith=big.path).order_by("-modified").values_list("modified", flat=True)[0]
    t = time.perf_counter()
    h.move(big, f2)
    move_s = time.perf_counter() - t
    unrelated_after = Description.objects.exclude(path__startswith=Description.objects.get(pk=big.pk).path).order_by(
        "-modified").values_list("modified", flat=True)[0]
    moved = h.subtree(Description.objects.get(pk=big.pk)).count()
    print(f"move a series with {args.big:,} descendants: {move_s * 1000:8.0f} ms; rows rewritten {moved:,} of {total:,}"
          f" (unrelated rows untouched: {unrelated_before == unrelated_after})")
    nested_set = total - 3  # a nested-set move renumbers every row right of the moved range
    print(f"nested-set baseline would rewrite ~{nested_set:,} rows: ratio {nested_set / max(moved, 1):.1f}x more")


if __name__ == "__main__":
    main()
