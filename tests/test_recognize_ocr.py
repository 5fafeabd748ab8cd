"""OCR end to end on degraded synthetic pages in all seven cases (reduced pages to keep it quick)."""

import numpy as np
import pytest

from qoima.recognize.cleanup import clean_page
from qoima.recognize.languages import MODELS
from qoima.recognize.ocr import Reader, installed_models, ocr_image, tessdata_path, uncovered_text_boxes
from qoima.recognize.quality import cer
from qoima.recognize.testpages import CASES, degrade, make_page

try:
    TESSDATA = tessdata_path()
except Exception:  # pragma: no cover - machines without the Debian language packs
    TESSDATA = None
pytestmark = pytest.mark.skipif(TESSDATA is None, reason="Tesseract language data not installed")


@pytest.fixture(scope="module")
def reader():
    r = Reader()
    yield r
    r.close()


def test_all_models_installed():
    have = installed_models()
    assert {m for m, _ in MODELS.values()} <= have | {"Latin", "Cyrillic", "Arabic"} and "osd" in have


@pytest.mark.parametrize("case", CASES)
def test_degraded_page_auto_language_and_cer(reader, case):
    page = make_page(case, seed=41, dpi=300, a4=False, n_sentences=3)
    scan = degrade(page.image, seed=41)
    result, cleaned = ocr_image(scan, "auto", reader=reader)
    assert result.langs[0] == case
    assert result.model == MODELS[case][0]
    limit = 0.08 if case in ("ar", "fa", "kk-Arab") else 0.02
    assert cer(page.text, result.text) <= limit, result.text
    assert cleaned is not None and result.cleanup["steps"][-1] == "otsu"
    words = [w for ln in result.lines for w in ln.words]
    assert words and all(0 <= w.conf <= 100 for w in words)
    # Word boxes lie on the page and inside their line.
    for ln in result.lines:
        x, y, w, h = ln.box
        for wd in ln.words:
            assert x - 2 <= wd.box[0] and wd.box[0] + wd.box[2] <= x + w + 2


def test_rtl_words_are_in_logical_order(reader):
    page = make_page("ar", seed=2, dpi=300, a4=False, n_sentences=1)
    result, _ = ocr_image(page.image, "ar", reader=reader)
    first = result.lines[0].words
    assert first[0].text == page.text.split()[0]
    assert first[0].box[0] > first[1].box[0]  # the first word is the rightmost


def test_dropped_line_is_found_and_recovered(reader):
    page = make_page("fa", seed=5, dpi=300, a4=False, n_sentences=3)
    img = clean_page(page.image).image
    full, _ = ocr_image(img, "fa", cleanup=False, reader=reader, retry=False)
    assert len(full.lines) >= 2
    missing = full.lines[1]
    kept = [w.box for i, ln in enumerate(full.lines) if i != 1 for w in ln.words]
    boxes = uncovered_text_boxes(np.asarray(img), kept, missing.box[3])
    assert len(boxes) == 1
    bx, by, bw, bh = boxes[0]
    assert abs(by - missing.box[1]) < missing.box[3] and bw > missing.box[2] * 0.8
    line = reader.read_line(img, boxes[0], "fas", "fa", 300)
    assert line is not None and cer(missing.text, line.text) < 0.1


def test_explicit_language_and_mixed_models(reader):
    page = make_page("en", seed=9, dpi=200, a4=False, n_sentences=2)
    result, _ = ocr_image(page.image, "kk-Latn+en", reader=reader)
    assert result.model == "Latin+eng" and result.detection is None
    assert cer(page.text, result.text) < 0.03
