"""Synthetic test pages: transliteration tables, rendering with shaping, seeded degradation."""

import numpy as np
import pytest
from PIL import features

from qoima.recognize.testpages import (
    CASES,
    degrade,
    kk_cyrl_to_latn,
    kk_cyrl_to_tote,
    make_page,
    sentences,
)


def test_kazakh_latin_2021_letters():
    assert kk_cyrl_to_latn("Қазақстан Республикасының Ұлттық мұрағаты") == "Qazaqstan Respublikasynyñ Ūlttyq mūrağaty"
    assert kk_cyrl_to_latn("Әрбір іздеу ИӘ") == "Ärbır ızdeu İÄ"
    assert kk_cyrl_to_latn("шөп үй ғасыр") == "şöp üi ğasyr"


def test_tote_marks_front_words_without_e_k_g_by_high_hamza():
    assert kk_cyrl_to_tote("біз") == "\u0674بىز"          # front vowel, no е/к/г: hamza
    assert kk_cyrl_to_tote("келісім") == "كەلىسىم"          # е and к already show a front word
    assert kk_cyrl_to_tote("қазақ, ел") == "قازاق، ەل"      # back word; Arabic comma


def test_every_case_has_sentences_in_its_script():
    for case in CASES:
        text = " ".join(sentences(case))
        assert len(text) > 300
    assert any(ch in "ەۇۋڭ" for ch in " ".join(sentences("kk-Arab")))
    assert any(ch in "پچژگکی" for ch in " ".join(sentences("fa")))
    with pytest.raises(ValueError):
        sentences("xx")


def test_page_is_deterministic_and_a4_at_300_dpi():
    a = make_page("ru", seed=7)
    b = make_page("ru", seed=7)
    assert a.image.size == (2480, 3508)
    assert a.text == b.text and a.font == b.font
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    assert make_page("ru", seed=8).text != a.text


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without raqm cannot shape Arabic")
def test_arabic_is_right_aligned():
    page = make_page("ar", seed=1, dpi=100, a4=False, n_sentences=2)
    ink = np.asarray(page.image.convert("L")) < 128
    cols = np.where(ink.any(axis=0))[0]
    margin = round(100 * 0.9)
    assert abs(cols.max() - (page.image.width - margin)) < 8  # lines start at the right margin


def test_degrade_is_seeded_and_changes_the_page():
    page = make_page("en", seed=2, dpi=100, a4=False, n_sentences=2)
    d1 = np.asarray(degrade(page.image, seed=3), dtype=np.int16)
    d2 = np.asarray(degrade(page.image, seed=3), dtype=np.int16)
    d3 = np.asarray(degrade(page.image, seed=4), dtype=np.int16)
    assert np.array_equal(d1, d2)
    assert not np.array_equal(d1, d3)
    assert np.abs(d1 - np.asarray(page.image, dtype=np.int16)).mean() > 5
