"""A description and its subtree as an EAD3 finding aid (valid against the official schema).

Every language of every element is written: a value becomes one element with @lang (ISO 639-2/B)
and @script (ISO 15924); translations carry @altrender="translation-<method>" so a re-import knows
the original. Elements ISAD(G) keeps apart but EAD3 merges (rules, sources, description dates …) carry
@localtype with the Qoima element name. Creators are origination names, access points controlaccess
entries; dates carry @normal (or @standarddate for dates without an expression).

`component(d, user)` builds one description (no children) so OAI-PMH can serve records one by one;
`write(d, out, user)` streams a whole subtree through lxml's incremental writer; `user` limits the
export to what that user may see (None = archivist tool: everything).
"""

from __future__ import annotations

import io
import re
from datetime import date

from django.utils import timezone
from lxml import etree

from qoima.catalogue import codes, hierarchy
from qoima.catalogue.exporting import NotVisible, load
from qoima.catalogue.exporting import children as visible_children
from qoima.catalogue.models import (
    Authority,
    AuthorityName,
    Description,
    DescriptionText,
    Method,
    Repository,
)

NS = "http://ead3.archivists.org/schema/"
SCHEMA_LOCATION = "http://ead3.archivists.org/schema/ http://www.loc.gov/ead/ead3.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
E = f"{{{NS}}}"
# Qoima element -> EAD3 element (values in paragraphs); the first listed element per EAD tag is its default.
NOTES = [
    ("admin_bio_history", "bioghist"), ("archival_history", "custodhist"), ("acquisition", "acqinfo"),
    ("scope_and_content", "scopecontent"), ("appraisal", "appraisal"), ("accruals", "accruals"),
    ("arrangement", "arrangement"), ("access_conditions", "accessrestrict"),
    ("reproduction_conditions", "userestrict"), ("physical_characteristics", "phystech"),
    ("finding_aids", "otherfindaid"), ("location_of_originals", "originalsloc"),
    ("location_of_copies", "altformavail"), ("related_units", "relatedmaterial"),
    ("publication_note", "bibliography"), ("note", "odd"), ("archivist_note", "processinfo"),
    ("rules", "processinfo"), ("description_dates", "processinfo"), ("sources", "processinfo"),
]
NOTE_TAG = dict(NOTES)
DEFAULT_ELEMENT: dict[str, str] = {}
for _el, _tag in NOTES:
    DEFAULT_ELEMENT.setdefault(_tag, _el)
DID_ELEMENTS = {"title", "alternative_title", "extent_and_medium", "physical_location", "language_note",
                "digital_object_uri", "digital_object_path", "alternative_identifier", "dates"}
EAD_LEVELS = {"class", "collection", "file", "fonds", "item", "otherlevel", "recordgrp", "series", "subfonds",
              "subgrp", "subseries"}
NAME_TAG = {Authority.Kind.PERSON: "persname", Authority.Kind.CORPORATE: "corpname", Authority.Kind.FAMILY: "famname"}
TERM_TAG = {"subject": "subject", "place": "geogname", "genre": "genreform", "occupation": "occupation"}
_NCNAME_BAD = re.compile(r"[^\w.-]", re.UNICODE)


def _attrs(attrs: dict) -> dict[str, str]:
    return {k.rstrip("_"): v for k, v in attrs.items() if v not in (None, "")}


def _el(tag: str, text: str | None = None, **attrs) -> etree._Element:
    e = etree.Element(E + tag, _attrs(attrs), nsmap={None: NS})
    if text:
        e.text = text
    return e


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    e = etree.SubElement(parent, E + tag, _attrs(attrs))
    if text:
        e.text = text
    return e


def lang_attrs(tag: str) -> dict[str, str]:
    """@lang (ISO 639-2/B) and @script (ISO 15924) for a BCP 47 tag."""
    if not tag:
        return {}
    lang, script = codes.split_tag(tag)
    return {"lang": lang, "script": script}


def _value_attrs(v) -> dict[str, str]:
    attrs = lang_attrs(v.lang)
    if v.script and v.lang != "zxx":
        attrs["script"] = v.script
    if not v.is_original:
        attrs["altrender"] = f"translation-{v.method or Method.HUMAN}"
    return attrs


