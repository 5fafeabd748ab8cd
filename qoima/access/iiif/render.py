"""Render IIIF image requests with pyvips, reading from the smallest pyramid level that suffices.

Access copies are pyramidal tiled TIFFs (one page per level, each half the previous). A tile request
at scale factor 2^k reads page k and crops it: no resampling at all. Other sources (PNG, JPEG, plain
TIFF) go through the same pipeline from their single level, with shrink-on-load for full-image
requests via `thumbnail`.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pyvips

from qoima.access.iiif.params import Request

TILE = 256
JPEG_Q = 85


@dataclass(frozen=True)
class Level:
    width: int
    height: int
    page: int  # TIFF page (IFD) of this level
    subifd: int = -1  # or sub-IFD index when the pyramid is stored that way


class _LevelCache:
    """Pyramid geometry per file, keyed by (path, mtime, size); small and thread-safe."""

    def __init__(self, size: int = 512):
        self.size = size
        self.data: OrderedDict[tuple, list[Level]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, path: str) -> list[Level]:
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        levels = _read_levels(path)
        with self.lock:
            self.data[key] = levels
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return levels


def _read_levels(path: str) -> list[Level]:
    base = pyvips.Image.new_from_file(path)
    levels = [Level(base.width, base.height, 0)]
    loader = base.get("vips-loader") if base.get_typeof("vips-loader") else ""
    if not loader.startswith("tiffload"):
        return levels
    if base.get_typeof("n-subifds") and base.get("n-subifds") > 0:
        for i in range(base.get("n-subifds")):
            sub = pyvips.Image.tiffload(path, subifd=i)
            levels.append(Level(sub.width, sub.height, 0, i))
        return levels
    pages = base.get("n-pages") if base.get_typeof("n-pages") else 1
    for page in range(1, pages):
        img = pyvips.Image.tiffload(path, page=page)
        prev = levels[-1]
        # A pyramid page is about half its predecessor; anything else is another image, not a level.
        if not (abs(img.width - prev.width / 2) <= 1 and abs(img.height - prev.height / 2) <= 1):
            break
        levels.append(Level(img.width, img.height, page))
    return levels


_levels = _LevelCache()


def levels(path: str) -> list[Level]:
    return _levels.get(path)


def dimensions(path: str) -> tuple[int, int]:
    lv = levels(path)[0]
    return lv.width, lv.height


def scale_factors(path: str, tile: int = TILE) -> list[int]:
    """Powers of two down to the level where the whole image fits in one tile."""
    w, h = dimensions(path)
    factors, f = [1], 1
    while math.ceil(w / f) > tile or math.ceil(h / f) > tile:
        f *= 2
        factors.append(f)
    return factors


def _open(path: str, level: Level) -> pyvips.Image:
    if level.subifd >= 0:
        return pyvips.Image.tiffload(path, subifd=level.subifd)
    if level.page:
        return pyvips.Image.tiffload(path, page=level.page)
    return pyvips.Image.new_from_file(path)


def _extract(path: str, req: Request) -> pyvips.Image:
    """The requested region at exactly req.width x req.height, from the best pyramid level."""
    lvls = levels(path)
    full = lvls[0]
    if req.x == 0 and req.y == 0 and req.w == full.width and req.h == full.height and len(lvls) == 1:
        # Whole image from a single-level source: shrink-on-load.
        img = pyvips.Image.thumbnail(path, req.width, height=req.height, size="force", no_rotate=True)
        # thumbnail reads sequentially; flips and rotations need the pixels in any order.
        return img.copy_memory() if (req.mirror or req.rotation) else img
    shrink = min(req.w / req.width, req.h / req.height)
    chosen = lvls[0]
    for lv in lvls[1:]:
        if full.width / lv.width <= shrink * (1 + 1e-9):
            chosen = lv
    img = _open(path, chosen)
    fx, fy = chosen.width / full.width, chosen.height / full.height
    x0, y0 = req.x * fx, req.y * fy
    x1, y1 = min(chosen.width, (req.x + req.w) * fx), min(chosen.height, (req.y + req.h) * fy)
    ix0, iy0 = math.floor(x0 + 1e-6), math.floor(y0 + 1e-6)
    ix1, iy1 = max(ix0 + 1, min(chosen.width, math.ceil(x1 - 1e-6))), max(iy0 + 1, min(chosen.height, math.ceil(y1 - 1e-6)))
    img = img.crop(ix0, iy0, ix1 - ix0, iy1 - iy0)
    if img.width != req.width or img.height != req.height:
        img = img.resize(req.width / img.width, vscale=req.height / img.height)
        if img.width != req.width or img.height != req.height:  # rounding: trim or pad one pixel
            img = img.crop(0, 0, min(img.width, req.width), min(img.height, req.height))
            if img.width < req.width or img.height < req.height:
                img = img.embed(0, 0, req.width, req.height, extend="copy")
    return img


def _quality(img: pyvips.Image, quality: str) -> pyvips.Image:
    if img.hasalpha():
        img = img.flatten(background=[255] * (img.bands - 1))
    if img.format != "uchar":
        img = img.colourspace("srgb" if img.bands >= 3 else "b-w").cast("uchar")
    if quality in ("gray", "bitonal"):
        if img.bands >= 3:
            img = img.colourspace("b-w")
        if img.bands > 1:
            img = img[0]
        if quality == "bitonal":
            img = img > 127  # 0 or 255, one band
        return img
    if img.bands == 1 and quality == "color":
        img = img.colourspace("srgb")
    elif img.bands == 2:
        img = img[0]
    elif img.bands > 3:
        img = img[:3]
    return img


def _rotate(img: pyvips.Image, mirror: bool, angle: float, fmt: str) -> pyvips.Image:
    if mirror:
        img = img.fliphor()
    if angle == 0:
        return img
    if angle in (90, 180, 270):
        return {90: img.rot90, 180: img.rot180, 270: img.rot270}[int(angle)]()
    # Arbitrary angles: transparent corners where the format has alpha, white for JPEG.
    if fmt in ("png", "webp", "tif", "gif"):
        img = img.bandjoin(255)
        background = [0] * img.bands
    else:
        background = [255] * img.bands
    return img.similarity(angle=angle, background=background)


def encode(img: pyvips.Image, fmt: str, quality: str = "default") -> bytes:
    if fmt == "jpg":
        return img.jpegsave_buffer(Q=JPEG_Q, keep="none", optimize_coding=False)
    if fmt == "png":
        if quality == "bitonal" and img.bands == 1:
            return img.pngsave_buffer(compression=6, bitdepth=1, keep="none")
        return img.pngsave_buffer(compression=3, keep="none")
    if fmt == "webp":
        return img.webpsave_buffer(Q=80, effort=2, keep="none")
    if fmt == "tif":
        return img.tiffsave_buffer(compression="deflate", keep="none")
    if fmt == "gif":
        return img.gifsave_buffer(keep="none")
    raise ValueError(fmt)


def render(path: str, req: Request) -> bytes:
    """Bytes of the image answering `req` for the file at `path`."""
    img = _extract(path, req)
    img = _quality(img, req.quality)
    img = _rotate(img, req.mirror, req.rotation, req.format)
    return encode(img, req.format, req.quality)
