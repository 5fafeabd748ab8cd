"""The AIP's METS 1.12 document with PREMIS 3, written streaming (lxml.etree.xmlfile).

Each file's PREMIS object and events are built as a small subtree, written and dropped, so memory
stays flat however many files the package holds. Records are read three times from an iterator
factory (amdSec, fileSec, structMap), typically a JSON-lines file on disk.

Layout: one amdSec for the package (agents and package-level events: ingestion, replication,
fixity check), one amdSec per file (PREMIS object + its events: message digest calculation,
format identification, filename change, normalization), fileGrps `original`, `access`
(derivatives), `metadata`, `ocr` ..., and one logical structMap: package → items → pages.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

METS = "http://www.loc.gov/METS/"
PREMIS = "http://www.loc.gov/premis/v3"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NSMAP = {"mets": METS, "premis": PREMIS, "xlink": XLINK, "xsi": XSI}
SCHEMA_LOCATION = (f"{METS} http://www.loc.gov/standards/mets/version1121/mets.xsd "
                   f"{PREMIS} http://www.loc.gov/standards/premis/v3/premis.xsd")
_MNS = {"mets": METS}
_PNS = {"premis": PREMIS}
EVENT_NS = uuidlib.UUID("0b9f2f5e-6a43-4c3f-9d55-8f8a3f2a7c11")


def M(tag: str) -> str:
    return f"{{{METS}}}{tag}"


def P(tag: str) -> str:
    return f"{{{PREMIS}}}{tag}"


@dataclass
class Agent:
    id_type: str   # e.g. 'preservation system', 'repository code', 'user'
    id_value: str
    name: str
    type: str      # 'software', 'organization', 'person'
    version: str = ""


@dataclass
class Event:
    type: str
    datetime: str
    detail: str = ""
    outcome: str = "pass"
    outcome_note: str = ""
    agents: list[str] = field(default_factory=list)  # agent id values
    objects: list[str] = field(default_factory=list)  # object UUIDs
    uuid: str = ""
    location: str = ""  # storage location concerned (replication, fixity check); not part of PREMIS here

    def with_uuid(self, seed: str) -> Event:
        if not self.uuid:
            self.uuid = str(uuidlib.uuid5(EVENT_NS, f"{seed}|{self.type}|{self.datetime}|{self.detail}"))
        return self


def _sub(parent, tag: str, text: str | None = None, **attrib):
    el = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v is not None})
    if text is not None:
        el.text = text
    return el


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most C0 controls; file names may contain them: escape visibly."""
    if not _NOT_XML.search(text):  # nearly always: no copy
        return text
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff" else f"\\x{ord(c):02x}"
                   for c in text)


def premis_event(ev: Event, agents_by_value: dict[str, Agent]) -> etree._Element:
    e = etree.Element(P("event"), nsmap=_PNS, version="3.0")
    ident = _sub(e, P("eventIdentifier"))
    _sub(ident, P("eventIdentifierType"), "UUID")
    _sub(ident, P("eventIdentifierValue"), ev.uuid)
    _sub(e, P("eventType"), ev.type)
    _sub(e, P("eventDateTime"), ev.datetime)
    if ev.detail:
        _sub(_sub(e, P("eventDetailInformation")), P("eventDetail"), _xml_safe(ev.detail))
    info = _sub(e, P("eventOutcomeInformation"))
    _sub(info, P("eventOutcome"), ev.outcome)
    if ev.outcome_note:
        _sub(_sub(info, P("eventOutcomeDetail")), P("eventOutcomeDetailNote"), _xml_safe(ev.outcome_note))
    for value in ev.agents:
        a = agents_by_value.get(value)
        link = _sub(e, P("linkingAgentIdentifier"))
        _sub(link, P("linkingAgentIdentifierType"), a.id_type if a else "local")
        _sub(link, P("linkingAgentIdentifierValue"), value)
    for obj in ev.objects:
        link = _sub(e, P("linkingObjectIdentifier"))
        _sub(link, P("linkingObjectIdentifierType"), "UUID")
        _sub(link, P("linkingObjectIdentifierValue"), obj)
    return e


