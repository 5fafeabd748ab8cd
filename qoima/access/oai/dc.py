"""Simple Dublin Core (oai_dc) from a catalogue description, every language version tagged xml:lang.

Mapping (ISAD(G) -> DC, after the AtoM / EAD crosswalks): title -> title, reference code and record
URL -> identifier, creators -> creator, subject terms -> subject, places -> coverage, scope and
content -> description, dates -> date, level and genres -> type, extent -> format, languages of the
material -> language, repository -> publisher, reproduction/access conditions -> rights,
parent -> relation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qoima.access.oai.xmlout import element
from qoima.catalogue.models import Description

NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OPEN = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ '
    'http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
)


@dataclass
class Related:
    """What a record needs beyond its own row and texts, loaded for a whole page at once."""

    url: str = ""
    parent_ref: str | None = None
    publisher: str = ""
    creators: list[tuple[str, str]] = field(default_factory=list)  # (name, lang)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (taxonomy, label)
    dates: list[tuple] = field(default_factory=list)  # (expression, lang, start, end)


def _texts(d: Description, el: str, dc: str) -> list[str]:
    return [element(dc, v.value, v.lang) for v in sorted(d.text_values(el), key=lambda v: (v.position, not v.is_original))]


def record(d: Description, rel: Related) -> str:
    """The <oai_dc:dc> element of one description as a string."""
    out = [OPEN]
    out += _texts(d, "title", "dc:title") or [element("dc:title", d.title or d.ref)]
    out += [element("dc:creator", name, lang) for name, lang in rel.creators]
    for taxonomy, label in rel.terms:
        if taxonomy == "subject":
            out.append(element("dc:subject", label))
        elif taxonomy == "place":
            out.append(element("dc:coverage", label))
    out += _texts(d, "scope_and_content", "dc:description")
    if rel.publisher:
        out.append(element("dc:publisher", rel.publisher))
    for expression, lang, start, end in rel.dates:
        if start or end:
            iso = start.isoformat() if start == end or not end else \
                "/".join(p.isoformat() if p else ".." for p in (start, end))
            out.append(element("dc:date", iso))
        elif expression:
            out.append(element("dc:date", expression, lang))
    out.append(element("dc:type", d.level))
    out += [element("dc:type", label) for taxonomy, label in rel.terms if taxonomy == "genre"]
    out += _texts(d, "extent_and_medium", "dc:format")
    out.append(element("dc:identifier", d.ref))
    if rel.url:
        out.append(element("dc:identifier", rel.url))
    if rel.parent_ref:
        out.append(element("dc:relation", rel.parent_ref))
    out += [element("dc:language", lang) for lang in d.languages or []]
    out += _texts(d, "reproduction_conditions", "dc:rights")
    out += _texts(d, "access_conditions", "dc:rights")
    out.append("</oai_dc:dc>")
    return "".join(out)