def _paragraphs(parent, text: str) -> None:
    for para in [p for p in re.split(r"\n\s*\n", text) if p.strip()]:
        p = _sub(parent, "p")
        lines = para.split("\n")
        p.text = lines[0]
        for line in lines[1:]:
            lb = _sub(p, "lb")
            lb.tail = line


def _by_position(values) -> list:
    """Values of one element: position by position, the original first."""
    return sorted(values, key=lambda v: (v.position, not v.is_original, v.lang))


def _ncname(text: str) -> str:
    s = _NCNAME_BAD.sub("_", text)
    return s if s[:1].isalpha() or s[:1] == "_" else f"_{s}"


def _texts(d: Description, element: str) -> list[DescriptionText]:
    return _by_position(d.text_values(element))


def _names(parent, d: Description, roles: set[str] | None, exclude: set[str] = frozenset()) -> None:
    for link in d.agents.all():
        if (roles is not None and link.role not in roles) or link.role in exclude:
            continue
        auth = link.authority
        tag = NAME_TAG.get(auth.kind, "name")
        names = [n for n in auth.names.all() if n.form == AuthorityName.Form.AUTHORIZED] or [None]
        for n in names:
            value = n.value if n else auth.name
            attrs = lang_attrs(n.lang) if n and n.lang else {}
            if n and n.script:
                attrs["script"] = n.script
            e = _sub(parent, tag, normal=auth.name, identifier=auth.identifier,
                     relator=link.role if link.role not in ("creator", "subject") else None, **attrs)
            _sub(e, "part", value)


def did(d: Description, *, root: bool = False) -> etree._Element:
    """The <did> of one description: identification, dates, extent, creators, languages, location."""
    out = _el("did")
    repo: Repository | None = d.repository
    if d.identifier:
        attrs = {}
        if root and repo is not None:
            attrs = {"repositorycode": repo.code, "countrycode": repo.country_code.upper() or None}
        _sub(out, "unitid", d.identifier, **attrs)
    for v in _texts(d, "alternative_identifier"):
        _sub(out, "unitid", v.value, localtype="alternative", **_value_attrs(v))
    for v in _texts(d, "title"):
        _sub(out, "unittitle", v.value, **_value_attrs(v))
    for v in _texts(d, "alternative_title"):
        _sub(out, "unittitle", v.value, localtype="alternative", **_value_attrs(v))
    date_texts = _texts(d, "dates")
    for x in d.dates.all():
        kind = {"datechar": x.event_type} if x.event_type not in ("bulk",) else {"unitdatetype": "bulk"}
        if x.expression:
            normal = _normal(x.start, x.end)
            _sub(out, "unitdate", x.expression, normal=normal, **kind, **lang_attrs(x.lang))
            for v in date_texts:
                if v.position == x.position:
                    _sub(out, "unitdate", v.value, normal=normal, **kind, **_value_attrs(v))
        elif x.start or x.end:
            s = _sub(out, "unitdatestructured", **kind)
            if x.start == x.end or x.end is None or x.start is None:
                one = x.start or x.end
                _sub(s, "datesingle", one.isoformat(), standarddate=one.isoformat())
            else:
                r = _sub(s, "daterange")
                _sub(r, "fromdate", x.start.isoformat(), standarddate=x.start.isoformat())
                _sub(r, "todate", x.end.isoformat(), standarddate=x.end.isoformat())
    if any(link.role != "subject" for link in d.agents.all()):
        orig = _sub(out, "origination")
        _names(orig, d, None, exclude={"subject"})
    for v in _texts(d, "extent_and_medium"):
        _sub(out, "physdesc", v.value, **_value_attrs(v))
    langs, scripts = list(d.languages or []), list(d.scripts or [])
    notes = _texts(d, "language_note")
    if langs or scripts or notes:
        for i, note in enumerate(notes or [None]):
            lm = _sub(out, "langmaterial", **(_value_attrs(note) if note is not None else {}))
            codes_here = langs if i == 0 and langs else ["und"]
            if scripts and i == 0:
                ls = _sub(lm, "languageset")
                for t in codes_here:
                    _sub(ls, "language", codes.language_name(t), langcode=codes.to_iso639_2(t))
                for s in scripts:
                    _sub(ls, "script", codes.script_name(s), scriptcode=s)
            else:
                for t in codes_here:
                    _sub(lm, "language", codes.language_name(t) if t != "und" else None,
                         langcode=codes.to_iso639_2(t) if t != "und" else "und")
            if note is not None:
                _paragraphs(_sub(lm, "descriptivenote"), note.value)
    for v in _texts(d, "physical_location"):
        _sub(out, "physloc", v.value, **_value_attrs(v))
    for element, localtype in (("digital_object_uri", None), ("digital_object_path", "path")):
        for v in _texts(d, element):
            _sub(out, "dao", daotype="unknown", href=v.value, localtype=localtype)
    if root and repo is not None:
        names = _by_position(repo.texts.filter(element="authorized_name")) or [None]
        rep = _sub(out, "repository")
        for v in names:
            cn = _sub(rep, "corpname", **(_value_attrs(v) if v is not None else {}))
            _sub(cn, "part", v.value if v is not None else repo.name)
    if len(out) == 0:  # <did> may not be empty; an untitled, unnumbered unit keeps an empty title
        _sub(out, "unittitle")
    return out