def premis_agent(a: Agent) -> etree._Element:
    e = etree.Element(P("agent"), nsmap=_PNS, version="3.0")
    ident = _sub(e, P("agentIdentifier"))
    _sub(ident, P("agentIdentifierType"), a.id_type)
    _sub(ident, P("agentIdentifierValue"), a.id_value)
    _sub(e, P("agentName"), a.name)
    _sub(e, P("agentType"), a.type)
    if a.version:
        _sub(e, P("agentVersion"), a.version)
    return e


def premis_object(rec: dict, *, source_uuid: str | None = None) -> etree._Element:
    """PREMIS file object: identifier, significant properties, fixity, size, format, original name."""
    obj = etree.Element(P("object"), {f"{{{XSI}}}type": "premis:file"}, nsmap={**_PNS, "xsi": XSI}, version="3.0")
    ident = _sub(obj, P("objectIdentifier"))
    _sub(ident, P("objectIdentifierType"), "UUID")
    _sub(ident, P("objectIdentifierValue"), rec["uuid"])
    for key, value in (rec.get("tech") or {}).items():
        sp = _sub(obj, P("significantProperties"))
        _sub(sp, P("significantPropertiesType"), key)
        _sub(sp, P("significantPropertiesValue"), str(value))
    chars = _sub(obj, P("objectCharacteristics"))
    _sub(chars, P("compositionLevel"), "0")
    fix = _sub(chars, P("fixity"))
    _sub(fix, P("messageDigestAlgorithm"), "SHA-256")
    _sub(fix, P("messageDigest"), rec["sha256"])
    _sub(fix, P("messageDigestOriginator"), "Qoima")
    _sub(chars, P("size"), str(rec["size"]))
    fmt = _sub(chars, P("format"))
    desig = _sub(fmt, P("formatDesignation"))
    _sub(desig, P("formatName"), rec.get("format") or "Unknown")
    if rec.get("format_version"):
        _sub(desig, P("formatVersion"), rec["format_version"])
    if rec.get("puid") and rec["puid"] != "UNKNOWN":
        reg = _sub(fmt, P("formatRegistry"))
        _sub(reg, P("formatRegistryName"), "PRONOM")
        _sub(reg, P("formatRegistryKey"), rec["puid"])
        _sub(reg, P("formatRegistryRole"), "identification")
    _sub(obj, P("originalName"), _xml_safe(rec.get("original") or rec["bag_path"]))
    if source_uuid:
        rel = _sub(obj, P("relationship"))
        _sub(rel, P("relationshipType"), "derivation")
        _sub(rel, P("relationshipSubType"), "has source")
        rid = _sub(rel, P("relatedObjectIdentifier"))
        _sub(rid, P("relatedObjectIdentifierType"), "UUID")
        _sub(rid, P("relatedObjectIdentifierValue"), source_uuid)
    return obj


def _wrap(parent_tag: str, xml_id: str, mdtype: str, payload: etree._Element) -> etree._Element:
    sec = etree.Element(M(parent_tag), nsmap=_MNS, ID=xml_id)
    wrap = _sub(sec, M("mdWrap"), MDTYPE="PREMIS:" + mdtype)
    _sub(wrap, M("xmlData")).append(payload)
    return sec


def file_amdsec(rec: dict, agents_by_value: dict[str, Agent]) -> etree._Element:
    """amdSec of one file (original or derivative) with its object and events."""
    amd = etree.Element(M("amdSec"), nsmap=_MNS, ID=f"amd-{rec['uuid']}")
    amd.append(_wrap("techMD", f"tech-{rec['uuid']}", "OBJECT",
                     premis_object(rec, source_uuid=rec.get("source_uuid"))))
    for i, ev in enumerate(rec.get("events", [])):
        event = Event(**ev)
        amd.append(_wrap("digiprovMD", f"digi-{rec['uuid']}-{i}", "EVENT", premis_event(event, agents_by_value)))
    return amd


def _file_el(rec: dict) -> etree._Element:
    attrib = {"ID": f"file-{rec['uuid']}", "ADMID": f"amd-{rec['uuid']}", "SIZE": str(rec["size"]),
              "CHECKSUM": rec["sha256"], "CHECKSUMTYPE": "SHA-256"}
    if rec.get("mime"):
        attrib["MIMETYPE"] = rec["mime"]
    if rec.get("group_id"):
        attrib["GROUPID"] = rec["group_id"]
    f = etree.Element(M("file"), attrib, nsmap={**_MNS, "xlink": XLINK})
    _sub(f, M("FLocat"), LOCTYPE="OTHER", OTHERLOCTYPE="SYSTEM", **{f"{{{XLINK}}}href": _xml_safe(rec["bag_path"])})
    return f


