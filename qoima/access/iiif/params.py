"""IIIF Image API 3.0 request parameters: parse region/size/rotation/quality/format into pixels.

Parsing is separate from rendering so the rules of the specification (what is a 400, what a 501,
when upscaling needs `^`) are checked once, against the image's dimensions, before any pixel work.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "tif": "image/tiff", "gif": "image/gif"}
# Formats the specification names that this server does not produce: 501, not 400.
KNOWN_UNSUPPORTED = {"jp2", "pdf"}
QUALITIES = ("default", "color", "gray", "bitonal")
# Hard cap on the pixels of one response (upscaling with ^ included): a 10,000 x 10,000 scan fits.
MAX_OUTPUT_AREA = 100_000_000

_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_REGION_PX = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
_REGION_PCT = re.compile(rf"^pct:({_NUM}),({_NUM}),({_NUM}),({_NUM})$")
_SIZE_W = re.compile(r"^(\d+),$")
_SIZE_H = re.compile(r"^,(\d+)$")
_SIZE_WH = re.compile(r"^(!?)(\d+),(\d+)$")
_SIZE_PCT = re.compile(rf"^pct:({_NUM})$")
_ROTATION = re.compile(rf"^(!?)({_NUM})$")


class IIIFError(Exception):
    """An error response: HTTP status and a short reason for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def bad(message: str) -> IIIFError:
    return IIIFError(400, message)


@dataclass(frozen=True)
class Request:
    """A parsed image request in pixels of the full image: crop (x, y, w, h), scale to (width, height)."""

    x: int
    y: int
    w: int
    h: int
    width: int
    height: int
    mirror: bool
    rotation: float
    quality: str
    format: str

    @property
    def canonical(self) -> str:
        """The canonical form of this request (the `Link: rel=canonical` target), relative to the id."""
        rot = ("!" if self.mirror else "") + _fmt_number(self.rotation)
        return f"{self.x},{self.y},{self.w},{self.h}/{self.width},{self.height}/{rot}/{self.quality}.{self.format}"


def _fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def parse_region(region: str, iw: int, ih: int) -> tuple[int, int, int, int]:
    if region == "full":
        return 0, 0, iw, ih
    if region == "square":
        side = min(iw, ih)
        return (iw - side) // 2, (ih - side) // 2, side, side
    m = _REGION_PX.match(region)
    if m:
        x, y, w, h = (int(g) for g in m.groups())
    else:
        m = _REGION_PCT.match(region)
        if not m:
            raise bad(f"region {region!r}: use full, square, x,y,w,h or pct:x,y,w,h")
        px, py, pw, ph = (float(g) for g in m.groups())
        if pw <= 0 or ph <= 0:
            raise bad(f"region {region!r}: width and height must be above zero")
        x, y = math.floor(px * iw / 100), math.floor(py * ih / 100)
        w, h = max(1, round(pw * iw / 100)), max(1, round(ph * ih / 100))
    if w <= 0 or h <= 0:
        raise bad(f"region {region!r}: width and height must be above zero")
    if x >= iw or y >= ih:
        raise bad(f"region {region!r} lies outside the image ({iw} x {ih})")
    return x, y, min(w, iw - x), min(h, ih - y)


def parse_size(size: str, rw: int, rh: int) -> tuple[int, int]:
    """Output dimensions for a region of rw x rh; without '^' the region is never enlarged."""
    up = size.startswith("^")
    spec = size[1:] if up else size
    if spec == "max":
        w, h = rw, rh
        if rw * rh > MAX_OUTPUT_AREA:
            f = math.sqrt(MAX_OUTPUT_AREA / (rw * rh))
            w, h = max(1, int(rw * f)), max(1, int(rh * f))
        return w, h
    if m := _SIZE_W.match(spec):
        w = int(m.group(1))
        h = max(1, round(rh * w / rw))
    elif m := _SIZE_H.match(spec):
        h = int(m.group(1))
        w = max(1, round(rw * h / rh))
    elif m := _SIZE_PCT.match(spec):
        p = float(m.group(1))
        if p <= 0:
            raise bad(f"size {size!r}: percentage must be above zero")
        if p > 100 and not up:
            raise bad(f"size {size!r}: above 100% needs the ^ prefix")
        w, h = max(1, round(rw * p / 100)), max(1, round(rh * p / 100))
    elif m := _SIZE_WH.match(spec):
        confined, bw, bh = m.group(1) == "!", int(m.group(2)), int(m.group(3))
        if bw <= 0 or bh <= 0:
            raise bad(f"size {size!r}: width and height must be above zero")
        if confined:
            f = min(bw / rw, bh / rh)
            if f > 1 and not up:
                raise bad(f"size {size!r} would enlarge the region ({rw} x {rh}); use ^ to enlarge")
            w, h = max(1, min(bw, round(rw * f))), max(1, min(bh, round(rh * f)))
        else:
            w, h = bw, bh
    else:
        raise bad(f"size {size!r}: use max, w,, ,h, pct:n, w,h or !w,h (with ^ to enlarge)")
    if w <= 0 or h <= 0:
        raise bad(f"size {size!r}: width and height must be above zero")
    if not up and (w > rw or h > rh):
        raise bad(f"size {size!r} is larger than the region ({rw} x {rh}); use ^ to enlarge")
    if w * h > MAX_OUTPUT_AREA:
        raise bad(f"size {size!r}: {w} x {h} exceeds the server's limit of {MAX_OUTPUT_AREA} pixels")
    return w, h


def parse_rotation(rotation: str) -> tuple[bool, float]:
    m = _ROTATION.match(rotation)
    if not m:
        raise bad(f"rotation {rotation!r}: use n or !n with 0 <= n <= 360")
    angle = float(m.group(2))
    if angle > 360:
        raise bad(f"rotation {rotation!r}: must be between 0 and 360")
    return m.group(1) == "!", angle % 360


def parse_quality_format(qf: str) -> tuple[str, str]:
    quality, dot, fmt = qf.rpartition(".")
    if not dot or not quality:
        raise bad(f"{qf!r}: expected quality.format, e.g. default.jpg")
    if quality not in QUALITIES:
        raise bad(f"quality {quality!r}: use one of {', '.join(QUALITIES)}")
    if fmt in KNOWN_UNSUPPORTED:
        raise IIIFError(501, f"format {fmt!r} is not produced by this server (jpg, png, webp, tif, gif)")
    if fmt not in FORMATS:
        raise bad(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    return quality, fmt


def parse(region: str, size: str, rotation: str, quality_format: str, iw: int, ih: int) -> Request:
    """Parse one image request against an image of iw x ih pixels (raises IIIFError)."""
    quality, fmt = parse_quality_format(quality_format)
    mirror, angle = parse_rotation(rotation)
    x, y, w, h = parse_region(region, iw, ih)
    width, height = parse_size(size, w, h)
    return Request(x, y, w, h, width, height, mirror, angle, quality, fmt)
