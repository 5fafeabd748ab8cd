"""BCP 47 language tags, ISO 15924 scripts and writing direction for stored values.

Kazakh is written in three scripts, so the language alone never tells the script: a value's script
is taken from its tag, else detected from its characters, else the language's usual script.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# The usual script of languages the partners write; anything else is detected from the text.
DEFAULT_SCRIPT = {
    "kk": "Cyrl", "ru": "Cyrl", "uk": "Cyrl", "be": "Cyrl", "ky": "Cyrl", "tt": "Cyrl", "uz": "Latn",
    "ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab", "ug": "Arab",
    "en": "Latn", "fr": "Latn", "de": "Latn", "es": "Latn", "tr": "Latn", "it": "Latn", "pt": "Latn",
    "he": "Hebr", "zh": "Hans", "ja": "Jpan", "el": "Grek",
}
RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"}
_UNICODE_SCRIPT = (
    ("CYRILLIC", "Cyrl"), ("ARABIC", "Arab"), ("LATIN", "Latn"), ("HEBREW", "Hebr"), ("GREEK", "Grek"),
    ("CJK", "Hani"), ("HIRAGANA", "Jpan"), ("KATAKANA", "Jpan"), ("SYRIAC", "Syrc"), ("THAANA", "Thaa"),
    ("ARMENIAN", "Armn"), ("GEORGIAN", "Geor"), ("DEVANAGARI", "Deva"), ("COPTIC", "Copt"), ("MONGOLIAN", "Mong"),
)
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SCRIPT_SUBTAG = re.compile(r"^[A-Za-z]{4}$")


class LanguageTagError(ValueError):
    pass


def normalize_tag(tag: str) -> str:
    """Canonical case for a BCP 47 tag ('KK_latn' -> 'kk-Latn'); AtoM writes cultures with '_'."""
    tag = (tag or "").strip().replace("_", "-")
    if not tag or not _TAG.match(tag):
        raise LanguageTagError(f"not a BCP 47 language tag: {tag!r}")
    parts = tag.split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        if _SCRIPT_SUBTAG.match(p):
            out.append(p.title())
        elif len(p) == 2 and p.isalpha():
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def primary(tag: str) -> str:
    return (tag or "").split("-")[0].lower()


def tag_script(tag: str) -> str:
    """The script subtag of a tag, if it carries one."""
    for p in (tag or "").split("-")[1:]:
        if _SCRIPT_SUBTAG.match(p):
            return p.title()
    return ""


def detect_script(text: str) -> str:
    """ISO 15924 code of the script most letters of `text` are written in ('' when none)."""
    counts: Counter[str] = Counter()
    for ch in text[:2000]:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _UNICODE_SCRIPT:
            if name.startswith(prefix):
                counts[code] += 1
                break
    return counts.most_common(1)[0][0] if counts else ""


def resolve(lang: str, text: str = "", script: str = "") -> tuple[str, str]:
    """Return (tag, script) for a value: the tag gains a script subtag when the script is not the
    language's usual one (kk + Latin letters -> kk-Latn), so a value's tag alone is unambiguous."""
    tag = normalize_tag(lang)
    script = (script or "").strip().title() or tag_script(tag) or detect_script(text) or DEFAULT_SCRIPT.get(primary(tag), "")
    if script and not tag_script(tag) and DEFAULT_SCRIPT.get(primary(tag)) not in (None, script):
        tag = f"{primary(tag)}-{script}" + tag[len(primary(tag)):]
    return tag, script


def is_rtl(script: str) -> bool:
    return script in RTL_SCRIPTS


def direction(script: str) -> str:
    """Value for an HTML `dir` attribute."""
    return "rtl" if is_rtl(script) else "ltr"


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")
