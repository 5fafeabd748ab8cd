"""PRONOM format identification with siegfried (pygfried).

pygfried holds the GIL while siegfried scans (a 50 MB TIFF takes ~0.5 s), so ingest runs it in a
helper process (`Identifier`): batches are identified there while the main process copies files.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

IMAGE_PUIDS = {
    "fmt/353", "fmt/154", "fmt/155", "fmt/156", "x-fmt/399", "x-fmt/387", "x-fmt/388",  # TIFF family
    "fmt/41", "fmt/42", "fmt/43", "fmt/44", "fmt/112", "fmt/645", "x-fmt/398", "x-fmt/390", "x-fmt/391",  # JPEG
    "fmt/11", "fmt/12", "fmt/13", "fmt/935",  # PNG
    "x-fmt/392", "fmt/151",  # JPEG 2000
    "fmt/3", "fmt/4", "fmt/116", "fmt/117", "fmt/118", "fmt/119",  # GIF, BMP
    "fmt/566", "fmt/567", "fmt/568",  # WebP
}


@dataclass
class Format:
    puid: str           # 'fmt/353', or 'UNKNOWN'
    name: str
    version: str
    mime: str
    basis: str
    warning: str

    @property
    def is_image(self) -> bool:
        return self.puid in IMAGE_PUIDS or (self.mime.startswith("image/") and self.puid != "UNKNOWN")

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"


@lru_cache(maxsize=1)
def tool_version() -> str:
    import pygfried

    return f"siegfried {pygfried.version()}"  # cheap: does not load the signatures


@lru_cache(maxsize=1)
def signature_version() -> str:
    import pygfried

    return pygfried.identify(__file__, detailed=True)["identifiers"][0]["details"]


def _from_match(m: dict) -> Format:
    return Format(m.get("id") or "UNKNOWN", m.get("format", ""), m.get("version", ""), m.get("mime", ""),
                  m.get("basis", ""), m.get("warning", ""))


def identify_many(paths: list[Path], workers: int = 2) -> list[Format]:
    """Formats of many files in one call (siegfried scans them concurrently on the Go side)."""
    import pygfried

    if not paths:
        return []
    result = pygfried.identify_many([str(p) for p in paths], workers=workers)
    by_name = {}
    for entry in result["files"]:
        matches = [m for m in entry.get("matches", []) if m.get("ns") == "pronom"] or entry.get("matches", [])
        by_name[entry["filename"]] = _from_match(matches[0]) if matches else Format("UNKNOWN", "", "", "", "", "")
    return [by_name.get(str(p), Format("UNKNOWN", "", "", "", "", "no result")) for p in paths]


def identify(path: Path) -> Format:
    return identify_many([path], workers=1)[0]


def _describe_tools() -> tuple[str, str]:
    return tool_version(), signature_version()


class Identifier:
    """A siegfried helper process: `submit(paths)` returns a Future of their Formats."""

    def __init__(self) -> None:
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._tools = self.pool.submit(_describe_tools)  # loads the signatures while the caller starts

    def tools(self) -> tuple[str, str]:
        """(siegfried version, PRONOM signature files)."""
        return self._tools.result()

    def submit(self, paths: list[Path]) -> Future:
        return self.pool.submit(identify_many, paths)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Identifier:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
