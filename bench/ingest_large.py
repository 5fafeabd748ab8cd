"""Large scans: 20 files of 50 MB, ingest without derivatives vs the physical baseline measured in
the same run (read each file once with hashlib SHA-256 and write it to each of the two storage
locations, fsync per file). Target: ingest <= 1.5x baseline. Also prints bagit make_bag.

    python bench/ingest_large.py [--files 20] [--mb 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ingest_common import django_home, median, physical_baseline, time_ingest, time_make_bag


def make_scans(folder: Path, n: int, mb: int) -> list[Path]:
    """Uncompressed RGB TIFFs of noise (what a scanner writes; noise so nothing compresses)."""
    import pyvips

    side = int((mb * 1_000_000 / 3) ** 0.5)
    folder.mkdir(parents=True)
    files = []
    for i in range(n):
        img = (pyvips.Image.gaussnoise(side, side, mean=128 + i, sigma=40).cast("uchar").bandjoin([
            pyvips.Image.gaussnoise(side, side, mean=100, sigma=30).cast("uchar"),
            pyvips.Image.gaussnoise(side, side, mean=90, sigma=20).cast("uchar")]).copy(interpretation="srgb"))
        path = folder / f"scan_{i + 1:03d}.tif"
        img.tiffsave(str(path), compression="none")
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    home, ref = django_home("qoima-bench-large-")
    scratch = Path(tempfile.mkdtemp(prefix="qoima-bench-large-data-", dir=home.parent))
    try:
        src = scratch / "transfer" / "fond_1_scans"
        files = make_scans(src, args.files, args.mb)
        total_mb = sum(f.stat().st_size for f in files) / 1e6
        base, ours, bag = [], [], []
        for _ in range(args.runs):
            base.append(physical_baseline(files, [home / "storage" / "primary" / "bl", home / "storage" / "replica" / "bl"]))
            ours.append(time_ingest(src.parent, ref, home))
            bag.append(time_make_bag(src.parent, scratch))
        b, o, g = median(base), median(ours), median(bag)
        print(f"ingest_large: {args.files} x {args.mb} MB = {total_mb:.0f} MB, medians of {args.runs} runs "
              "(shared 2-core machine: noisy)")
        print(f"  physical baseline (sha256 + write to 2 locations, fsync): {b:6.2f} s  {total_mb / b:6.1f} MB/s")
        print(f"  qoima ingest --no-derivatives (2 verified copies, METS):  {o:6.2f} s  {total_mb / o:6.1f} MB/s")
        print(f"  bagit.make_bag (sha256, one copy in place, reference):    {g:6.2f} s  {total_mb / g:6.1f} MB/s")
        print(f"  ratio ingest / baseline = {o / b:.2f} (target <= 1.5)   runs: baseline {[round(x, 2) for x in base]} "
              f"ingest {[round(x, 2) for x in ours]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
