"""A description as simple Dublin Core (oai_dc), every language of a value as its own element with
xml:lang — the record OAI-PMH serves as oai_dc and `qoima export dc` writes."""

from __future__ import annotations

from lxml import etree

from qoima.catalogue.exporting import load
from qoima.catalogue.models import Description

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
# dc element <- ISAD(G) elements (values in every language)
TEXT_MAP = [
    ("title", ["title", "alternative_title"]),
    ("description", ["scope_and_content", "admin_bio_history", "arrangement", "note"]),
    ("format", ["extent_and_medium", "physical_characteristics"]),
    ("rights", ["access_conditions", "reproduction_conditions"]),
    ("relation", ["related_units", "location_of_originals", "location_of_copies", "publication_note"]),
    ("source", ["acquisition", "archival_history"]),
]


def element(d: Description | str, user=None, base_url: str = "") -> etree._Element:
    """The oai_dc:dc element for one description (raises NotVisible / DoesNotExist)."""
    d = load(d, user)
    root = etree.Element(f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
                         nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})

    def add(name: str, value: str, lang: str = "") -> None:
        if not value:
            return
        e = etree.SubElement(root, f"{{{DC}}}{name}")
        e.text = value
        if lang and lang != "zxx":
            e.set(XML_LANG, lang)

    texts = sorted(d.texts.all(), key=lambda v: (v.position, not v.is_original, v.lang))
    for dc_name, elements in TEXT_MAP:
        for el in elements:
            for v in texts:
                if v.element == el:
                    add(dc_name, v.value, v.lang)
        if dc_name == "title" and not any(v.element == "title" for v in texts):
            add("title", d.title or d.ref)
    for link in d.agents.all():
        auth = link.authority
        names = [n for n in auth.names.all() if n.form == "authorized"] or []
        target = "creator" if link.role == "creator" else ("subject" if link.role == "subject" else "contributor")
        if names:
            for n in names:
                add(target, n.value, n.lang)
        else:
            add(target, auth.name)
    for term in d.terms.all():
        target = {"place": "coverage", "genre": "type"}.get(term.taxonomy, "subject")
        labels = list(term.labels.all())
        if labels:
            for lab in labels:
                add(target, lab.value, lab.lang)
        else:
            add(target, term.label)
    for x in d.dates.all():
        if x.expression:
            add("date", x.expression, x.lang)
        if x.start and x.end:
            add("date", x.start.isoformat() if x.start == x.end else f"{x.start.isoformat()}/{x.end.isoformat()}")
    add("type", d.level)
    add("identifier", d.ref)
    if base_url:
        add("identifier", base_url.rstrip("/") + d.get_absolute_url())
    for v in texts:
        if v.element == "digital_object_uri":
            add("identifier", v.value)
    for lang in d.languages or []:
        add("language", lang)
    if d.repository is not None:
        for v in sorted(d.repository.texts.filter(element="authorized_name"), key=lambda v: not v.is_original):
            add("publisher", v.value, v.lang)
        if not d.repository.texts.filter(element="authorized_name").exists():
            add("publisher", d.repository.name)
    return root


def to_bytes(d: Description | str, user=None, base_url: str = "") -> bytes:
    return etree.tostring(element(d, user, base_url), xml_declaration=True, encoding="utf-8", pretty_print=True)
