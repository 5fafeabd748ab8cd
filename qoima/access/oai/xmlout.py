"""Small, fast XML text helpers for streamed OAI-PMH responses (no tree is built per record)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Characters XML 1.0 forbids even escaped: C0 controls except tab/LF/CR, surrogates, U+FFFE/FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: object) -> str:
    s = _ILLEGAL.sub("", str(value))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    return text(value).replace('"', "&quot;")


def utc(dt: datetime) -> str:
    """OAI-PMH datestamp at seconds granularity (YYYY-MM-DDThh:mm:ssZ)."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def element(name: str, value: object, lang: str = "") -> str:
    la = f' xml:lang="{attr(lang)}"' if lang and lang != "none" else ""
    return f"<{name}{la}>{text(value)}</{name}>"
