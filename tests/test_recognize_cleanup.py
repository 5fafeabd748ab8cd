"""Clean-up: deskew finds the rotation, stains and uneven light are flattened, input untouched."""

import numpy as np
import pytest
from PIL import Image

from qoima.recognize.cleanup import CleanupSettings, clean_page, estimate_skew, to_gray
from qoima.recognize.testpages import degrade, make_page


@pytest.fixture(scope="module")
def page():
    return make_page("kk-Cyrl", seed=3, dpi=150)


@pytest.mark.parametrize("angle", [-3.2, -1.0, 0.0, 2.4])
def test_deskew_recovers_rotation(page, angle):
    rotated = page.image.rotate(angle, resample=Image.BICUBIC, fillcolor=(240, 238, 228))
    assert estimate_skew(to_gray(rotated)) == pytest.approx(angle, abs=0.2)


def test_clean_page_leaves_input_and_records_settings(page):
    scan = degrade(page.image, seed=5)
    before = np.asarray(scan).copy()
    result = clean_page(scan)
    assert np.array_equal(np.asarray(scan), before)
    assert result.image.mode == "L" and result.image.size == scan.size
    assert set(np.unique(np.asarray(result.image))) <= {0, 255}
    s = result.settings
    assert s["steps"] == ["background-normalization", "median-3", "deskew", "otsu"]
    assert s["skew_degrees"] == result.skew and s["otsu_threshold"] is not None


def test_stain_does_not_turn_black(page):
    img = page.image.copy()
    arr = np.asarray(img).copy()
    arr[100:400, 100:400] = (150, 110, 60)  # a big brown stain on blank paper
    result = clean_page(Image.fromarray(arr))
    out = np.asarray(result.image)
    assert (out[150:350, 150:350] == 255).mean() > 0.95


def test_settings_switch_steps_off(page):
    result = clean_page(page.image, CleanupSettings(binarize=False, deskew=False, median=0))
    assert result.settings["steps"] == ["background-normalization"]
    assert result.threshold is None


def test_word_boxes_refer_to_the_original_scan_not_the_deskewed_copy():
    """OCR reads the deskewed copy; its boxes are mapped back so they sit on the words of the
    skewed scan that readers see (checked against the straight page's boxes, rotated)."""
    import math

    from qoima.recognize.ocr import ocr_image

    straight = make_page("ru", seed=4, dpi=200, n_sentences=5)
    angle = 3.0
    skewed = straight.image.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    ref, _ = ocr_image(straight.image, "ru", cleanup=CleanupSettings(deskew=False))
    got, cleaned = ocr_image(skewed, "ru")
    assert cleaned.rotation == pytest.approx(angle, abs=0.3) and cleaned.settings["boxes"] == "original"

    w, h = straight.image.size
    a = math.radians(angle)  # PIL rotates counter-clockwise about the centre

    def on_skewed(box):  # centre of a straight-page box, carried onto the skewed scan
        x, y = box[0] + box[2] / 2 - w / 2, box[1] + box[3] / 2 - h / 2
        return (w / 2 + x * math.cos(a) + y * math.sin(a), h / 2 - x * math.sin(a) + y * math.cos(a))

    expected = {wd.text: on_skewed(wd.box) for ln in ref.lines for wd in ln.words if len(wd.text) > 4}
    dists = [math.dist((wd.box[0] + wd.box[2] / 2, wd.box[1] + wd.box[3] / 2), expected[wd.text])
             for ln in got.lines for wd in ln.words if wd.text in expected]
    assert len(dists) > 10
    assert sorted(dists)[len(dists) // 2] < 6, "word boxes are not on the words of the scan"
