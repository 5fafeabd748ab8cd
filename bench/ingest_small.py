"""Many small files: 10,000 files of ~50 KB (JPEG pages in 10 folders), ingest with derivatives off.
Target: at least 300 files/s. Prints the physical baseline and bagit make_bag on the same data too.

    python bench/ingest_small.py [--files 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

from ingest_common import django_home, median, physical_baseline, time_ingest, time_make_bag


def make_pages(root: Path, n: int) -> list[Path]:
    """Distinct ~50 KB JPEGs: a few noise images encoded once, then one entropy byte changed per copy
    (markers at both ends intact, so they identify as JPEG like real pages)."""
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(6)
    seeds = []
    for _ in range(8):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (150, 150, 3), dtype=np.uint8)).save(buf, "JPEG", quality=88)
        seeds.append(buf.getvalue())
    files = []
    r = random.Random(6)
    for i in range(n):
        data = bytearray(seeds[i % len(seeds)])
        pos = r.randrange(1000, len(data) - 10)
        data[pos] = (data[pos] + 1 + i // len(seeds) % 250) % 256 or 1
        data[pos + 1:pos + 5] = i.to_bytes(4, "big").replace(b"\xff", b"\xfe")
        path = root / f"папка_{i // (n // 10 or 1):02d}" / f"бет_{i + 1}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(data))
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    home, ref = django_home("qoima-bench-small-")
    scratch = Path(tempfile.mkdtemp(prefix="qoima-bench-small-data-", dir=home.parent))
    try:
        src = scratch / "transfer"
        files = make_pages(src, args.files)
        kb = sum(f.stat().st_size for f in files) / len(files) / 1024
        base, ours, bag = [], [], []
        for _ in range(args.runs):
            base.append(physical_baseline(files, [home / "storage" / "primary" / "bl", home / "storage" / "replica" / "bl"]))
            ours.append(time_ingest(src, ref, home))
            bag.append(time_make_bag(src, scratch))
        n = len(files)
        b, o, g = median(base), median(ours), median(bag)
        print(f"ingest_small: {n} files of ~{kb:.0f} KB, medians of {args.runs} runs (shared 2-core machine: noisy)")
        print(f"  physical baseline (sha256 + write to 2 locations, fsync each): {b:6.2f} s  {n / b:7.0f} files/s")
        print(f"  qoima ingest --no-derivatives (2 verified copies, METS, DB):   {o:6.2f} s  {n / o:7.0f} files/s"
              f"   (target >= 300 files/s)")
        print(f"  bagit.make_bag (sha256, one copy in place, reference):         {g:6.2f} s  {n / g:7.0f} files/s")
        print(f"  runs: ingest {[round(x, 2) for x in ours]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
