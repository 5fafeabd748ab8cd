"""File names as archives receive them: keep them, store NFC, order pages naturally."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def natural_key(name: str) -> tuple:
    """'page2' before 'page10'; digits of any script (Arabic-Indic too) count as numbers."""
    parts = _DIGITS.split(nfc(name).casefold())
    return tuple((0, int(p), p) if i % 2 else (1, 0, p) for i, p in enumerate(parts))


def fold(name: str) -> str:
    """The key under which a case-insensitive, normalizing file system would confuse two names."""
    return nfc(name).casefold()
