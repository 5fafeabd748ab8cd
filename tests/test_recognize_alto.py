"""ALTO 4.4 output: valid against the official schema, round-trips, carries flags and languages."""

import pytest
from lxml import etree
from recognize_fixtures import assert_valid_alto

from qoima.recognize.alto import NS, parse_alto, to_alto, to_text
from qoima.recognize.page import Line, PageText, Word


def sample_page() -> PageText:
    lines = [
        Line(words=[Word("تحفظ", (900, 100, 80, 40), 91.5), Word("دار", (800, 100, 60, 40), 88.0)],
             box=(800, 100, 180, 40), block=0, lang="ar"),
        Line(words=[Word("Qazaqstan", (100, 200, 200, 40), 55.0)], box=(100, 200, 200, 40), block=1,
             lang="kk-Latn", flags=["retried", "low-confidence"]),
        Line(words=[Word("<&\">", (100, 260, 60, 40), 40.0)], box=(100, 260, 60, 40), block=1,
             lang="kk-Latn", flags=["recovered"]),
    ]
    return PageText(width=1000, height=400, lines=lines, lang="ar", langs=["ar", "kk-Latn"], model="ara+Latin",
                    engine_version="5.5.4", cleanup={"steps": ["otsu"], "version": "1"})


def test_alto_is_schema_valid_and_round_trips():
    page = sample_page()
    data = to_alto(page, image_name="0001.tif", page_number=3)
    assert_valid_alto(data)
    back = parse_alto(data)
    assert back.text == page.text
    assert [ln.flags for ln in back.lines] == [ln.flags for ln in page.lines]
    assert back.lines[0].words[0].box == (900, 100, 80, 40)
    assert back.lines[0].words[0].conf == pytest.approx(92, abs=1)


def test_alto_content_language_direction_and_processing():
    root = etree.fromstring(to_alto(sample_page()))
    ns = {"a": NS}
    blocks = root.findall(".//a:TextBlock", ns)
    assert [b.get("LANG") for b in blocks] == ["ar", "kk-Latn"]
    assert [b.get("BASEDIRECTION") for b in blocks] == ["rtl", "ltr"]
    strings = root.findall(".//a:String", ns)
    assert strings[0].get("CONTENT") == "تحفظ" and strings[0].get("WC") == "0.92"
    assert root.findtext(".//a:processingSoftware/a:softwareVersion", namespaces=ns) == "5.5.4"
    assert {t.get("LABEL") for t in root.findall(".//a:OtherTag", ns)} == {"retried", "low-confidence", "recovered"}


def test_real_ocr_output_is_valid():
    from qoima.recognize.ocr import ocr_image
    from qoima.recognize.testpages import make_page

    page = make_page("kk-Arab", seed=1, dpi=200, a4=False, n_sentences=2)
    result, _ = ocr_image(page.image, "auto")
    assert_valid_alto(to_alto(result, image_name="p.png"))
    assert to_text(result).endswith("\n")


def test_doctype_is_refused():
    with pytest.raises(ValueError):
        parse_alto(b'<?xml version="1.0"?><!DOCTYPE alto [<!ENTITY x "y">]><alto xmlns="' + NS.encode()
                   + b'"><Layout><Page ID="P1" PHYSICAL_IMG_NR="1"/></Layout></alto>')
