"""Unicode and orthographic normalization that makes differently typed forms of one word equal.

Archival text arrives typed on many keyboards: Arabic with or without hamza seats and harakat,
Persian with Arabic ya/kaf (or the reverse), presentation forms from PDF copies, Cyrillic with or
without ё, Latin with or without diacritics. `fold` gives the form that is indexed as "exact":
it keeps the letters a reader would call the same word and removes only what typists vary.
"""

from __future__ import annotations

import re
import unicodedata

ZW_CHARS = "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
_ZW_TABLE = {ord(c): None for c in ZW_CHARS}

# Harakat, Quranic annotation marks, superscript alef and tatweel: typists vary them freely.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

# Letter variants folded to one form (Arabic and Persian keyboards, hamza seats, final forms).
_ARABIC_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ې": "ي", "ێ": "ي", "ے": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه",
    "ک": "ك", "ڪ": "ك",
    "ٴ": None, "ء": None,
    # Arabic-Indic and Persian digits
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_CYRILLIC_FOLD = str.maketrans({"ё": "е", "ї": "і"})

_APOSTROPHES = "'’ʼʻ`´ʿʾ‘"
# A word: letters/digits/marks, with apostrophes inside (Qur'an, O'zbek) but not hyphens (Al-Buainain
# is two words, so "Buainain" alone still matches).
WORD_RE = re.compile(rf"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+"
                     rf"(?:[{_APOSTROPHES}][\w\u0300-\u036f]+)*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def script_of(word: str) -> str:
    """ISO 15924 code of the first letter that tells: 'Cyrl', 'Arab', 'Latn' or '' (digits etc.)."""
    for ch in word:
        o = ord(ch)
        if 0x0400 <= o <= 0x052F:
            return "Cyrl"
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFEFF:
            return "Arab"
        if ch.isalpha():
            if o < 0x0250 or 0x1E00 <= o <= 0x1EFF:
                return "Latn"
            return unicodedata.name(ch, "X").split(" ")[0][:4].title()
    return ""


def strip_marks(text: str) -> str:
    """Latin/Cyrillic diacritics off (ä -> a); Cyrillic letters that are base letters stay (й, ё -> е)."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def fold_arabic(word: str) -> str:
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)


def fold(word: str) -> str:
    """The indexed "exact" form: NFKC, case folded, zero-width and script-specific variants removed."""
    w = unicodedata.normalize("NFKC", word).translate(_ZW_TABLE)
    for a in _APOSTROPHES:
        if a in w:
            w = w.replace(a, "")
    w = w.casefold()
    sc = script_of(w)
    if sc == "Arab":
        w = fold_arabic(w)
    elif sc == "Cyrl":
        w = w.translate(_CYRILLIC_FOLD)
    return w


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of `text` (offsets into `text` itself, for highlighting)."""
    return [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
