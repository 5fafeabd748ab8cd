"""OCR throughput on A4 pages at 300 dpi: a pool of two workers against one worker, same pages,
same run (target: two workers >= 1.8x one worker).

Each measurement OCRs N degraded kk-Cyrl pages (clean-up + detection + OCR, as the product
does) on warm worker processes (one warm-up page each, in separate pools of 1 and 2 processes); rounds alternate 1 and 2 workers and the median of each is compared.
The machine is shared with other jobs, so figures are medians and the load average is printed.
Usage: python bench/ocr_throughput.py [--pages 6] [--rounds 3]
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

from qoima.recognize.pool import OcrPool  # noqa: E402
from qoima.recognize.testpages import degrade, make_page  # noqa: E402


def measure(tasks: list[dict], workers: int) -> float:
    """Seconds for `tasks` on a pool of `workers` processes, timed after each worker is warm
    (spawned, imports done, Tesseract models loaded), as in a long-running `qoima worker`."""
    with OcrPool(workers) as pool:
        for res in pool.run(tasks[:workers]):
            if "error" in res:
                raise SystemExit(res["error"])
        t0 = time.perf_counter()
        for res in pool.run(tasks):
            if "error" in res:
                raise SystemExit(res["error"])
        return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--lang", default="auto")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="qoima-ocr-speed-"))
    tasks = []
    for i in range(args.pages):
        page = make_page("kk-Cyrl", seed=500 + i, dpi=300, n_sentences=12)
        path = tmp / f"page-{i}.jpg"
        degrade(page.image, seed=500 + i).save(path, quality=92, dpi=(300, 300))
        tasks.append({"id": i, "path": str(path), "lang": args.lang, "cleanup": True})
    one, two = [], []
    for _ in range(args.rounds):
        one.append(measure(tasks, 1))
        two.append(measure(tasks, 2))
    m1, m2 = statistics.median(one), statistics.median(two)
    print(f"A4 300 dpi, {args.pages} pages, {args.rounds} rounds, cores {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"one worker : {m1 / args.pages:.2f} s/page  ({', '.join(f'{t:.1f}' for t in one)} s)")
    print(f"two workers: {m2 / args.pages:.2f} s/page  ({', '.join(f'{t:.1f}' for t in two)} s)")
    ratio = m1 / m2
    print(f"speed-up two workers vs one: {ratio:.2f}x (target >= 1.8x) {'ok' if ratio >= 1.8 else 'BELOW TARGET'}")
    return 0 if ratio >= 1.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
