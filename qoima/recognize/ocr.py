"""OCR of one page with Tesseract (tesserocr), with the model chosen from the detected script.

One `Reader` per process keeps its Tesseract instances warm. Tesseract must run single-threaded
(`OMP_THREAD_LIMIT=1`, set here before the library loads): parallelism comes from one process per
core (see `pool.py`). After the page pass, lines that came back empty or with low confidence are
read again on their own (single-line segmentation) and flagged; ink the layout analysis skipped
altogether (whole Arabic-script lines, typically) is found on the binarised page, read as lines
and flagged "recovered".
"""

from __future__ import annotations

import os

os.environ["OMP_THREAD_LIMIT"] = "1"

import time  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from .cleanup import CleanupResult, CleanupSettings, clean_page, to_gray  # noqa: E402
from .languages import (  # noqa: E402
    MODELS,
    SCRIPT_LANGS,
    SCRIPT_MODELS,
    guess_language,
    model_for,
    parse_langs,
    script_counts,
)
from .orthography import correct_word  # noqa: E402
from .page import Line, PageText, Word  # noqa: E402

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
LOW_CONF = 60.0          # a line below this mean word confidence is read again on its own
RECOVER_MIN_CONF = 40.0  # a recovered line below this is dropped as noise
ARABIC_SCRIPT_MODELS = {"ara", "fas", "Arabic", "script/Arabic"}
_ISO_SCRIPT = {"Latin": "Latn", "Cyrillic": "Cyrl", "Arabic": "Arab"}


class OcrError(RuntimeError):
    pass


def tessdata_path() -> str:
    """The folder holding the Debian language data (`QOIMA_TESSDATA` overrides)."""
    env = os.environ.get("QOIMA_TESSDATA") or os.environ.get("TESSDATA_PREFIX")
    for cand in ([env] if env else []) + list(TESSDATA_CANDIDATES):
        if cand and (Path(cand) / "eng.traineddata").exists():
            return cand
    raise OcrError("no Tesseract language data found (install tesseract-ocr-{kaz,rus,ara,fas,eng} and "
                   "tesseract-ocr-script-{latn,cyrl,arab}, or set QOIMA_TESSDATA)")


def installed_models(path: str | None = None) -> set[str]:
    folder = Path(path or tessdata_path())
    found = {p.stem for p in folder.glob("*.traineddata")}
    found |= {p.stem for p in (folder / "script").glob("*.traineddata")}
    return found


def tesseract_version() -> str:
    import tesserocr

    return tesserocr.tesseract_version().split()[1]


@dataclass
class Detection:
    langs: list[str]
    script: str            # ISO 15924 of the main script
    osd: dict | None
    probe_text: str
    score: float

    def as_dict(self) -> dict:
        return {"langs": self.langs, "script": self.script, "osd": self.osd, "score": round(self.score, 4),
                "probe_chars": len(self.probe_text)}


def _model_path(name: str, tessdata: str) -> str:
    """tesserocr wants the language name relative to tessdata; script models live in script/."""
    if (Path(tessdata) / f"{name}.traineddata").exists():
        return name
    if (Path(tessdata) / "script" / f"{name}.traineddata").exists():
        return f"script/{name}"
    raise OcrError(f"Tesseract model {name!r} is not installed in {tessdata}")