def _dmdsec(item: dict) -> etree._Element:
    sec = etree.Element(M("dmdSec"), nsmap=_MNS, ID=f"dmd-{item['id']}")
    wrap = _sub(sec, M("mdWrap"), MDTYPE="DC")
    dc = etree.SubElement(_sub(wrap, M("xmlData")), f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC})
    for key, values in item["dc"].items():
        for v in values if isinstance(values, list) else [values]:
            el = etree.SubElement(dc, f"{{{DC}}}{key}")
            el.text = _xml_safe(v)
    return sec


def write_mets(path: Path, *, aip_uuid: str, label: str, created: str, agents: list[Agent],
               aip_events: list[Event], records: Callable[[], Iterable[dict]],
               items: Callable[[], Iterable[dict]], groups: Iterable[str]) -> None:
    """Stream the METS document to `path`.

    records(): dicts with uuid, bag_path, sha256, size, mime, puid, format, group ('original',
    'access', 'metadata', 'ocr' ...), events [Event fields], optional original, tech, source_uuid.
    items(): dicts with id, label, ref, type, dc {element: [values]}, pages [[file uuid, ...], ...]
    (each page lists the uuids of its files: original, access copy, OCR ...)."""
    by_value = {a.id_value: a for a in agents}
    groups = list(groups)
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(M("mets"), {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "OBJID": aip_uuid,
                                    "LABEL": _xml_safe(label), "TYPE": "AIP",
                                    "PROFILE": "https://qoima.org/profiles/aip/1"}, nsmap=NSMAP):
            hdr = etree.Element(M("metsHdr"), nsmap=_MNS, CREATEDATE=created, RECORDSTATUS="production")
            for a in agents:
                if a.type in ("organization", "person"):
                    ag = _sub(hdr, M("agent"), ROLE="CREATOR" if a.type == "organization" else "OTHER",
                              TYPE="ORGANIZATION" if a.type == "organization" else "INDIVIDUAL")
                    _sub(ag, M("name"), a.name)
            if not len(hdr):
                ag = _sub(hdr, M("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
                _sub(ag, M("name"), "Qoima")
            xf.write(hdr)
            for item in items():
                if item.get("dc"):
                    xf.write(_dmdsec(item))
            amd = etree.Element(M("amdSec"), nsmap=_MNS, ID="amd-aip")
            for i, a in enumerate(agents):
                amd.append(_wrap("digiprovMD", f"agent-{i}", "AGENT", premis_agent(a)))
            for i, ev in enumerate(aip_events):
                amd.append(_wrap("digiprovMD", f"aip-event-{i}", "EVENT",
                                 premis_event(ev.with_uuid(aip_uuid), by_value)))
            xf.write(amd)
            for rec in records():
                xf.write(file_amdsec(rec, by_value))
            with xf.element(M("fileSec")):
                for group in groups:
                    with xf.element(M("fileGrp"), USE=group):
                        for rec in records():
                            if rec.get("group", "original") == group:
                                xf.write(_file_el(rec))
            with xf.element(M("structMap"), TYPE="logical", LABEL="Items and pages"):
                with xf.element(M("div"), TYPE="AIP", LABEL=_xml_safe(label), ADMID="amd-aip"):
                    for item in items():
                        attrib = {"TYPE": item.get("type", "item"), "LABEL": _xml_safe(item.get("label", ""))}
                        if item.get("dc"):
                            attrib["DMDID"] = f"dmd-{item['id']}"
                        # page by page: an item of 100,000 pages never sits in memory as one tree
                        with xf.element(M("div"), attrib):
                            for n, page in enumerate(item["pages"], 1):
                                pdiv = etree.Element(M("div"), nsmap=_MNS, TYPE="page", ORDER=str(n), LABEL=str(n))
                                for fid in page:
                                    _sub(pdiv, M("fptr"), FILEID=f"file-{fid}")
                                xf.write(pdiv)
