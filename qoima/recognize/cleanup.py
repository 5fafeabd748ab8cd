"""Page clean-up before OCR: background normalisation, denoising, deskew, binarisation.

Works on a copy (the scan itself is never modified) and returns the settings it used, so the
enhanced copy can be described in a PREMIS event and reproduced.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import cv2
import numpy as np
from PIL import Image

CLEANUP_VERSION = "1"


@dataclass(frozen=True)
class CleanupSettings:
    """What the clean-up does; recorded with every enhanced copy."""

    normalize_background: bool = True
    median: int = 3            # median filter aperture (0 = off)
    deskew: bool = True
    max_skew: float = 5.0      # degrees searched either way
    binarize: bool = True      # Otsu threshold on the normalised image

    def as_dict(self) -> dict:
        return {"version": CLEANUP_VERSION, **asdict(self)}


@dataclass
class CleanupResult:
    image: Image.Image          # enhanced page (mode "L"; black text on white when binarised)
    settings: dict              # settings used plus measured values (skew angle, threshold)
    skew: float = 0.0
    threshold: float | None = None
    steps: list[str] = field(default_factory=list)
    rotation: float = 0.0       # degrees the image was actually rotated by (0: below the threshold)


def to_gray(img: Image.Image | np.ndarray) -> np.ndarray:
    """8-bit grayscale array of any PIL image or array (RGB, RGBA, palette, 16-bit ...)."""
    if isinstance(img, Image.Image):
        if img.mode in ("I;16", "I;16B", "I", "F"):
            arr = np.asarray(img, dtype=np.float32)
            lo, hi = float(arr.min()), float(arr.max())
            return ((arr - lo) * (255.0 / max(hi - lo, 1.0))).astype(np.uint8)
        return np.asarray(img.convert("L"))
    arr = np.asarray(img)
    if arr.ndim == 3:
        return cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY if arr.shape[2] == 3 else cv2.COLOR_RGBA2GRAY)
    return arr.astype(np.uint8)


def normalize_background(gray: np.ndarray) -> np.ndarray:
    """Divide by an estimate of the paper (large closing on a reduced copy): removes stains,
    yellowing and uneven light while keeping strokes."""
    h, w = gray.shape
    scale = max(1, round(max(h, w) / 1000))
    small = cv2.resize(gray, (w // scale, h // scale), interpolation=cv2.INTER_AREA)
    k = max(15, (min(small.shape) // 40) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.medianBlur(bg, 5)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    norm = gray.astype(np.float32) / np.maximum(bg.astype(np.float32), 1.0) * 255.0
    return np.clip(norm, 0, 255).astype(np.uint8)


def estimate_skew(gray: np.ndarray, max_angle: float = 5.0) -> float:
    """Skew angle in degrees (positive = text rotated counter-clockwise) by maximising the
    variance of the horizontal projection profile of the ink, coarse then fine."""
    h, w = gray.shape
    scale = min(1.0, 900.0 / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if ink.mean() < 0.5:  # blank page
        return 0.0
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.var(np.diff(prof)))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=score)
    best = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05), key=score)
    return float(round(-best, 2))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by -angle about the centre, same canvas, border filled with the paper colour."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def clean_page(img: Image.Image | np.ndarray, settings: CleanupSettings | None = None) -> CleanupResult:
    """Enhance a scanned page for reading and OCR; the input is left untouched."""
    s = settings or CleanupSettings()
    gray = to_gray(img).copy()
    steps: list[str] = []
    if s.normalize_background:
        gray = normalize_background(gray)
        steps.append("background-normalization")
    if s.median and s.median >= 3:
        gray = cv2.medianBlur(gray, s.median | 1)
        steps.append(f"median-{s.median | 1}")
    angle = rotation = 0.0
    if s.deskew:
        angle = estimate_skew(gray, s.max_skew)
        if abs(angle) >= 0.05:
            gray = rotate(gray, angle)
            rotation = angle
        steps.append("deskew")
    thr = None
    if s.binarize:
        thr, gray = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        thr = float(thr)
        steps.append("otsu")
    used = {**s.as_dict(), "skew_degrees": angle, "otsu_threshold": thr, "steps": steps}
    return CleanupResult(image=Image.fromarray(gray), settings=used, skew=angle, threshold=thr, steps=steps,
                         rotation=rotation)
