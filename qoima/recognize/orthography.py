"""Orthographic repair of OCR words, per language: letters a language does not use are mapped to
the ones it does, and Kazakh vowel harmony decides between look-alike vowels.

Measured on the synthetic pages: Tesseract's `Latin` model reads Kazakh ū (ұ) as ü (ү) in about
one word in fifteen; the `Arabic` model reads töte's high hamza as a quote mark and gives the
Persian keheh and heh for töte's kaf and ae. All these are unambiguous once the language is known.
"""

from __future__ import annotations

ORTHOGRAPHY_VERSION = "1"

_KK_LATN_FOLD = str.maketrans({"ň": "ñ", "ń": "ñ", "Ň": "Ñ", "Ń": "Ñ", "ǧ": "ğ", "ǵ": "ğ", "Ǧ": "Ğ",
                               "ș": "ş", "Ș": "Ş", "ŭ": "ū", "Ŭ": "Ū"})
_BACK = set("aoyūqğ")  # not u: Kazakh u (у) is often a consonant in front words
_FRONT = set("äeöüıkg")
_QUOTES = "ˆ'‘’“”`´ʼʻ\"^"
_ARAB_COMMA = str.maketrans({",": "،", ";": "؛", "?": "؟"})
_TOTE_FOLD = str.maketrans({"ه": "ە", "ک": "ك", "ۈ": "ۇ"})
_FA_FOLD = str.maketrans({"ي": "ی", "ك": "ک"})


def _harmony(word: str) -> str:
    """Choose ū/ü (Ū/Ü) by the other sounds of a Kazakh word: back vowels and q, ğ take ū."""
    if not any(ch in "ūüŪÜ" for ch in word):
        return word
    low = word.lower()
    out = []
    for i, ch in enumerate(word):
        if ch not in "ūüŪÜ":
            out.append(ch)
            continue
        rest = low[:i] + low[i + 1:]
        back = sum(c in _BACK for c in rest)
        front = sum(c in _FRONT for c in rest)
        if back and not front:
            ch = "Ū" if ch.isupper() else "ū"
        elif front and not back:
            ch = "Ü" if ch.isupper() else "ü"
        out.append(ch)
    return "".join(out)


def correct_word(text: str, lang: str) -> str:
    """The word as `lang` writes it (BCP 47 tag from languages.MODELS)."""
    if lang == "kk-Latn":
        return _harmony(text.translate(_KK_LATN_FOLD))
    if lang == "kk-Arab":
        text = text.translate(_TOTE_FOLD).translate(_ARAB_COMMA)
        if len(text) > 1 and text[0] in _QUOTES:
            text = "\u0674" + text[1:]
        return text
    if lang == "fa":
        return text.translate(_FA_FOLD).translate(_ARAB_COMMA)
    if lang == "ar":
        return text.translate(_ARAB_COMMA)
    return text
