from datetime import date

import pytest

from qoima.catalogue.dates import normalize, parse_iso
from qoima.catalogue.languages import LanguageTagError, detect_script, normalize_tag, resolve


@pytest.mark.parametrize(
    "expression, start, end",
    [
        ("1920-е гг.", date(1920, 1, 1), date(1929, 12, 31)),
        ("circa 1934", date(1934, 1, 1), date(1934, 12, 31)),
        ("1934-1936", date(1934, 1, 1), date(1936, 12, 31)),
        ("January 1, 2015 - December 31, 2016", date(2015, 1, 1), date(2016, 12, 31)),
        ("12.05.1936", date(1936, 5, 12), date(1936, 5, 12)),
        ("мая 1937", date(1937, 5, 1), date(1937, 5, 31)),
        ("١٩٣٤", date(1934, 1, 1), date(1934, 12, 31)),
        ("1930s", date(1930, 1, 1), date(1939, 12, 31)),
        ("undated", None, None),
    ],
)
def test_normalize(expression, start, end):
    assert normalize(expression) == (start, end)


def test_parse_iso_atom_zero_parts():
    assert parse_iso("2016-00-00") == date(2016, 1, 1)
    assert parse_iso("2016-00-00", end=True) == date(2016, 12, 31)
    assert parse_iso("not a date") is None


def test_language_tags_and_scripts():
    assert normalize_tag("KK_latn") == "kk-Latn"
    assert resolve("kk", "Qazaqstan") == ("kk-Latn", "Latn")
    assert resolve("kk", "قازاقستان") == ("kk-Arab", "Arab")
    assert resolve("fa", "") == ("fa", "Arab")
    assert detect_script("Қазақстан") == "Cyrl"
    with pytest.raises(LanguageTagError):
        normalize_tag("not a tag!")
