"""Model table and language guessing from text."""

import pytest

from qoima.recognize.languages import (
    UnknownLanguage,
    canonical,
    guess_language,
    model_for,
    parse_langs,
)
from qoima.recognize.testpages import CASES, sentences


def test_model_table_follows_measured_choices():
    assert model_for(["kk-Cyrl"]) == "kaz"
    assert model_for(["kk-Latn"]) == "Latin"
    assert model_for(["kk-Arab"]) == "Arabic"
    assert model_for(["fa"]) == "fas"
    assert model_for(["ar"]) == "ara"
    assert model_for(parse_langs("kk+en")) == "kaz+eng"


def test_codes_are_canonicalised():
    assert canonical("kk") == "kk-Cyrl"
    assert canonical("KK-latn") == "kk-Latn"
    assert canonical("töte") == "kk-Arab"
    assert canonical("fas") == "fa"
    with pytest.raises(UnknownLanguage):
        canonical("tlh")


@pytest.mark.parametrize("case", CASES)
def test_guess_from_clean_text(case):
    text = " ".join(sentences(case)[:3])
    assert guess_language(text).tag == case


def test_persian_with_arabic_letters_is_still_persian():
    # OCR may give Arabic yeh/kaf; Persian words and پ چ گ still decide.
    text = "پژوهشگران مي توانند متن را به هر زبان و با هر خطي جستجو كنند."
    assert guess_language(text).tag == "fa"