def _normal(start: date | None, end: date | None) -> str | None:
    if start and end:
        return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
    if start or end:
        return (start or end).isoformat()
    return None


def notes(d: Description) -> list[etree._Element]:
    """ISAD(G) notes as EAD3 description elements, every language; then controlaccess."""
    out: list[etree._Element] = []
    elements = {v.element for v in d.texts.all()}
    for element, tag in NOTES:
        for v in _texts(d, element):
            e = _el(tag, localtype=None if DEFAULT_ELEMENT[tag] == element else element, **_value_attrs(v))
            _paragraphs(e, v.value)
            out.append(e)
    known = set(NOTE_TAG) | DID_ELEMENTS
    for element in sorted(elements - known):
        for v in _texts(d, element):
            e = _el("odd", localtype=element, **_value_attrs(v))
            _paragraphs(e, v.value)
            out.append(e)
    ca = _el("controlaccess")
    _names(ca, d, {"subject"})
    for term in d.terms.all():
        labels = sorted(term.labels.all(), key=lambda lab: (not lab.is_original, lab.lang)) or [None]
        for lab in labels:
            attrs = lang_attrs(lab.lang) if lab is not None else {}
            if lab is not None and lab.script:
                attrs["script"] = lab.script
            e = _sub(ca, TERM_TAG.get(term.taxonomy, "subject"), normal=term.label, identifier=term.code, **attrs)
            _sub(e, "part", lab.value if lab is not None else term.label)
    if len(ca):
        out.append(ca)
    return out


def _level_attrs(d: Description) -> dict[str, str]:
    level = (d.level or "").lower()
    if level in EAD_LEVELS:
        return {"level": level}
    return {"level": "otherlevel", "otherlevel": level or "unknown"}


def _component_id(d: Description, parent_ref: str | None, position: int | None = None) -> str | None:
    """@id for a component whose reference code is not parent + identifier: the segment a re-import needs
    to rebuild the same code (the record key without identifier, the disambiguating suffix with one)."""
    if parent_ref is None and d.parent_id:
        parent_ref = Description.objects.only("ref").get(pk=d.parent_id).ref
    seg = d.ref[len(parent_ref) + 1:] if parent_ref and d.ref.startswith(parent_ref + "-") else d.ref.rsplit("-", 1)[-1]
    ident = hierarchy.ref_segment(d.identifier)
    if not d.identifier:
        return None if seg == str(position) else (seg or None)  # a re-import numbers by position
    if seg != ident and seg.startswith(ident + "_"):
        return seg[len(ident) + 1:]
    return None


