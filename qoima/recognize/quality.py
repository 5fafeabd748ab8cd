"""Character error rate of recognised text against ground truth."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

# Invisible joining controls and bidi marks: not characters a reader sees.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u061c\ufeff"), None)


def normalize(text: str) -> str:
    """NFKC (folds Arabic presentation forms), no invisible controls, single spaces, no blank lines."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    lines = (re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines())
    return "\n".join(ln for ln in lines if ln)


def cer(reference: str, hypothesis: str) -> float:
    """Levenshtein distance / reference length, after `normalize` (line breaks count as characters)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)
