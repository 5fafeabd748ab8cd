"""Parsing untrusted XML (EAD from partners, harvested records) without the classic XML attacks.

External entities (XXE: `<!ENTITY x SYSTEM "file:///etc/passwd">`), entity expansion bombs
("billion laughs") and network fetches are refused before libxml2 sees the document: any DOCTYPE
with an internal subset declaring entities is rejected outright. A DOCTYPE that only names an
external DTD (EAD 2002 files do) is accepted, but the DTD is never loaded.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[(?P<subset>.*?)\])?\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


class UnsafeXMLError(ValueError):
    """The document is hostile or malformed; the message says why and where."""


def max_bytes() -> int:
    """Largest XML document accepted (env QOIMA_MAX_XML_BYTES)."""
    try:
        return int(os.environ.get("QOIMA_MAX_XML_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _as_utf8_head(data: bytes) -> bytes:
    """The prolog in a form the DOCTYPE check can read, whatever the encoding (UTF-16 included)."""
    head = data[:65536]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore").encode("utf-8")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="ignore").encode("utf-8")
    return head


def check_prolog(data: bytes, name: str = "document") -> None:
    """Refuse entity declarations anywhere in the DOCTYPE (XXE, entity bombs)."""
    head = _as_utf8_head(data)
    root_at = re.search(rb"<[A-Za-z_]", head)
    prolog = head[: root_at.start()] if root_at else head
    if _ENTITY_DECL.search(prolog) or (b"<!DOCTYPE" in prolog.upper() and _ENTITY_DECL.search(data[:1048576])):
        raise UnsafeXMLError(
            f"{name}: refused: the DOCTYPE declares entities (<!ENTITY ...>); external or nested entities "
            "can read local files (XXE) or explode in memory (billion laughs). Remove the internal DTD subset.")
    m = _DOCTYPE.search(prolog)
    if m and m.group("subset") and m.group("subset").strip():
        raise UnsafeXMLError(f"{name}: refused: the DOCTYPE has an internal subset; remove it (DTDs are never loaded)")


def parse_bytes(data: bytes, name: str = "document") -> etree._ElementTree:
    """Parse a document held in memory; raises UnsafeXMLError with the line of a syntax error."""
    if len(data) > max_bytes():
        raise UnsafeXMLError(f"{name}: refused: {len(data):,} bytes is over the limit of {max_bytes():,} "
                             "(set QOIMA_MAX_XML_BYTES to raise it)")
    check_prolog(data, name)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as e:
        line = getattr(e, "lineno", None) or (e.position[0] if getattr(e, "position", None) else "?")
        msg = str(e.msg if hasattr(e, "msg") else e)
        if any(w in msg.lower() for w in ("entity reference loop", "amplification", "entities exceeded")):
            raise UnsafeXMLError(f"{name}, line {line}: refused: entity expansion ({msg})") from None
        raise UnsafeXMLError(f"{name}, line {line}: not well-formed XML: {msg}") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise UnsafeXMLError(f"{name}: refused: the DOCTYPE declares entities")
    return tree


def parse_file(path: str | Path) -> etree._ElementTree:
    """Parse a file from disk under the size limit, without touching DTDs, entities or the network."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise UnsafeXMLError(f"{path.name}: refused: {size:,} bytes is over the limit of {max_bytes():,} "
                             "(set QOIMA_MAX_XML_BYTES to raise it)")
    return parse_bytes(path.read_bytes(), path.name)