def component(d: Description | str, user=None, *, tag: str = "c", ids: set[str] | None = None,
              parent_ref: str | None = None, position: int | None = None) -> etree._Element:
    """One description as an EAD3 <c> (or <archdesc>) without its children."""
    d = d if isinstance(d, Description) and hasattr(d, "_prefetched_objects_cache") else load(d, user)
    attrs = _level_attrs(d)
    attrs.update(lang_attrs(d.original_lang))
    cid = _component_id(d, parent_ref, position) if tag == "c" else None
    if cid:
        cid = _ncname(cid)
        if ids is not None:
            base, n = cid, 2
            while cid in ids:
                cid, n = f"{base}.{n}", n + 1
            ids.add(cid)
        attrs["id"] = cid
    e = _el(tag, **attrs)
    e.append(did(d, root=tag == "archdesc"))
    for n in notes(d):
        e.append(n)
    return e


def control(d: Description) -> etree._Element:
    c = _el("control")
    _sub(c, "recordid", d.ref)
    fd = _sub(c, "filedesc")
    ts = _sub(fd, "titlestmt")
    titles = _texts(d, "title") or [None]
    for v in titles:
        _sub(ts, "titleproper", v.value if v is not None else d.ref, **(_value_attrs(v) if v is not None else {}))
    _sub(c, "maintenancestatus", value="derived")
    _sub(c, "publicationstatus", value="published" if d.publication_status == "published" else "inprocess")
    agency = _sub(c, "maintenanceagency", countrycode=(d.repository.country_code.upper() or None)
                  if d.repository else None)
    if d.repository is not None:
        _sub(agency, "agencycode", d.repository.code)
    _sub(agency, "agencyname", d.repository.name if d.repository else "Qoima")
    used = []
    for v in d.texts.all():
        if v.lang not in used and v.lang != "zxx":
            used.append(v.lang)
    if d.original_lang in used:
        used.remove(d.original_lang)
        used.insert(0, d.original_lang)
    for tag in used:
        lang, script = codes.split_tag(tag)
        ld = _sub(c, "languagedeclaration")
        _sub(ld, "language", codes.language_name(tag), langcode=lang)
        _sub(ld, "script", codes.script_name(script or "Zyyy"), scriptcode=script or "Zyyy")
    mh = _sub(c, "maintenancehistory")
    ev = _sub(mh, "maintenanceevent")
    _sub(ev, "eventtype", value="derived")
    now = timezone.now().replace(microsecond=0)
    _sub(ev, "eventdatetime", now.isoformat(), standarddatetime=now.isoformat())
    _sub(ev, "agenttype", value="machine")
    _sub(ev, "agent", "Qoima")
    return c


def write(d: Description | str, out, user=None, *, children: bool = True) -> None:
    """Stream the finding aid of `d` (and its visible subtree) to a binary file object."""
    d = load(d, user)
    ids: set[str] = set()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(E + "ead", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION}, nsmap={None: NS, "xsi": XSI}):
            xf.write(control(d))
            top = component(d, user, tag="archdesc")
            with xf.element(E + "archdesc", dict(top.attrib)):
                for child in top:
                    xf.write(child)
                kids = visible_children(d, user) if children else iter(())
                first = next(kids, None)
                if first is not None:
                    with xf.element(E + "dsc"):
                        _write_tree(xf, first, user, ids, d.ref, 1)
                        for i, k in enumerate(kids, 2):
                            _write_tree(xf, k, user, ids, d.ref, i)


def _write_tree(xf, d: Description, user, ids: set[str], parent_ref: str, position: int) -> None:
    c = component(d, user, ids=ids, parent_ref=parent_ref, position=position)
    with xf.element(E + "c", dict(c.attrib)):
        for child in c:
            xf.write(child)
        for i, k in enumerate(visible_children(d, user), 1):
            _write_tree(xf, k, user, ids, d.ref, i)


def to_bytes(d: Description | str, user=None, *, children: bool = True) -> bytes:
    buf = io.BytesIO()
    write(d, buf, user, children=children)
    return buf.getvalue()


def to_element(d: Description | str, user=None, *, children: bool = False) -> etree._Element:
    """The <ead> root for `d` (by default without its subtree: one OAI-PMH oai_ead record)."""
    return etree.fromstring(to_bytes(d, user, children=children))




__all__ = ["NotVisible", "component", "control", "did", "notes", "to_bytes", "to_element", "write"]
