"""OCR in a pool of one process per core, each running single-threaded Tesseract.

Tasks and results are plain dicts (picklable, JSON-able). A task names an image file, or a PDF
and a page number; the worker cleans the page up, detects the language (unless given), reads
it, and may write the enhanced copy next to a path it is given (temp file renamed into place).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

_reader = None


def _single_threaded() -> None:
    """One page, one core: Tesseract's OpenMP and OpenCV's thread pool would otherwise fight the
    other workers for the cores (and make an inline single worker secretly use two)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read when libgomp loads, i.e. before tesserocr
    try:
        import cv2

        cv2.setNumThreads(1)
    except ImportError:
        pass


def default_workers() -> int:
    env = os.environ.get("QOIMA_OCR_WORKERS")
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def open_page_image(path: Path):
    """The page image at `path` (first frame of a multi-page file), EXIF orientation applied."""
    from PIL import Image, ImageOps

    img = Image.open(path)
    img.load()
    return ImageOps.exif_transpose(img)


def run_task(task: dict) -> dict:
    """Recognise one page described by `task`; used in the workers and inline."""
    global _reader
    if _reader is None:
        _single_threaded()
    from .cleanup import CleanupSettings
    from .ocr import Reader, ocr_image

    if _reader is None:
        _reader = Reader()
    t0 = time.perf_counter()
    path = Path(task["path"])
    cleanup = CleanupSettings(**task["cleanup"]) if isinstance(task.get("cleanup"), dict) else task.get("cleanup", True)
    if task.get("pdf_page"):
        from .pdf import pdf_pages

        wanted = int(task["pdf_page"])
        for pp in pdf_pages(path, force_ocr=task.get("force_ocr", False)):
            if pp.number != wanted:
                continue
            if pp.text is not None:
                return {"id": task.get("id"), "page": pp.text.to_dict(), "enhanced": None,
                        "seconds": time.perf_counter() - t0}
            img = pp.image
            break
        else:
            raise ValueError(f"{path}: no page {wanted}")
    else:
        img = open_page_image(path)
    page, cleaned = ocr_image(img, task.get("lang", "auto"), cleanup=cleanup, reader=_reader)
    enhanced = None
    if cleaned is not None and task.get("enhanced"):
        enhanced = save_enhanced(cleaned.image, Path(task["enhanced"]))
    return {"id": task.get("id"), "page": page.to_dict(), "enhanced": str(enhanced) if enhanced else None,
            "seconds": time.perf_counter() - t0}


def save_enhanced(img, dest: Path) -> Path:
    """Write the enhanced copy as PNG (1-bit when binarised), atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    out = img
    if img.mode == "L":
        import numpy as np

        arr = np.asarray(img)
        if np.isin(arr, (0, 255)).all():
            out = img.convert("1")
    out.save(tmp, format="PNG", optimize=False)
    os.replace(tmp, dest)
    return dest


class OcrPool:
    """A pool of `workers` OCR processes (spawned: no forked copies of Django's connections or
    Tesseract state); workers == 1 runs inline in this process."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())
        self._ex = None

    def __enter__(self) -> OcrPool:
        if self.workers > 1:
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"))
        return self

    def __exit__(self, *exc) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None

    def run(self, tasks: Iterable[dict]) -> Iterator[dict]:
        """Results as they complete; errors come back as {"id": ..., "error": "..."} so one bad
        page does not stop a batch."""
        tasks = list(tasks)
        if self._ex is None:
            for t in tasks:
                yield _safe(t)
            return
        ahead = self.workers * 2
        pending = {self._ex.submit(_safe, t) for t in tasks[:ahead]}
        rest = iter(tasks[ahead:])
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()
                nxt = next(rest, None)
                if nxt is not None:
                    pending.add(self._ex.submit(_safe, nxt))


def run_tasks(tasks: Iterable[dict], workers: int | None = None) -> Iterator[dict]:
    """Run tasks in a fresh pool (never more workers than tasks), yielding results as they complete."""
    tasks = list(tasks)
    with OcrPool(min(workers or default_workers(), max(1, len(tasks)))) as pool:
        yield from pool.run(tasks)


def _safe(task: dict) -> dict:
    try:
        return run_task(task)
    except Exception as e:  # reported per page; the batch goes on
        return {"id": task.get("id"), "error": f"{task.get('path')}: {type(e).__name__}: {e}"}
