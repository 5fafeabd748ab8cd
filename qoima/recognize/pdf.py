"""PDFs: take the text layer where there is one (no OCR: the producer's text is better than a
re-reading), otherwise rasterise the page and OCR it like a scan.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .languages import guess_language, script_counts
from .page import Line, PageText, Word

RENDER_DPI = 300
MIN_TEXT_CHARS = 20  # fewer visible characters than this on a page: treat it as a scan


@dataclass
class PdfPage:
    number: int                 # 1-based
    text: PageText | None       # set when the page has a usable text layer
    image: Image.Image | None   # rendered page when it must be OCRed


def _pdfium():
    import pypdfium2 as pdfium

    return pdfium


def pdfium_version() -> str:
    try:
        from importlib.metadata import version

        return version("pypdfium2")
    except Exception:  # pragma: no cover - metadata missing only in odd installs
        return "unknown"


def text_layer(page, dpi: int = RENDER_DPI) -> PageText | None:
    """Words with boxes (pixels at `dpi`, top-left origin) from a pdfium page, or None if too little text."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        if sum(1 for ch in text if ch.isalnum()) < MIN_TEXT_CHARS:
            return None
        scale = dpi / 72.0
        width_pt, height_pt = page.get_size()
        lines: list[Line] = []
        cur: list[tuple[str, tuple[float, float, float, float]]] = []
        words: list[Word] = []

        def flush_word():
            if cur:
                t = unicodedata.normalize("NFC", "".join(c for c, _ in cur))
                x0 = min(b[0] for _, b in cur)
                x1 = max(b[2] for _, b in cur)
                top = max(b[3] for _, b in cur)
                bottom = min(b[1] for _, b in cur)
                words.append(Word(t, (round(x0 * scale), round((height_pt - top) * scale),
                                      round((x1 - x0) * scale), round((top - bottom) * scale)), 100.0))
                cur.clear()

        def flush_line():
            flush_word()
            if words:
                lines.append(Line(words=list(words), box=_union([w.box for w in words])))
                words.clear()

        for i, ch in enumerate(text[:n]):
            if ch in "\r\n":
                if ch == "\n" or (i + 1 < n and text[i + 1] != "\n"):
                    flush_line()
                continue
            if ch.isspace() or ch == "\x00" or ch == "\ufffe":
                flush_word()
                continue
            cur.append((ch, tp.get_charbox(i)))
        flush_line()
    finally:
        tp.close()
    full = " ".join(ln.text for ln in lines)
    counts = script_counts(full)
    script = counts.most_common(1)[0][0] if counts else "Latn"
    lang = guess_language(full, script).tag
    for ln in lines:
        ln.lang = lang
    return PageText(width=round(width_pt * scale), height=round(height_pt * scale), lines=lines, lang=lang,
                    langs=[lang], model="", engine="pdfium", engine_version=pdfium_version(), source="pdf-text")


def _union(boxes):
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def pdf_pages(path: Path, dpi: int = RENDER_DPI, force_ocr: bool = False) -> Iterator[PdfPage]:
    """Each page of a PDF: its text layer, or a rendering to OCR."""
    pdfium = _pdfium()
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise ValueError(f"{path}: not a readable PDF ({e})") from e
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                pt = None if force_ocr else text_layer(page, dpi)
                img = None
                if pt is None:
                    img = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
                    img.info["dpi"] = (dpi, dpi)
                yield PdfPage(number=i + 1, text=pt, image=img)
            finally:
                page.close()
    finally:
        doc.close()


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(5) == b"%PDF-"
