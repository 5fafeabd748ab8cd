"""Romanization keys and consonant skeletons: where Cyrillic, Latin and Arabic script meet.

`tr_key` is a loose Latin spelling in which transliteration conventions agree: Kazakh 2021
(Qazaqstan), English (Kazakhstan), Russian GOST/BGN (Kazakhstan, Shymkent / Chimkent) and töte read
letter by letter all give the same key for the same word. Arabic and Persian write no short vowels,
so a name in Arabic letters meets its Latin and Cyrillic forms only on the consonant skeleton:
"Al-Buainain", "аль-Буенайн" and "البوعينين" all give `bnn`.
"""

from __future__ import annotations

import re

from qoima.search import kazakh
from qoima.search.normalize import fold_arabic, strip_marks

_CYR = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h",
    "һ": "h", "ц": "s", "ч": "sh", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "і": "i", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "ї": "i", "є": "e", "ў": "u", "ј": "j",
}
# Latin spellings after diacritics are stripped (ä a, ş s+h handled first, ñ n ...).
_LAT_PRE = str.maketrans({"ş": "sh", "ç": "sh", "ý": "u", "ı": "i", "ğ": "g", "ñ": "n", "ə": "a", "æ": "a",
                          "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "ħ": "h", "ṣ": "s", "ḥ": "h",
                          "ṭ": "t", "ḍ": "d", "ẓ": "z", "ḏ": "d", "ṯ": "t", "ġ": "g", "ẖ": "h"})
_LAT_RULES = [
    (re.compile(r"shch"), "sh"), (re.compile(r"dzh|dj"), "j"), (re.compile(r"zh"), "j"),
    (re.compile(r"kh"), "h"), (re.compile(r"gh"), "g"), (re.compile(r"ch|tch"), "sh"),
    (re.compile(r"ts|tz"), "s"), (re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"),
    (re.compile(r"th"), "t"), (re.compile(r"dh"), "d"), (re.compile(r"ee"), "i"),
    (re.compile(r"oo|ou"), "u"), (re.compile(r"q|c"), "k"), (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"), (re.compile(r"y"), "i"), (re.compile(r"iu"), "u"), (re.compile(r"ii"), "i"),
]
_NON_KEY = re.compile(r"[^a-z0-9]")

# Arabic-script consonant classes for skeletons (ا و ي ع ء ة and final ه are vowels or silent).
_AR_SKEL = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "s", "ج": "j", "چ": "s", "ح": "h", "خ": "h", "د": "d",
    "ذ": "z", "ر": "r", "ز": "z", "ژ": "j", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ظ": "z", "غ": "g",
    "ف": "f", "ق": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ڭ": "n",
}
_SKEL_RULES = [(re.compile(r"sh"), "s"), (re.compile(r"[aeiouv]"), ""), (re.compile(r"h$"), ""),
               (re.compile(r"p"), "b"), (re.compile(r"(.)\1+"), r"\1")]
ARTICLES = {"al", "el", "ul", "ad", "ash", "as", "ar", "at", "az", "an", "ал", "аль", "әл", "эль", "ад",
            "аш", "ас", "ар", "ат", "аз", "ан", "ibn", "bin", "ibnu", "бин", "ибн", "بن", "ابن"}
_AR_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=..)")


def _latin_key(word: str) -> str:
    w = strip_marks(word.lower().translate(_LAT_PRE))
    for rx, rep in _LAT_RULES:
        w = rx.sub(rep, w)
    return _NON_KEY.sub("", w)


_LAT_RU = [("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ya", "я"),
           ("yu", "ю"), ("yo", "ё"), ("iy", "ий"), ("j", "дж")]
_LAT_RU_1 = str.maketrans({"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
                           "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
                           "t": "т", "u": "у", "f": "ф", "h": "х", "c": "к", "q": "к", "w": "в", "x": "кс",
                           "y": "ы"})


def latin_to_russian(word: str) -> str:
    """A Latin spelling read back as Russian Cyrillic (Kazakhstan -> казахстан), for Russian stems."""
    w = strip_marks(word.lower())
    for a, b in _LAT_RU:
        w = w.replace(a, b)
    return w.translate(_LAT_RU_1)


def cyr_key(word: str) -> str:
    return _latin_key("".join(_CYR.get(c, c) for c in word.lower()))


def tote_key(word: str) -> str:
    return cyr_key(kazakh.tote_to_cyr(word))


def tr_keys(word: str, script: str) -> list[str]:
    """Romanization keys of one word ([] for Arabic-script words read as Arabic/Persian)."""
    if script == "Cyrl":
        key = cyr_key(word)
        if "х" in word[1:].lower():  # Russian казах / Kazakh қазақ
            return [key, cyr_key(word[0] + word[1:].lower().replace("х", "к"))]
        return [key]
    if script == "Latn":
        low = word.lower()
        keys = [_latin_key(low)]
        if "kh" in low:  # Kazakh(stan) / Qazaq: English kh is Kazakh қ as often as Russian х
            keys.append(_latin_key(low.replace("kh", "k")))
        return [k for i, k in enumerate(keys) if k and k not in keys[:i]]
    if script == "Arab":
        return [tote_key(word)]
    return []


def skeleton_of_key(key: str) -> str:
    for rx, rep in _SKEL_RULES:
        key = rx.sub(rep, key)
    return key


# Letters romanized two ways (Uthman/Осман, Thani/Тани; Dhahran/Захран): a second skeleton.
_AR_SKEL_ALT = {"ث": "t", "ذ": "d", "ظ": "d", "ض": "z"}


def arabic_skeletons(word: str) -> list[str]:
    w = _AR_PREFIX.sub("", fold_arabic(word))
    variants = [""]
    for i, ch in enumerate(w):
        c = _AR_SKEL.get(ch, "")
        if c == "h" and i == len(w) - 1:
            c = ""
        choices = [c, _AR_SKEL_ALT[ch]] if ch in _AR_SKEL_ALT else [c]
        grown = [v + x if x and not v.endswith(x) else v for v in variants for x in choices]
        variants = list(dict.fromkeys(grown))[:4]
    if w.endswith("وف") and len(w) > 4:  # Russian -ов/-ев written -وف: Latin and Cyrillic skeletons drop v
        variants.append(variants[0][:-1])
    return list(dict.fromkeys(variants))


def arabic_skeleton(word: str) -> str:
    return arabic_skeletons(word)[0]


def skeletons(word: str, script: str, keys: list[str] | None = None, tote: bool = True) -> list[str]:
    """Consonant skeletons of a word (length >= 2); articles (al-, аль-, ال) give none."""
    low = word.lower()
    if low in ARTICLES:
        return []
    out: list[str] = []
    if script == "Arab":
        out.extend(arabic_skeletons(word))
        if tote:
            out.extend(skeleton_of_key(k) for k in (keys if keys is not None else tr_keys(word, script)))
    else:
        ks = keys if keys is not None else tr_keys(word, script)
        for k in ks:
            out.append(skeleton_of_key(k))
            if script == "Latn" and len(k) > 5 and k.startswith(("al", "el")):  # Albuainain
                out.append(skeleton_of_key(k[2:]))
    return [s for i, s in enumerate(out) if len(s) >= 2 and s not in out[:i]]
