"""The recognized page: lines of words with boxes and confidences, as plain data.

Kept free of Tesseract and Django so it can cross process boundaries (JSON), feed the ALTO
writer and the database, and be read back for search indexing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

Box = tuple[int, int, int, int]  # x, y, width, height in pixels of the image that was read


@dataclass
class Word:
    text: str
    box: Box
    conf: float  # 0-100, as Tesseract reports it


@dataclass
class Line:
    words: list[Word]
    box: Box
    block: int = 0
    lang: str = ""               # BCP 47 tag
    flags: list[str] = field(default_factory=list)  # "retried", "recovered", "low-confidence", "empty"

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words if w.text)

    @property
    def conf(self) -> float:
        chars = sum(len(w.text) for w in self.words)
        if not chars:
            return 0.0
        return sum(w.conf * len(w.text) for w in self.words) / chars


@dataclass
class PageText:
    width: int
    height: int
    lines: list[Line]
    lang: str                     # main language (BCP 47), e.g. "kk-Cyrl" or "fa"
    langs: list[str]              # every language the model was asked for
    model: str                    # Tesseract model string, e.g. "kaz" or "kaz+eng"
    engine: str = "tesseract"
    engine_version: str = ""
    source: str = "ocr"           # "ocr" or "pdf-text" (text layer extracted, no OCR)
    cleanup: dict | None = None   # clean-up settings used (None: the original image was read)
    detection: dict | None = None
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines if ln.text)

    @property
    def conf(self) -> float:
        chars = sum(len(w.text) for ln in self.lines for w in ln.words)
        if not chars:
            return 0.0
        return sum(w.conf * len(w.text) for ln in self.lines for w in ln.words) / chars

    @property
    def flags(self) -> list[str]:
        return sorted({f for ln in self.lines for f in ln.flags})

    def to_dict(self) -> dict:
        return asdict(self)

    def unrotate(self, degrees: float) -> None:
        """Map every box from the deskewed image (the original rotated by -degrees about its centre,
        same canvas: cleanup.rotate) back onto the original scan, which is what readers, IIIF and
        the preserved ALTO refer to; each box becomes the upright box around its rotated corners."""
        if not degrees:
            return
        a = math.radians(degrees)
        cos, sin = math.cos(a), math.sin(a)
        cx, cy = self.width / 2, self.height / 2

        def back(box: Box) -> Box:
            x, y, w, h = box
            pts = []
            for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
                dx, dy = px - cx, py - cy  # inverse of cv2.getRotationMatrix2D(centre, -degrees, 1)
                pts.append((cx + cos * dx + sin * dy, cy - sin * dx + cos * dy))
            x0 = max(0, math.floor(min(p[0] for p in pts)))
            y0 = max(0, math.floor(min(p[1] for p in pts)))
            x1 = min(self.width, math.ceil(max(p[0] for p in pts)))
            y1 = min(self.height, math.ceil(max(p[1] for p in pts)))
            return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))

        for ln in self.lines:
            ln.box = back(ln.box)
            for w in ln.words:
                w.box = back(w.box)

    @classmethod
    def from_dict(cls, d: dict) -> PageText:
        lines = [
            Line(words=[Word(w["text"], tuple(w["box"]), float(w["conf"])) for w in ln["words"]],
                 box=tuple(ln["box"]), block=ln.get("block", 0), lang=ln.get("lang", ""),
                 flags=list(ln.get("flags", [])))
            for ln in d["lines"]
        ]
        rest = {k: v for k, v in d.items() if k != "lines"}
        return cls(lines=lines, **rest)
