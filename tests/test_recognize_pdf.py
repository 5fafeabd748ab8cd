"""PDFs: a text layer is extracted (no OCR); a scanned PDF is rasterised and OCRed."""

from pathlib import Path

from qoima.recognize.page import PageText
from qoima.recognize.pdf import is_pdf, pdf_pages
from qoima.recognize.pool import run_task
from qoima.recognize.quality import cer
from qoima.recognize.testpages import make_page


def write_text_pdf(path: Path, lines: list[str]) -> None:
    """A minimal one-page PDF with Helvetica text (a real text layer), offsets computed."""
    content = "BT /F1 14 Tf 72 760 Td 18 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


def test_text_layer_is_extracted_with_boxes(tmp_path):
    lines = ["The national archive preserves records.", "Researchers search the text in any script."]
    pdf = tmp_path / "born-digital.pdf"
    write_text_pdf(pdf, lines)
    assert is_pdf(pdf)
    (page,) = list(pdf_pages(pdf))
    assert page.image is None and page.text is not None
    assert page.text.source == "pdf-text" and page.text.lang == "en"
    assert page.text.text == "\n".join(lines)
    first = page.text.lines[0].words[0]
    x, y, w, h = first.box  # 72 pt from the left, near the top, in 300-dpi pixels
    assert abs(x - 300) < 15 and 250 < y < 400 and w > 0 and h > 0


def test_scanned_pdf_is_ocred(tmp_path):
    page = make_page("ru", seed=4, dpi=200, a4=True, n_sentences=3)
    pdf = tmp_path / "scan.pdf"
    page.image.save(pdf, "PDF", resolution=200)
    result = run_task({"id": 1, "path": str(pdf), "pdf_page": 1, "lang": "auto"})
    text = PageText.from_dict(result["page"])
    assert text.source == "ocr" and text.lang == "ru"
    assert cer(page.text, text.text) < 0.02
