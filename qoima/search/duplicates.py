"""Likely duplicate authority records: one person or body entered twice, often in two scripts.

Name forms are compared on their romanization keys (fuzzy, rapidfuzz) and, for Arabic-script forms
that write no short vowels, on consonant skeletons. Candidates come from blocks sharing a
skeleton of a name word, so the work stays near linear in the number of authorities.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from qoima.catalogue.models import Authority
from qoima.search.normalize import fold, script_of, words
from qoima.search.romanize import ARTICLES, arabic_skeletons, skeleton_of_key, tr_keys

MAX_BLOCK = 300


@dataclass
class NameKey:
    value: str
    script: str
    tr: str
    sk: str
    sk_words: frozenset[str]


@dataclass
class Duplicate:
    a: int
    a_name: str
    b: int
    b_name: str
    score: float
    cross_script: bool
    reason: str

    def as_dict(self) -> dict:
        return {"a": {"id": self.a, "name": self.a_name}, "b": {"id": self.b, "name": self.b_name},
                "score": round(self.score, 1), "cross_script": self.cross_script, "reason": self.reason}


def _word_skeleton(word: str, script: str) -> str:
    if script == "Arab":
        return arabic_skeletons(word)[-1]
    keys = tr_keys(word, script)
    return skeleton_of_key(keys[0]) if keys else ""


def name_key(value: str) -> NameKey:
    trs, sks = [], []
    scripts = set()
    for _, _, w in words(value):
        f = fold(w)
        if not f or f in ARTICLES:
            continue
        sc = script_of(f)
        scripts.add(sc)
        t = tr_keys(w, sc)
        if sc != "Arab" and t:
            trs.append(t[0])
        sk = _word_skeleton(w, sc)
        if sk:
            sks.append(sk)
    script = "Arab" if "Arab" in scripts else ("Cyrl" if "Cyrl" in scripts else ("Latn" if scripts else ""))
    return NameKey(value, script, " ".join(trs), "".join(sks), frozenset(s for s in sks if len(s) >= 3))


def _score(x: NameKey, y: NameKey) -> tuple[float, str]:
    """Similarity 0-100 of two name forms, and what it rests on."""
    best, why = 0.0, ""
    if x.tr and y.tr:
        s = fuzz.token_sort_ratio(x.tr, y.tr)
        if s > best:
            best, why = s, "romanized names"
    if x.sk and y.sk and min(len(x.sk), len(y.sk)) >= 4:
        # skeletons joined without spaces: "Alikhan" and "علي خان" are split differently
        s = fuzz.ratio(x.sk, y.sk) * (0.95 if "Arab" in (x.script, y.script) else 0.85)
        if s > best:
            best, why = s, "consonant skeletons"
    return best, why


def find_duplicates(threshold: float = 85.0, authorities=None) -> list[Duplicate]:
    """Pairs of authorities whose name forms are likely the same name, best first."""
    qs = authorities if authorities is not None else Authority.objects.prefetch_related("names")
    keys: dict[int, list[NameKey]] = {}
    meta: dict[int, Authority] = {}
    blocks: dict[str, set[int]] = {}
    for a in qs:
        forms = {a.name, *(n.value for n in a.names.all())}
        nks = [name_key(v) for v in forms if v]
        keys[a.pk], meta[a.pk] = nks, a
        for nk in nks:
            for sk in nk.sk_words:
                if len(sk) >= 3:
                    blocks.setdefault(sk, set()).add(a.pk)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update(combinations(sorted(members), 2))
    out = []
    for i, j in pairs:
        ai, aj = meta[i], meta[j]
        if ai.kind != aj.kind:
            continue
        if ai.date_start and aj.date_start and abs(ai.date_start.year - aj.date_start.year) > 2:
            continue
        best, why, cross = 0.0, "", False
        for x in keys[i]:
            for y in keys[j]:
                s, w = _score(x, y)
                if s > best:
                    best, why, cross = s, w, x.script != y.script
        if best >= threshold:
            out.append(Duplicate(i, ai.name, j, aj.name, best, cross, why))
    out.sort(key=lambda d: (-d.score, d.a, d.b))
    return out
