"""The recognized page: lines of words with boxes and confidences, as plain data.

Kept free of Tesseract and Django so it can cross process boundaries (JSON), feed the ALTO
writer and the database, and be read back for search indexing.
"""

from __future__ import annotations

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