class Reader:
    """Tesseract instances for one process, created on first use per (model, segmentation)."""

    def __init__(self, tessdata: str | None = None):
        self.tessdata = tessdata or tessdata_path()
        self._apis: dict = {}

    def api(self, model: str, psm: int):
        import tesserocr

        key = (model, psm)
        if key not in self._apis:
            lang = "+".join(_model_path(m, self.tessdata) for m in model.split("+"))
            api = tesserocr.PyTessBaseAPI(path=self.tessdata, lang=lang, psm=psm)
            api.SetVariable("debug_file", "/dev/null")
            if any(m in ARABIC_SCRIPT_MODELS for m in model.split("+")):
                # Tesseract rejects Arabic-script rows as "noise rows" (many small dots): whole
                # lines vanished from 20-75 % of degraded Arabic pages until this was switched off.
                api.SetVariable("textord_noise_rejrows", "0")
            self._apis[key] = api
        return self._apis[key]

    def close(self) -> None:
        for api in self._apis.values():
            api.End()
        self._apis.clear()

    # -- detection ---------------------------------------------------------------------------
    def detect(self, img: Image.Image) -> Detection:
        """Main script by Tesseract OSD, then language(s) by a probe with the script model."""
        import tesserocr

        osd = None
        script_name = None
        try:
            api = self.api("osd", tesserocr.PSM.OSD_ONLY)
            api.SetImage(img)
            osd = api.DetectOrientationScript()
            if osd and osd.get("script_name") in SCRIPT_MODELS:
                script_name = osd["script_name"]
        except (RuntimeError, OcrError):
            osd = None
        band = probe_band(img)
        candidates = [script_name] if script_name else list(SCRIPT_MODELS)
        best: tuple[float, str, str] | None = None
        for name in candidates:
            api = self.api(SCRIPT_MODELS[name], tesserocr.PSM.SINGLE_BLOCK)
            api.SetImage(band)
            text = api.GetUTF8Text()
            conf = float(api.MeanTextConf())
            counts = script_counts(text)
            own = counts.get(_ISO_SCRIPT[name], 0)
            # Without OSD: prefer the script model whose output is mostly its own script.
            score = conf * own / max(sum(counts.values()), 1)
            if best is None or score > best[0]:
                best = (score, name, text)
        _, name, text = best
        iso = _ISO_SCRIPT[name]
        counts = script_counts(text)
        guess = guess_language(text, iso)
        langs = [guess.tag]
        total = max(sum(counts.values()), 1)
        for other, n in counts.items():
            if other != iso and n / total >= 0.15:
                langs.append(guess_language("".join(c for c in text), other).tag)
        if guess.tag not in SCRIPT_LANGS[name]:
            langs = [SCRIPT_LANGS[name][0]]
        return Detection(langs=list(dict.fromkeys(langs)), script=iso, osd=osd, probe_text=text,
                         score=guess.score)

    # -- recognition -------------------------------------------------------------------------
    def read(self, img: Image.Image, langs: list[str], *, binary: np.ndarray | None = None,
             dpi: int = 300, retry: bool = True) -> PageText:
        """Read a page (PIL image, preferably cleaned) with the model for `langs`."""
        import tesserocr

        t0 = time.perf_counter()
        model = model_for(langs)
        api = self.api(model, tesserocr.PSM.AUTO)
        api.SetImage(img)
        api.SetSourceResolution(dpi)
        api.Recognize()
        lines = _collect(api, (0, 0), langs[0])
        if retry:
            gray = to_gray(img)
            if binary is None:
                _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
            lines = self._retry_weak(img, lines, model, langs[0], dpi)
            lines = self._recover_dropped(img, binary, lines, model, langs[0], dpi)
        return PageText(width=img.width, height=img.height, lines=lines, lang=langs[0], langs=langs,
                        model=model, engine_version=tesseract_version(), seconds=time.perf_counter() - t0)

    def read_line(self, img: Image.Image, box: tuple[int, int, int, int], model: str, lang: str, dpi: int) -> Line | None:
        """Read one line crop with single-line segmentation; boxes in page coordinates."""
        import tesserocr

        x, y, w, h = box
        pad = max(4, h // 3)
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(img.width, x + w + pad), min(img.height, y + h + pad)
        crop = img.crop((x0, y0, x1, y1))
        words: list[Word] = []
        # Single-line segmentation first; raw line (no blob filtering) when that finds nothing.
        for psm in (tesserocr.PSM.SINGLE_LINE, tesserocr.PSM.RAW_LINE):
            api = self.api(model, psm)
            api.SetImage(crop)
            api.SetSourceResolution(dpi)
            api.Recognize()
            words = [w for ln in _collect(api, (x0, y0), lang) for w in ln.words if w.text]
            if words:
                break
        if not words:
            return None
        return Line(words=words, box=_union([w.box for w in words]), lang=lang)

    def _retry_weak(self, img, lines: list[Line], model: str, lang: str, dpi: int) -> list[Line]:
        out = []
        for ln in lines:
            if ln.text and ln.conf >= LOW_CONF:
                out.append(ln)
                continue
            again = self.read_line(img, ln.box, model, lang, dpi)
            if again is not None and again.conf > ln.conf:
                again.block = ln.block
                again.flags = ["retried"]
                ln = again
            elif not ln.text:
                ln.flags = ["empty"]
            if ln.conf < LOW_CONF:
                ln.flags = [*ln.flags, "low-confidence"]
            if ln.text:
                out.append(ln)
        return out

    def _recover_dropped(self, img, binary: np.ndarray, lines: list[Line], model: str, lang: str, dpi: int) -> list[Line]:
        boxes = [w.box for ln in lines for w in ln.words]
        heights = sorted(ln.box[3] for ln in lines if ln.box[3] > 0)
        line_h = heights[len(heights) // 2] if heights else max(12, dpi // 6)
        for box in uncovered_text_boxes(binary, boxes, line_h):
            ln = self.read_line(img, box, model, lang, dpi)
            if ln is None or ln.conf < RECOVER_MIN_CONF or len(ln.text.replace(" ", "")) < 2:
                continue
            ln.flags = ["recovered"]
            # Insert in reading order: after the last line that starts above it.
            idx = sum(1 for other in lines if other.box[1] + other.box[3] / 2 < ln.box[1] + ln.box[3] / 2)
            ln.block = lines[idx - 1].block if idx else 0
            lines.insert(idx, ln)
        return lines


def _union(boxes) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


_HOCR_PARSER = None
_TESS_LANGS = {"kaz": "kk-Cyrl", "rus": "ru", "eng": "en", "ara": "ar", "fas": "fa"}


def _bbox(title: str) -> tuple[int, int, int, int] | None:
    for part in title.split(";"):
        bits = part.split()
        if bits and bits[0] == "bbox" and len(bits) == 5:
            x0, y0, x1, y1 = map(int, bits[1:])
            return (x0, y0, x1 - x0, y1 - y0)
    return None


def _wconf(title: str) -> float:
    for part in title.split(";"):
        bits = part.split()
        if bits and bits[0] == "x_wconf":
            return float(bits[1])
    return 0.0


def _collect(api, offset: tuple[int, int], lang: str) -> list[Line]:
    """Lines of words in reading order from a recognised Tesseract page.

    Read from Tesseract's hOCR rather than the result iterator: tesserocr's iterator gives the
    characters of right-to-left words in visual order, the hOCR renderer in logical order.
    """
    from lxml import etree

    global _HOCR_PARSER
    if _HOCR_PARSER is None:
        _HOCR_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    hocr = api.GetHOCRText(0)
    if not hocr or not hocr.strip():
        return []
    root = etree.fromstring(f"<div>{hocr}</div>".encode(), _HOCR_PARSER)
    ox, oy = offset
    lines: list[Line] = []

    def shift(b):
        return (b[0] + ox, b[1] + oy, b[2], b[3])

    for bi, carea in enumerate(root.iter("div")):
        if carea.get("class") != "ocr_carea":
            continue
        for par in carea.iter("p"):
            plang = _TESS_LANGS.get(par.get("lang", ""), lang) if "+" in (api.GetInitLanguagesAsString() or "") else lang
            for span in par.iter("span"):
                if span.get("class") not in ("ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"):
                    continue
                lb = _bbox(span.get("title", ""))
                if lb is None:
                    continue
                words = []
                for w in span.iter("span"):
                    if w.get("class") != "ocrx_word":
                        continue
                    text = "".join(w.itertext()).strip()
                    wb = _bbox(w.get("title", ""))
                    if text and wb:
                        text = correct_word(unicodedata.normalize("NFC", text), plang)
                        words.append(Word(text=text, box=shift(wb), conf=_wconf(w.get("title", ""))))
                lines.append(Line(words=words, box=shift(lb), block=bi, lang=plang))
    return lines


def uncovered_text_boxes(binary: np.ndarray, word_boxes, line_h: int) -> list[tuple[int, int, int, int]]:
    """Line-shaped clusters of ink outside every recognised word: text the layout analysis missed."""
    ink = (binary < 128).astype(np.uint8)
    pad = max(2, line_h // 6)
    for x, y, w, h in word_boxes:
        ink[max(0, y - pad): y + h + pad, max(0, x - pad): x + w + pad] = 0
    # Drop specks, then join letters and words of one line horizontally.
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    kw = max(3, line_h)
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (kw, max(1, line_h // 4))))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        ink_px = int(ink[y:y + h, x:x + w].sum())
        if h < line_h * 0.4 or h > line_h * 2.5 or w < line_h * 2 or ink_px < line_h * line_h * 0.3:
            continue
        # Undo the dilation margin.
        boxes.append((int(x + kw // 2), int(y), int(max(1, w - kw)), int(h)))
    return boxes


def probe_band(img: Image.Image, max_lines: int = 12) -> Image.Image:
    """A strip of the page with a few text lines from its top, middle and bottom (for detection)."""
    gray = to_gray(img)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rows = ink.sum(axis=1)
    text_rows = np.where(rows > max(3, 0.01 * gray.shape[1]))[0]
    if len(text_rows) < 10:
        return img
    y0, y1 = int(text_rows[0]), int(text_rows[-1])
    span = y1 - y0
    band_h = max(60, int(gray.shape[0] * 0.06))
    if span <= 3 * band_h:
        return img.crop((0, max(0, y0 - 10), img.width, min(img.height, y1 + 10)))
    starts = [y0, y0 + span // 2 - band_h // 2, y1 - band_h]
    parts = [img.crop((0, max(0, s - 10), img.width, min(img.height, s + band_h + 10))) for s in starts]
    out = Image.new(img.mode, (img.width, sum(p.height for p in parts)), 255 if img.mode == "L" else (255,) * 3)
    y = 0
    for p in parts:
        out.paste(p, (0, y))
        y += p.height
    return out


def ocr_image(img: Image.Image, lang: str = "auto", *, cleanup: CleanupSettings | bool = True,
              reader: Reader | None = None, dpi: int | None = None, retry: bool = True) -> tuple[PageText, CleanupResult | None]:
    """Clean up (unless cleanup=False), detect the language (unless given) and read one page."""
    reader = reader or Reader()
    if dpi is None:
        info = img.info.get("dpi")
        dpi = int(round(info[0])) if info and info[0] and info[0] > 50 else 300
    t0 = time.perf_counter()
    cleaned = None
    if cleanup:
        cleaned = clean_page(img, cleanup if isinstance(cleanup, CleanupSettings) else None)
        work = cleaned.image
        binary = np.asarray(work) if cleaned.threshold is not None else None
    else:
        work = img.convert("L") if img.mode not in ("L", "RGB") else img
        binary = None
    detection = None
    if lang == "auto":
        detection = reader.detect(work)
        langs = detection.langs
    else:
        langs = parse_langs(lang)
    for tag in langs:
        if tag not in MODELS:
            raise OcrError(f"no model for {tag}")
    page = reader.read(work, langs, binary=binary, dpi=dpi, retry=retry)
    if cleaned is not None and cleaned.rotation and cleaned.image.size == img.size:
        page.unrotate(cleaned.rotation)  # boxes on the original scan, not on the deskewed copy
        cleaned.settings["boxes"] = "original"
    page.cleanup = cleaned.settings if cleaned else None
    page.detection = detection.as_dict() if detection else None
    page.seconds = round(time.perf_counter() - t0, 3)
    return page, cleaned
