"""Language and script codes between the forms archival standards use and Qoima's BCP 47 tags.

EAD and MARC write ISO 639-2/B ("kaz", "per", "fre") and ISO 15924 ("Cyrl"); AtoM writes ISO 639-1
("kk") and cultures with underscores ("kk_Latn"); Qoima stores BCP 47 ("kk-Latn").
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from qoima.catalogue import languages

# Three-letter script abbreviations seen in real finding aids (not ISO 15924, but common).
_SCRIPT_ALIASES = {"lat": "Latn", "cyr": "Cyrl", "ara": "Arab", "arb": "Arab", "gre": "Grek", "heb": "Hebr"}


@lru_cache(maxsize=512)
def to_bcp47(code: str) -> str:
    """An ISO 639-1/-2/-3 code or BCP 47 tag as a canonical BCP 47 tag ('kaz' -> 'kk', 'per' -> 'fa');
    raises languages.LanguageTagError when it is not a language code at all."""
    code = (code or "").strip().replace("_", "-")
    head, _, rest = code.partition("-")
    head = head.lower()
    if len(head) == 3:
        lang = pycountry.languages.get(alpha_3=head) or pycountry.languages.get(bibliographic=head)
        if lang is not None and getattr(lang, "alpha_2", None):
            head = lang.alpha_2
    tag = languages.normalize_tag(head + ("-" + rest if rest else ""))
    script = languages.tag_script(tag)
    if script and languages.DEFAULT_SCRIPT.get(languages.primary(tag)) == script:
        # the language's usual script is implied (BCP 47 Suppress-Script): kk-Cyrl is stored as kk
        tag = "-".join(p for p in tag.split("-") if p != script)
    if len(tag) > 35:
        raise languages.LanguageTagError(f"language tag longer than 35 characters: {tag[:40]!r}…")
    return tag


@lru_cache(maxsize=512)
def to_iso639_2(tag: str) -> str:
    """The ISO 639-2/B code EAD asks for ('fa' -> 'per', 'kk-Latn' -> 'kaz'); unknown tags keep their language."""
    head = languages.primary(tag)
    lang = pycountry.languages.get(alpha_2=head) if len(head) == 2 else pycountry.languages.get(alpha_3=head)
    if lang is None:
        return head
    return getattr(lang, "bibliographic", None) or lang.alpha_3


def script_code(code: str) -> str:
    """An ISO 15924 code in canonical case ('cyr' and 'CYRL' -> 'Cyrl'); '' when unrecognised."""
    code = (code or "").strip()
    if code.lower() in _SCRIPT_ALIASES:
        return _SCRIPT_ALIASES[code.lower()]
    if len(code) == 4 and code.isalpha():
        return code.title()
    return ""


def language_name(tag: str) -> str:
    """English name of a tag's language, for EAD element content ('kk' -> 'Kazakh')."""
    head = languages.primary(tag)
    lang = pycountry.languages.get(alpha_2=head) if len(head) == 2 else pycountry.languages.get(alpha_3=head)
    return lang.name if lang is not None else tag


def script_name(code: str) -> str:
    s = pycountry.scripts.get(alpha_4=code) if code else None
    return s.name if s is not None else code


def split_tag(tag: str) -> tuple[str, str]:
    """(ISO 639-2/B language, ISO 15924 script) for EAD @lang/@script ('kk-Latn' -> ('kaz', 'Latn'))."""
    script = languages.tag_script(tag) or languages.DEFAULT_SCRIPT.get(languages.primary(tag), "")
    return to_iso639_2(tag), script


def join_tag(lang: str, script: str = "", text: str = "") -> str:
    """A BCP 47 tag from EAD @lang/@script (and the text, for Kazakh in Latin letters)."""
    tag, _ = languages.resolve(to_bcp47(lang), text, script_code(script))
    return tag
