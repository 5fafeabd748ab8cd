"""Turn text into index keys, and a query word into the keys it may match.

Each word gives four kinds of key, indexed in separate columns so ranking can prefer the closer
kinds: `ex` the folded original word, `st` stems (Snowball ru/en/ar/fa, Kazakh suffix stripping on
romanized keys), `tr` romanization keys, `sk` consonant skeletons. A document word is analyzed in
the language its field is tagged with; a query word in every language its script may be written in
(Cyrillic: Russian and Kazakh; Latin: English and Kazakh; Arabic: Arabic, Persian and töte).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

from qoima.search import kazakh, romanize
from qoima.search.normalize import fold, script_of, words

KINDS = ("ex", "st", "tr", "sk")

_STEMMERS = {lang: Stemmer.Stemmer(name) for lang, name in
             (("ru", "russian"), ("en", "english"), ("ar", "arabic"), ("fa", "persian"))}

STOPWORDS = set("""
a an and are as at be by for from in into is it of on or the to with was were this that these those
и в во на не с со по о об от до за из к ко у же для а но или как что это то его ее их при без над под
және мен пен бен да де та те ол бұл сол мен үшін туралы бойынша жылы жж ж
و في من على إلى الى عن مع أو او ثم هذا هذه ذلك التي الذي ان أن إن كان
از در به با که را این آن برای تا یا هم بر است بود شد
""".split())
_AR_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و|ف|ب)(?=...)")
_AR_SUFFIX = re.compile(r"(?:ها|ات|ون|ين|ان|ية|يه|ه|ي)$")


def arabic_stems(w: str) -> set[str]:
    """Snowball's Arabic stemmer is not stable under prefixes (مكتبات/المكتبات), so keep a light
    stem too: article and conjunction off, one plural/feminine ending off."""
    out = {fold(_STEMMERS["ar"].stemWord(w))}
    bare = _AR_PREFIX.sub("", w)
    if bare != w:
        out.add(fold(_STEMMERS["ar"].stemWord(bare)))
    light = _AR_SUFFIX.sub("", bare) if len(bare) > 4 else bare
    out.add(light)
    return out


@dataclass
class WordKeys:
    ex: str
    st: list[str] = field(default_factory=list)
    tr: list[str] = field(default_factory=list)
    sk: list[str] = field(default_factory=list)


def _langs_for(script: str, lang: str, folded: str, raw: str) -> tuple[str, ...]:
    """Languages a document word is analyzed in, from its field's tag and its own script."""
    if script == "Cyrl":
        if lang == "ru":
            return ("ru",)
        if lang == "kk" or any(c in folded for c in "әғқңөұүһі"):
            return ("kk",)
        return ("ru", "kk")
    if script == "Latn":
        if lang == "en":
            return ("en",)
        if lang == "kk" or any(c in folded for c in "äğıñöşūü"):
            return ("kk",)
        return ("en", "kk")
    if script == "Arab":
        if kazakh.looks_tote(raw) or lang == "kk":
            return ("kk",)
        if lang in ("ar", "fa"):
            return (lang,)
        return ("ar", "fa")
    return ()


@lru_cache(maxsize=400_000)
def word_keys(word: str, langs: tuple[str, ...] | None = None, lang: str = "") -> WordKeys | None:
    """Keys of one word. `langs` None: a document word in field language `lang`; a tuple: the
    languages to try (queries pass every language of the script)."""
    ex = fold(word)
    if not ex or ex in STOPWORDS:
        return None
    script = script_of(ex)
    query = langs is not None
    if langs is None:
        langs = _langs_for(script, lang, ex, word)
    keys = WordKeys(ex)
    if not script:  # numbers: exact only
        return keys
    st: list[str] = []
    tote = "kk" in langs or script != "Arab"
    if script != "Arab" or tote:
        keys.tr = romanize.tr_keys(word, script)
    for lg in langs:
        if lg == "kk":
            # stems only: a stem equal to another word's whole key is found in that word's tr keys
            for k in keys.tr[:1]:
                if query:  # the whole query word may be a document word's stem
                    st.append(k)
                st.extend(kazakh.stems(k))
        elif lg == "ar":
            st.extend(arabic_stems(ex))
        elif lg == "fa":
            st.append(fold(_STEMMERS["fa"].stemWord(word.replace("\u200c", ""))))
        elif lg == "ru":
            ru = ex if script == "Cyrl" else romanize.latin_to_russian(ex)
            stem = _STEMMERS["ru"].stemWord(ru)
            if script == "Cyrl":
                st.append(stem)
            # romanized Russian stem: Казахстана, Kazakhstan and Qazaqstan meet (е/э alike)
            st.append(romanize.cyr_key(stem.replace("э", "е")))
        elif lg in _STEMMERS:
            st.append(_STEMMERS[lg].stemWord(ex))
    if "\u200c" in word and script == "Arab":  # Persian کتابخانه‌ها: the part before ZWNJ is a stem
        head = fold(word.split("\u200c")[0])
        if len(head) >= 2:
            st.append(head)
    keys.st = [s for i, s in enumerate(st) if s and s not in st[:i]]
    keys.sk = romanize.skeletons(word, script, keys.tr if script != "Arab" else keys.tr, tote=tote)
    return keys


QUERY_LANGS = {"Cyrl": ("ru", "kk"), "Latn": ("en", "kk", "ru"), "Arab": ("ar", "fa", "kk")}


def query_word_keys(word: str) -> WordKeys | None:
    """Keys a query word may match: every language its script is written in."""
    script = script_of(fold(word))
    langs = QUERY_LANGS.get(script, ())
    if script == "Arab" and kazakh.looks_tote(word):
        langs = ("kk",)
    return word_keys(word, langs)


@lru_cache(maxsize=400_000)
def _doc_word(word: str, lang: str) -> tuple[tuple[str, ...], ...] | None:
    k = word_keys(word, None, lang)
    if k is None:
        return None
    return ((k.ex,), tuple(k.st), tuple(k.tr), tuple(k.sk))


class Analyzed:
    """Keys of a text, per column kind, each key once (first occurrence order)."""

    def __init__(self) -> None:
        self._cols: tuple[list[str], ...] = ([], [], [], [])

    def add(self, text: str, lang: str = "") -> None:
        primary = (lang or "").split("-")[0].lower()
        ex, st, tr, sk = self._cols
        for _, _, w in words(text):
            k = _doc_word(w, primary)
            if k is not None:
                ex += k[0]
                st += k[1]
                tr += k[2]
                sk += k[3]

    @property
    def ex(self) -> list[str]:
        return list(dict.fromkeys(self._cols[0]))

    @property
    def st(self) -> list[str]:
        return list(dict.fromkeys(self._cols[1]))

    @property
    def tr(self) -> list[str]:
        return list(dict.fromkeys(self._cols[2]))

    @property
    def sk(self) -> list[str]:
        return list(dict.fromkeys(self._cols[3]))

    def columns(self) -> dict[str, str]:
        return {kind: " ".join(dict.fromkeys(col)) for kind, col in zip(KINDS, self._cols, strict=True)}


def analyze(parts: list[tuple[str, str]]) -> Analyzed:
    """Keys of (text, lang) pairs."""
    a = Analyzed()
    for text, lang in parts:
        if text:
            a.add(text, lang)
    return a
