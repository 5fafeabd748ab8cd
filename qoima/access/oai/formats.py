"""Metadata formats the provider disseminates: oai_dc always, oai_ead (EAD3) when the catalogue's
EAD3 writer is installed (`qoima.catalogue.ead_export`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qoima.access.oai import dc


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    write: Callable  # (description, dc.Related) -> XML string


def _ead_writer() -> Callable | None:
    """One EAD3 <ead> per record (the description without its subtree), as the public sees it."""
    try:
        from qoima.catalogue import ead_export
    except ImportError:
        return None
    from django.contrib.auth.models import AnonymousUser
    from lxml import etree

    def write(d, rel) -> str:
        root = ead_export.to_element(d.ref, AnonymousUser(), children=False)
        return etree.tostring(root, encoding="unicode")

    return write


def available() -> list[Format]:
    out = [Format("oai_dc", dc.SCHEMA, dc.NS, dc.record)]
    if (ead := _ead_writer()) is not None:
        out.append(Format("oai_ead", "http://www.loc.gov/ead/ead3.xsd", "http://ead3.archivists.org/schema/", ead))
    return out


def get(prefix: str) -> Format:
    from qoima.access.oai.provider import OAIError

    for f in available():
        if f.prefix == prefix:
            return f
    raise OAIError("cannotDisseminateFormat", f"metadataPrefix {prefix!r} is not supported "
                   f"(use {', '.join(f.prefix for f in available())})")
