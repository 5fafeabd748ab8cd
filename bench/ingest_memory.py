"""100,000 files: peak resident memory of an ingest (derivatives off) must stay under 300 MB.
The ingest runs in a child process and reports its own peak RSS (ru_maxrss); bagit make_bag on the
same data is measured the same way as a reference.

    python bench/ingest_memory.py [--files 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD_INGEST = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from ingest_common import django_home
home, ref = django_home("qoima-bench-mem-")
from qoima.ingest import service
t0 = time.perf_counter()
result = service.ingest(sys.argv[2], ref, derivatives=False)
elapsed = time.perf_counter() - t0
files = sum(len(i["files"]) for i in result["items"])
del result
import shutil; shutil.rmtree(home, ignore_errors=True)
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "s": elapsed, "files": files}))
"""

CHILD_BAGIT = r"""
import json, resource, sys, time, bagit
t0 = time.perf_counter()
bagit.make_bag(sys.argv[1], checksums=["sha256"])
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "s": time.perf_counter() - t0}))
"""


def make_files(root: Path, n: int) -> None:
    """Tiny distinct PNG pages, 1,000 per folder (so each folder is one item of 1,000 pages)."""
    import zlib

    def png(i: int) -> bytes:
        raw = b"".join(b"\x00" + bytes([(i >> (8 * (y % 3))) & 255, y, 7]) * 4 for y in range(4))
        def chunk(t, d):
            return len(d).to_bytes(4, "big") + t + d + zlib.crc32(t + d).to_bytes(4, "big")
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (4).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    for i in range(n):
        folder = root / f"қор_{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"бет_{i % 1000 + 1}.png").write_bytes(png(i))


def run(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qoima-bench-mem-data-"))
    try:
        src = scratch / "transfer"
        t0 = time.perf_counter()
        make_files(src, args.files)
        gen = time.perf_counter() - t0
        ours = run(CHILD_INGEST, str(HERE), str(src))
        bag_copy = scratch / "bagit-copy"
        shutil.copytree(src, bag_copy)
        ref = run(CHILD_BAGIT, str(bag_copy))
        print(f"ingest_memory: {args.files} files (generated in {gen:.0f} s; one run each, shared machine)")
        print(f"  qoima ingest --no-derivatives: peak RSS {ours['rss_mb']:6.0f} MB  (target < 300 MB)  "
              f"{ours['s']:6.1f} s  {ours['files'] / ours['s']:5.0f} files/s")
        print(f"  bagit.make_bag (reference):    peak RSS {ref['rss_mb']:6.0f} MB             "
              f"{ref['s']:6.1f} s  {args.files / ref['s']:5.0f} files/s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
