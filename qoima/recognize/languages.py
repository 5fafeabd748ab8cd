"""Which Tesseract model reads which language, and how to tell the languages apart from text.

Tesseract's script detection (OSD) tells Latin, Cyrillic and Arabic apart but not the languages
written in them; a short probe with the script model then shows the letters each language has
and the others lack (Kazakh әғқңөұүһі; Persian پچژگکی; töte ەۇۋڭٴ; Kazakh Latin äğıñöşūü or, since 2021, áǵńóúş, and q).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# BCP 47 tag -> (Tesseract model, ISO 15924 script). Measured here: kk-Latn needs `Latin` (eng
# gives 17 % CER), Persian needs `fas` (never `ara`).
MODELS: dict[str, tuple[str, str]] = {
    "kk-Cyrl": ("kaz", "Cyrl"),
    "kk-Latn": ("Latin", "Latn"),
    "kk-Arab": ("Arabic", "Arab"),
    "ru": ("rus", "Cyrl"),
    "ar": ("ara", "Arab"),
    "fa": ("fas", "Arab"),
    "en": ("eng", "Latn"),
}
ALIASES = {
    "kk": "kk-Cyrl", "kaz": "kk-Cyrl", "kk-cyrl": "kk-Cyrl", "kk-latn": "kk-Latn", "kk-arab": "kk-Arab",
    "tote": "kk-Arab", "töte": "kk-Arab", "rus": "ru", "ru-cyrl": "ru", "ara": "ar", "ar-arab": "ar",
    "fas": "fa", "per": "fa", "fa-arab": "fa", "eng": "en", "en-latn": "en",
}
# Script model used for the probe, by OSD script name.
SCRIPT_MODELS = {"Latin": "Latin", "Cyrillic": "Cyrillic", "Arabic": "Arabic"}
SCRIPT_LANGS = {"Latin": ("en", "kk-Latn"), "Cyrillic": ("ru", "kk-Cyrl"), "Arabic": ("ar", "fa", "kk-Arab")}


class UnknownLanguage(ValueError):
    pass


def canonical(code: str) -> str:
    """The supported BCP 47 tag for a user-given code (`kk`, `kaz`, `kk-latn`, `fas` ...)."""
    c = code.strip()
    if c in MODELS:
        return c
    low = c.lower()
    if low in ALIASES:
        return ALIASES[low]
    for tag in MODELS:
        if tag.lower() == low:
            return tag
    raise UnknownLanguage(f"unsupported OCR language {code!r}; use auto or one of {', '.join(MODELS)}")


def parse_langs(spec: str) -> list[str]:
    """`kk-Cyrl+ru` -> ['kk-Cyrl', 'ru'] (mixed pages: Tesseract chooses per word)."""
    tags = [canonical(p) for p in re.split(r"[+,\s]+", spec) if p]
    if not tags:
        raise UnknownLanguage("empty OCR language")
    return list(dict.fromkeys(tags))


def model_for(tags: list[str]) -> str:
    """Tesseract model string for one or more languages, e.g. `kaz+eng`."""
    return "+".join(dict.fromkeys(MODELS[t][0] for t in tags))


def script_of(tag: str) -> str:
    return MODELS[tag][1]


def is_rtl(tag: str) -> bool:
    return script_of(tag) == "Arab"


KK_CYRL_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
FA_LETTERS = set("پچژگکی")          # ک U+06A9, ی U+06CC
AR_LETTERS = set("ةكيىأإؤئ")          # Arabic kaf/yeh, teh marbuta, hamza carriers
TOTE_LETTERS = set("ەۇۋڭۆٴٵٶٷٸھ")
KK_LATN_LETTERS = set("äğıñöşūüqÄĞİÑÖŞŪÜQ" "áǵńóúÁǴŃÓÚ")  # 2017/2018 and 2021 alphabets
EN_WORDS = {"the", "and", "of", "to", "in", "is", "for", "with", "that", "are", "from", "was"}
AR_WORDS = {"في", "من", "على", "إلى", "التي", "الذي", "عن", "مع"}
FA_WORDS = {"و", "در", "به", "از", "که", "را", "این", "است", "با", "می", "های"}


@dataclass
class Guess:
    tag: str
    score: float
    letters: int


def script_counts(text: str) -> Counter:
    """Letters per ISO 15924 script (Latn, Cyrl, Arab) in `text`."""
    counts: Counter = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            counts["Latn"] += 1
        elif name.startswith("CYRILLIC"):
            counts["Cyrl"] += 1
        elif name.startswith("ARABIC"):
            counts["Arab"] += 1
    return counts


def guess_language(text: str, script: str | None = None) -> Guess:
    """The most likely of the seven languages for a text in one script (Latn, Cyrl or Arab).

    Scores are the share of letters (or words) only that language uses; thresholds were set on
    OCR output of the synthetic pages, where stray misreads give at most ~1 %.
    """
    text = unicodedata.normalize("NFC", text)
    counts = script_counts(text)
    if script is None:
        if not counts:
            return Guess("en", 0.0, 0)
        script = counts.most_common(1)[0][0]
    letters = [ch for ch in text if ch.isalpha()]
    n = max(len(letters), 1)
    words = re.findall(r"\w+", text.lower())
    nw = max(len(words), 1)
    if script == "Cyrl":
        share = sum(ch in KK_CYRL_LETTERS for ch in letters) / n
        return Guess("kk-Cyrl" if share >= 0.02 else "ru", share, len(letters))
    if script == "Latn":
        share = sum(ch in KK_LATN_LETTERS for ch in letters) / n
        en = sum(w in EN_WORDS for w in words) / nw
        return Guess("kk-Latn" if share >= 0.02 and en < 0.1 else "en", share, len(letters))
    # Arabic script: töte's own letters are decisive; then Persian letters/words vs Arabic ones.
    tote = sum(ch in TOTE_LETTERS for ch in letters) / n
    if tote >= 0.03:
        return Guess("kk-Arab", tote, len(letters))
    fa = sum(ch in FA_LETTERS for ch in letters) / n + sum(w in FA_WORDS for w in words) / nw
    ar = sum(ch in AR_LETTERS for ch in letters) / n + sum(w in AR_WORDS or w.startswith("ال") for w in words) / nw
    return Guess("fa" if fa > ar else "ar", max(fa, ar), len(letters))
