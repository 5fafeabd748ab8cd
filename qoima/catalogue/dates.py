"""Dates as archivists write them ("1920-е гг.", "circa 1934", "١٣٤٥") normalized to ISO 8601 ranges.

The expression is always kept; the normalized start/end only serve filtering and sorting, so when
an expression cannot be read they stay empty rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MONTHS = {
    # en
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # ru (stems cover the genitive forms)
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12,
    # kk (Cyrillic and 2021 Latin)
    "қаң": 1, "ақп": 2, "нау": 3, "сәу": 4, "мам": 5, "мау": 6, "шіл": 7, "там": 8, "қыр": 9, "қаз": 10,
    "қар": 11, "жел": 12,
    "qań": 1, "aqp": 2, "nau": 3, "sáu": 4, "mam": 5, "mau": 6, "şil": 7, "tam": 8, "qyr": 9, "qaz": 10,
    "qar": 11, "jel": 12,
}
_DECADE = re.compile(r"\b(\d{3})0\s*(?:-?е|-?ые|s|'s|-?жылдар|-?jyldar)", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_YMD_TEXT = re.compile(r"(\d{1,2})?\s*([^\W\d_]{3,})\.?\s+(\d{4})", re.UNICODE)
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_MONTH_FIRST = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})", re.UNICODE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _end_of(year: int, month: int | None = None) -> date:
    if month is None:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(y: int, m: int | None, d: int | None, end: bool) -> date | None:
    try:
        if m and d:
            return date(y, m, d)
        if m:
            return _end_of(y, m) if end else date(y, m, 1)
        return _end_of(y) if end else date(y, 1, 1)
    except ValueError:
        return None


def _month(word: str) -> int | None:
    w = word.lower()
    for key in (w[:3], w[:4]):
        if key in _MONTHS:
            return _MONTHS[key]
    return None


def _points(text: str, end: bool) -> list[date]:
    """Every date-like point in `text`, in order of appearance."""
    found: list[tuple[int, date]] = []
    taken: list[range] = []

    def add(m: re.Match, d: date | None) -> None:
        if d and not any(m.start() in r for r in taken):
            found.append((m.start(), d))
            taken.append(range(m.start(), m.end()))

    for m in _DMY.finditer(text):
        add(m, _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)), end))
    for m in _MONTH_FIRST.finditer(text):
        mon = _month(m.group(1))
        if mon:
            add(m, _safe(int(m.group(3)), mon, int(m.group(2)), end))
    for m in _YMD_TEXT.finditer(text):
        mon = _month(m.group(2))
        if mon:
            add(m, _safe(int(m.group(3)), mon, int(m.group(1)) if m.group(1) else None, end))
    for m in _ISO.finditer(text):
        mon = int(m.group(2)) if m.group(2) and int(m.group(2)) else None
        day = int(m.group(3)) if m.group(3) and int(m.group(3)) else None
        add(m, _safe(int(m.group(1)), mon, day if mon else None, end))
    found.sort()
    return [d for _, d in found]


def normalize(expression: str) -> tuple[date | None, date | None]:
    """(start, end) of the period an expression names, or (None, None) if it names none."""
    text = (expression or "").translate(_DIGITS).strip()
    if not text:
        return None, None
    decade = _DECADE.search(text)
    if decade:
        first = int(decade.group(1)) * 10
        return date(first, 1, 1), date(first + 9, 12, 31)
    starts = _points(text, end=False)
    ends = _points(text, end=True)
    if not starts:
        return None, None
    start, finish = min(starts), max(ends)
    if finish < start:
        return None, None
    return start, finish


def parse_iso(value: str, end: bool = False) -> date | None:
    """Read an AtoM/EAD normalized date ('2016-00-00', '1934', '1934-05-12')."""
    m = _ISO.fullmatch((value or "").translate(_DIGITS).strip())
    if not m:
        return None
    mon = int(m.group(2)) if m.group(2) and int(m.group(2)) else None
    day = int(m.group(3)) if m.group(3) and int(m.group(3)) else None
    return _safe(int(m.group(1)), mon, day if mon else None, end)
