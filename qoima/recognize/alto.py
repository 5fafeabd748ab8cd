"""ALTO 4.4 XML for a recognised page: blocks, lines and words with boxes, confidences (WC),
BCP 47 language and base direction; retried/recovered lines carry a tag; the processing step
names engine, version, model and clean-up settings. Also reads ALTO back into a `PageText`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .languages import MODELS, is_rtl
from .page import Line, PageText, Word

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
FLAG_LABELS = {
    "retried": "line read again on its own after an empty or low-confidence result",
    "recovered": "line missed by layout analysis, found on the binarised page and read on its own",
    "low-confidence": "mean word confidence below the threshold after retrying",
    "empty": "line found but nothing recognised",
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _box_attrs(el, box) -> None:
    x, y, w, h = box
    el.set("HPOS", str(int(x)))
    el.set("VPOS", str(int(y)))
    el.set("WIDTH", str(int(w)))
    el.set("HEIGHT", str(int(h)))


def _lang_attr(tag: str) -> str:
    """xsd:language value; kk-Cyrl etc. are valid BCP 47 tags as they are."""
    return tag or "und"


def to_alto(page: PageText, *, image_name: str = "", page_number: int = 1, processed: datetime | None = None) -> bytes:
    """Serialise `page` as an ALTO 4.4 document (UTF-8 bytes)."""
    root = etree.Element(_q("alto"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("SCHEMAVERSION", "4.4")
    desc = etree.SubElement(root, _q("Description"))
    etree.SubElement(desc, _q("MeasurementUnit")).text = "pixel"
    if image_name:
        sii = etree.SubElement(desc, _q("sourceImageInformation"))
        etree.SubElement(sii, _q("fileName")).text = image_name
    proc = etree.SubElement(desc, _q("Processing"), ID="OCR1")
    etree.SubElement(proc, _q("processingCategory")).text = "contentGeneration"
    when = processed or datetime.now(UTC)
    etree.SubElement(proc, _q("processingDateTime")).text = when.replace(microsecond=0).isoformat()
    steps = list((page.cleanup or {}).get("steps", []))
    for step in steps:
        etree.SubElement(proc, _q("processingStepDescription")).text = f"clean-up: {step}"
    etree.SubElement(proc, _q("processingStepDescription")).text = (
        "text layer extracted from PDF" if page.source == "pdf-text" else f"OCR with model {page.model}")
    settings = {"model": page.model, "languages": page.langs, "cleanup": page.cleanup, "detection": page.detection}
    etree.SubElement(proc, _q("processingStepSettings")).text = json.dumps(settings, ensure_ascii=False, sort_keys=True)
    sw = etree.SubElement(proc, _q("processingSoftware"))
    etree.SubElement(sw, _q("softwareCreator")).text = "Qoima" if page.source == "pdf-text" else "Tesseract OCR"
    etree.SubElement(sw, _q("softwareName")).text = "pdfium" if page.source == "pdf-text" else page.engine
    etree.SubElement(sw, _q("softwareVersion")).text = page.engine_version or "unknown"

    flags = sorted({f for ln in page.lines for f in ln.flags})
    if flags:
        tags = etree.SubElement(root, _q("Tags"))
        for f in flags:
            etree.SubElement(tags, _q("OtherTag"), ID=f"flag-{f}", TYPE="ocr-quality", LABEL=f,
                             DESCRIPTION=FLAG_LABELS.get(f, f))

    layout = etree.SubElement(root, _q("Layout"))
    pg = etree.SubElement(layout, _q("Page"), ID=f"P{page_number}", PHYSICAL_IMG_NR=str(page_number),
                          WIDTH=str(page.width), HEIGHT=str(page.height))
    if page.lines:
        pg.set("PC", f"{page.conf / 100:.3f}")
    ps = etree.SubElement(pg, _q("PrintSpace"))
    _box_attrs(ps, (0, 0, page.width, page.height))
    blocks: dict[int, list[Line]] = {}
    for ln in page.lines:
        blocks.setdefault(ln.block, []).append(ln)
    n_line = n_word = 0
    for bi, lines in enumerate(blocks.values(), start=1):
        tb = etree.SubElement(ps, _q("TextBlock"), ID=f"P{page_number}_B{bi}")
        _box_attrs(tb, _union([ln.box for ln in lines]))
        blang = lines[0].lang or page.lang
        tb.set("LANG", _lang_attr(blang))
        if blang in MODELS:
            tb.set("BASEDIRECTION", "rtl" if is_rtl(blang) else "ltr")
        for ln in lines:
            if not ln.words:
                continue
            n_line += 1
            tl = etree.SubElement(tb, _q("TextLine"), ID=f"P{page_number}_L{n_line}")
            _box_attrs(tl, ln.box)
            if ln.lang and ln.lang != blang:
                tl.set("LANG", _lang_attr(ln.lang))
            if ln.flags:
                tl.set("TAGREFS", " ".join(f"flag-{f}" for f in ln.flags))
            for i, w in enumerate(ln.words):
                if i:
                    etree.SubElement(tl, _q("SP"))
                n_word += 1
                s = etree.SubElement(tl, _q("String"), ID=f"P{page_number}_W{n_word}", CONTENT=w.text)
                _box_attrs(s, w.box)
                s.set("WC", f"{max(0.0, min(w.conf, 100.0)) / 100:.2f}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _union(boxes) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def to_text(page: PageText) -> str:
    """Plain text: one line per recognised line, NFC, ending with a newline."""
    text = page.text
    return text + "\n" if text else ""


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_alto(data: bytes) -> PageText:
    """Read an ALTO 4 document (ours or another tool's) back into a `PageText` (first page)."""
    root = etree.fromstring(data, _SAFE)
    if root.getroottree().docinfo.internalDTD is not None:
        raise ValueError("ALTO with a DOCTYPE is refused")
    ns = {"a": root.nsmap.get(None, NS)}
    page_el = root.find(".//a:Page", ns)
    if page_el is None:
        raise ValueError("ALTO has no Page element")

    def box(el) -> tuple[int, int, int, int]:
        return tuple(int(float(el.get(k, 0))) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))

    lines = []
    langs = []
    for bi, tb in enumerate(page_el.iterfind(".//a:TextBlock", ns)):
        blang = tb.get("LANG", "")
        for tl in tb.iterfind("a:TextLine", ns):
            words = [Word(s.get("CONTENT", ""), box(s), float(s.get("WC", 0)) * 100)
                     for s in tl.iterfind("a:String", ns)]
            flags = [r.removeprefix("flag-") for r in (tl.get("TAGREFS") or "").split()]
            lang = tl.get("LANG", blang)
            langs.append(lang)
            lines.append(Line(words=words, box=box(tl), block=bi, lang=lang, flags=flags))
    main = max(set(langs), key=langs.count) if langs else "und"
    return PageText(width=int(float(page_el.get("WIDTH", 0))), height=int(float(page_el.get("HEIGHT", 0))),
                    lines=lines, lang=main, langs=sorted(set(langs)), model="")


def schema_path(shared: Path | None = None) -> Path | None:
    """The official ALTO 4.4 schema in the shared standards folder, if present (tests only)."""
    import os

    base = Path(os.environ["QOIMA_SHARED"]) if os.environ.get("QOIMA_SHARED") else (
        shared or Path(__file__).resolve().parents[3] / "shared")
    p = base / "standards" / "schemas" / "alto" / "alto-4-4.xsd"
    return p if p.exists() else None
