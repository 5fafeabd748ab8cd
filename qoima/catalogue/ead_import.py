"""EAD3 and EAD 2002 finding aids (namespaced or not, DTD-declared or not) into the catalogue.

The whole hierarchy is read: archdesc and every c / c01..c12 below dsc. Each component's did
(unittitle, unitid, unitdate(+@normal), unitdatestructured, physdesc, physdescstructured, origination,
langmaterial, physloc, container, abstract, dao, materialspec) and its ISAD(G)-mapped notes
(NOTE_ELEMENTS) become elements of one description; origination names become authorities with the
creator role, controlaccess entries become terms or subject links. Mixed content is flattened to text
with paragraph breaks kept. Language: an element's @lang/@xml:lang/@script, else its component's,
else the finding aid's language declaration. Repeated elements in one language are repeated values;
the same element in another language is a translation of the value at the same position.

Re-importing the same finding aid updates it (key: recordid/eadid + c@id, else the unitid path).
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from pathlib import Path

from django.db import transaction
from lxml import etree

from qoima.catalogue import batch, codes, dates, hierarchy, languages
from qoima.catalogue.importing import (
    CatalogueImportError,
    ImportReport,
    add_authority_name,
    add_term_label,
    find_authority,
    find_repository,
    find_term,
)
from qoima.catalogue.models import (
    DESCRIPTION_TEXT_ELEMENTS,
    AgentLink,
    Authority,
    Description,
    DescriptionDate,
    Method,
    Repository,
    Term,
)
from qoima.catalogue.placing import add_texts, clear_imported_content, upsert
from qoima.catalogue.xmlsafe import UnsafeXMLError, parse_bytes

# Values Qoima keeps beside the ISAD(G) elements (written as <odd localtype="…"> on export).
EXTRA_ELEMENTS = {"accession_number", "alternative_identifier", "digital_object_path", "digital_object_uri",
                  "digital_object_checksum", "description_languages", "description_scripts",
                  "institution_identifier", "physical_location"}
EAD3_NS = "http://ead3.archivists.org/schema/"
EAD2002_NS = "urn:isbn:1-931666-22-9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

NOTE_ELEMENTS = {
    "scopecontent": "scope_and_content", "bioghist": "admin_bio_history", "custodhist": "archival_history",
    "acqinfo": "acquisition", "appraisal": "appraisal", "accruals": "accruals", "arrangement": "arrangement",
    "accessrestrict": "access_conditions", "userestrict": "reproduction_conditions",
    "phystech": "physical_characteristics", "otherfindaid": "finding_aids", "fileplan": "finding_aids",
    "originalsloc": "location_of_originals", "altformavail": "location_of_copies",
    "relatedmaterial": "related_units", "separatedmaterial": "related_units", "bibliography": "publication_note",
    "odd": "note", "note": "note", "prefercite": "note", "legalstatus": "access_conditions",
    "processinfo": "archivist_note", "index": "finding_aids", "relations": "related_units",
    "langmaterial": "language_note", "physdesc": "extent_and_medium", "materialspec": "extent_and_medium",
    "physloc": "physical_location",
}
DID_TEXT = {"abstract": "scope_and_content", "physdesc": "extent_and_medium", "materialspec": "extent_and_medium",
            "physloc": "physical_location", "didnote": "note", "note": "note"}
COMPONENT = re.compile(r"^c(0[1-9]|1[0-2])?$")
NAME_KINDS = {"persname": Authority.Kind.PERSON, "corpname": Authority.Kind.CORPORATE,
              "famname": Authority.Kind.FAMILY, "name": None}
TERM_KINDS = {"subject": Term.Taxonomy.SUBJECT, "geogname": Term.Taxonomy.PLACE, "genreform": Term.Taxonomy.GENRE,
              "occupation": Term.Taxonomy.OCCUPATION, "function": Term.Taxonomy.SUBJECT,
              "title": Term.Taxonomy.SUBJECT}
BLOCKS = {"p", "item", "list", "chronlist", "chronitem", "event", "eventgrp", "defitem", "label", "blockquote",
          "row", "table", "tgroup", "thead", "tbody", "address", "addressline", "bibref", "archref", "div",
          "head01", "head02", "listhead", "descriptivenote", "relation", "relationentry", "geogname", "datesingle"}
SKIP = {"head"}
_PARA, _LINE = "\x1e", "\x1f"
_WS = re.compile(r"[ \t\r\n]+")
LEVELS = {"recordgrp": "fonds", "subgrp": "subfonds", "otherlevel": ""}


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def kids(el, *names: str) -> list:
    return [c for c in el if isinstance(c.tag, str) and (not names or local(c) in names)]


def first(el, name: str):
    for c in el:
        if isinstance(c.tag, str) and local(c) == name:
            return c
    return None


def flatten(el, skip_heads: bool = True) -> str:
    """Text of mixed content: inline markup dropped, paragraphs joined by a blank line, <lb/> kept."""
    out: list[str] = []

    def walk(node) -> None:
        name = local(node)
        if skip_heads and name in SKIP:
            if node.tail:
                out.append(node.tail)
            return
        block = name in BLOCKS
        if block:
            out.append(_PARA)
        if name == "lb":
            out.append(_LINE)
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
                continue
            if child.tag is etree.Entity:  # undeclared (DTD never loaded): HTML names like &eacute; only
                out.append(html.unescape(child.text or ""))
            if child.tail:
                out.append(child.tail)
        if block:
            out.append(_PARA)
        if node is not el and node.tail:
            out.append(node.tail)

    walk(el)
    text = _WS.sub(" ", "".join(out))
    paras = []
    for para in text.split(_PARA):
        lines = [ln.strip() for ln in para.split(_LINE)]
        para = "\n".join(ln for ln in lines if ln) if len(lines) > 1 else lines[0]
        if para.strip():
            paras.append(para.strip())
    return languages.nfc("\n\n".join(paras))


def name_text(el, kind: str) -> str:
    """A name or term from its <part>s (EAD3) or text (EAD 2002)."""
    parts = [flatten(p) for p in kids(el, "part")]
    parts = [p for p in parts if p]
    if not parts:
        return flatten(el)
    sep = " -- " if kind in TERM_KINDS else (". " if kind == "corpname" else ", ")
    return sep.join(p.rstrip(".") if sep == ". " else p for p in parts)


class _Importer:
    def __init__(self, path: Path, default_lang: str, data: bytes | None = None):
        self.path = path
        self.name = path.name
        self.default_lang = default_lang
        self.data = data
        self.report = ImportReport()

    def fail(self, el, problem: str):
        line = el.sourceline if el is not None and hasattr(el, "sourceline") else None
        raise CatalogueImportError(self.name, problem, line=line, element=local(el) if el is not None else None)

    def lang_of(self, el, default: str) -> tuple[str, str]:
        """(BCP 47 tag, method) of an element's value: its own or nearest ancestor's @lang, else `default`."""
        node, lang, script = el, "", ""
        while node is not None and node is not self.component_el:
            lang = lang or node.get("lang") or node.get(XML_LANG) or ""
            script = script or node.get("script") or ""
            if lang:
                break
            node = node.getparent()
        text = flatten(el)
        method = Method.ORIGINAL
        alt = el.get("altrender") or ""
        if alt.startswith("translation-") and alt[12:] in Method.values:
            method = alt[12:]
        if not lang:
            if script and codes.script_code(script):
                tag, _ = languages.resolve(default, text, codes.script_code(script))
                return tag, method
            return languages.resolve(default, text)[0], method
        try:
            return codes.join_tag(lang, script, text), method
        except languages.LanguageTagError:
            self.fail(el, f"@lang {lang!r} is not a language code")

    def run(self) -> ImportReport:
        data = self.data if self.data is not None else self.path.read_bytes()
        tree = parse_bytes(data, self.name)
        root = tree.getroot()
        if local(root) != "ead":
            self.fail(root, f"not an EAD document: the root element is <{local(root)}>, expected <ead>")
        ns = etree.QName(root).namespace or ""
        if ns not in ("", EAD3_NS, EAD2002_NS):
            self.fail(root, f"unknown namespace {ns!r} (expected EAD3 {EAD3_NS} or EAD 2002 {EAD2002_NS})")
        self.ead3 = ns == EAD3_NS or first(root, "control") is not None
        header = first(root, "control") if self.ead3 else first(root, "eadheader")
        archdesc = first(root, "archdesc")
        if archdesc is None:
            self.fail(root, "no <archdesc>: nothing to import")
        record_id = ""
        doc_lang = ""
        if header is not None:
            rid = first(header, "recordid") if self.ead3 else first(header, "eadid")
            record_id = flatten(rid) if rid is not None else ""
            doc_lang = self.declared_language(header)
        if not record_id:
            record_id = self.path.stem
            self.report.warn(f"{self.name}: no recordid/eadid; using the file name {record_id!r} as the key")
        self.source = f"ead:{record_id}"[:200]
        self.report.source = self.source
        self.record_id = record_id
        self.component_el = None
        lang = self.lang_of_component(archdesc, doc_lang or self.default_lang)
        with transaction.atomic(), batch.batch():
            repository = self.repository(archdesc, header, lang)
            self.without_unitid = 0
            self.component(archdesc, None, repository, lang, "archdesc", record_id)
        if self.without_unitid:
            self.report.warn(f"{self.name}: {self.without_unitid} component(s) without <unitid>: their reference "
                             "codes use c@id (without the recordid prefix), else the position among siblings")
        return self.report

    def declared_language(self, header) -> str:
        for path in (("languagedeclaration", "language"), ("profiledesc", "langusage", "language")):
            node = header
            for step in path:
                node = first(node, step) if node is not None else None
            if node is not None and node.get("langcode"):
                try:
                    tag = codes.to_bcp47(node.get("langcode"))
                except languages.LanguageTagError:
                    self.fail(node, f"@langcode {node.get('langcode')!r} is not a language code")
                script = first(node.getparent(), "script")
                if script is not None and codes.script_code(script.get("scriptcode", "")):
                    tag, _ = languages.resolve(tag, "", codes.script_code(script.get("scriptcode")))
                return tag
        return ""

    def lang_of_component(self, el, inherited: str) -> str:
        lang = el.get("lang") or el.get(XML_LANG)
        if not lang:
            return inherited
        try:
            tag = codes.to_bcp47(lang)
        except languages.LanguageTagError:
            self.fail(el, f"@lang {lang!r} is not a language code")
        script = codes.script_code(el.get("script", ""))
        return languages.resolve(tag, "", script)[0] if script else tag

    def repository(self, archdesc, header, lang: str) -> Repository | None:
        did = first(archdesc, "did")
        code = country = ""
        if did is not None:
            for uid in kids(did, "unitid"):
                code = code or uid.get("repositorycode", "")
                country = country or uid.get("countrycode", "")
        if header is not None and not self.ead3:
            eadid = first(header, "eadid")
            if eadid is not None:
                code = code or eadid.get("mainagencycode", "")
                country = country or eadid.get("countrycode", "")
        if header is not None and self.ead3 and not code:
            agency = first(header, "maintenanceagency")
            acode = first(agency, "agencycode") if agency is not None else None
            if acode is not None and flatten(acode):
                code = flatten(acode)
                country = country or agency.get("countrycode", "")
        names: list[tuple[str, str]] = []
        rep = first(did, "repository") if did is not None else None
        if rep is not None:
            self.component_el = archdesc
            named = kids(rep, "corpname", "name")
            for n in named or [rep]:
                text = name_text(n, "corpname") if n is not rep else flatten(rep)
                if text:
                    names.append((text, self.lang_of(n, lang)[0]))
        repo = None
        if code:
            repo = Repository.objects.filter(code__iexact=code).first()
            if repo is None:
                repo = Repository.objects.create(code=code[:64], country_code=country.upper()[:2],
                                                 name=(names[0][0] if names else code)[:500])
                self.report.repositories += 1
        elif names:
            repo = find_repository(names[0][0], lang=names[0][1], report=self.report)
        if repo is not None:
            for i, (text, tag) in enumerate(names):
                if not repo.texts.filter(element="authorized_name", value=text).exists():
                    repo.set_text("authorized_name", text, tag, original=not repo.texts.filter(
                        element="authorized_name").exists() and i == 0)
        return repo

    # --- one component --------------------------------------------------------------------------------
    def component(self, el, parent: Description | None, repository: Repository | None, inherited_lang: str,
                  pos_path: str, id_path: str) -> None:
        lang = self.lang_of_component(el, inherited_lang)
        self.component_el = None  # lang_of walks up to the document root inside this component
        did = first(el, "did")
        if did is None:
            self.fail(el, "a component without <did>")
        unitids = [(flatten(u), u) for u in kids(did, "unitid")]
        alt_ids = [(t, u) for t, u in unitids if t and u.get("localtype") == "alternative"]
        unitids = [(t, u) for t, u in unitids if t and u.get("localtype") != "alternative"]
        identifier = unitids[0][0] if unitids else ""
        cid = el.get("id") or ""
        if local(el) == "archdesc":
            key = "archdesc"
        elif cid:
            key = f"id:{cid}"
        elif identifier:
            key = f"unitid:{id_path}/{identifier}"
        else:
            key = f"pos:{pos_path}"
        level = el.get("level", "")
        if level == "otherlevel":
            level = el.get("otherlevel", "") or "otherlevel"
        level = LEVELS.get(level, level) or "item"
        where = f"{self.name}, line {el.sourceline}, element {local(el)}"
        if cid.startswith("_") and cid[1:2].isdigit():
            cid = cid[1:]  # an NCName cannot start with a digit: Qoima writes positional keys as _1
        if cid:
            for sep in ("_", "-", "."):
                if cid.startswith(self.record_id + sep) and len(cid) > len(self.record_id) + 1:
                    cid = cid[len(self.record_id) + 1:]
        key_segment = cid or (self.record_id if parent is None else pos_path.rsplit("/", 1)[-1])
        if not identifier:
            self.without_unitid += 1
        try:
            d, created = upsert(source=self.source, legacy_id=key[:200], identifier=identifier, level=level,
                                parent=parent, repository=repository if parent is None else None,
                                key_segment=key_segment, report=self.report, where=where,
                                fields={"original_lang": lang}, warn_missing=False)
        except hierarchy.HierarchyError as e:
            self.fail(el, str(e))
        if not created:
            clear_imported_content(d)
        d.original_lang = lang
        self.report.refs.append(d.ref)
        values: OrderedDict[str, list] = OrderedDict()  # element -> [(value, tag, method, source element)]

        def add(element: str, node, text: str | None = None) -> None:
            text = flatten(node) if text is None else text
            if text:
                tag, method = self.lang_of(node, lang)
                values.setdefault(element, []).append((text, tag, method, node))

        for t in kids(did, "unittitle"):
            add("alternative_title" if t.get("localtype") == "alternative" else "title", t)
        for text, u in alt_ids:
            add("alternative_identifier", u, text)
        for text, u in unitids[1:]:
            add("alternative_identifier", u, f"{u.get('localtype') or u.get('type') or u.get('label')}: {text}"
                if (u.get("localtype") or u.get("type") or u.get("label")) else text)
        for child in kids(did):
            name = local(child)
            if name in DID_TEXT:
                add(DID_TEXT[name], child)
            elif name == "physdescstructured":
                add("extent_and_medium", child, self.physdesc_structured(child))
            elif name == "physdescset":
                parts = [self.physdesc_structured(p) for p in kids(child, "physdescstructured")]
                add("extent_and_medium", child, "; ".join(p for p in parts if p))
            elif name == "langmaterial":
                self.material_languages(d, child, add)
            elif name in ("dao", "daogrp", "daoset"):
                for dao in child.iter("{*}dao", "dao", "{*}daoloc", "daoloc"):
                    href = dao.get("href") or dao.get(XLINK_HREF)
                    if href:
                        element = "digital_object_path" if dao.get("localtype") == "path" else "digital_object_uri"
                        values.setdefault(element, []).append((href, "zxx", Method.ORIGINAL, dao))
            elif name in ("unittitle", "unitid", "unitdate", "unitdatestructured", "origination", "repository",
                          "container", "head"):
                pass
            else:
                self.report.warn(f"{where}: <{name}> in <did> not mapped to ISAD(G); skipped")
        containers = [f"{c.get('localtype') or c.get('type') or 'container'} {flatten(c)}".strip()
                      for c in kids(did, "container") if flatten(c)]
        if containers:
            tag = lang
            values.setdefault("physical_location", []).append((", ".join(containers), tag, Method.ORIGINAL, did))
        children = []
        for child in kids(el):
            name = local(child)
            if name in NOTE_ELEMENTS and name not in ("physloc",):
                add(self.note_element(child), child)
            elif name == "descgrp":
                for sub in kids(child):
                    if local(sub) in NOTE_ELEMENTS:
                        add(self.note_element(sub), sub)
            elif name == "controlaccess":
                self.control_access(d, child, lang)
            elif name == "dsc":
                children.extend(c for c in kids(child) if COMPONENT.match(local(c)))
            elif COMPONENT.match(name):
                children.append(child)
            elif name in ("did", "head", "thead"):
                pass
            elif name == "dao" or name == "daogrp":
                href = child.get("href") or child.get(XLINK_HREF)
                if href:
                    values.setdefault("digital_object_uri", []).append((href, "zxx", Method.ORIGINAL, child))
            else:
                self.report.warn(f"{where}: <{name}> not mapped to ISAD(G); skipped")
        self.write_values(d, values, lang)
        self.write_dates(d, did, lang)
        origination = kids(did, "origination")
        for orig in origination:
            self.names(d, orig, lang, "creator")
        if d.languages or d.scripts:
            Description.objects.filter(pk=d.pk).update(languages=d.languages, scripts=d.scripts)
        hierarchy.refresh_dates(d)
        child_id_path = f"{id_path}/{identifier}" if identifier else id_path
        for i, child in enumerate(children, 1):
            self.component(child, d, repository, lang, f"{pos_path}/{i}", child_id_path)

    def write_values(self, d: Description, values: OrderedDict, lang: str) -> None:
        items = []
        for element, vals in values.items():
            per_lang: dict[str, int] = {}
            by_pos: dict[int, list] = {}
            for text, tag, method, node in vals:
                pos = per_lang.get(tag, 0)
                per_lang[tag] = pos + 1
                by_pos.setdefault(pos, []).append((text, tag, method, node))
            for pos, group in by_pos.items():
                orig_idx = next((i for i, (_, tag, m, _n) in enumerate(group)
                                 if m == Method.ORIGINAL and languages.primary(tag) == languages.primary(lang)
                                 and tag == lang), None)
                if orig_idx is None:
                    orig_idx = next((i for i, (_, _t, m, _n) in enumerate(group) if m == Method.ORIGINAL), 0)
                for i, (text, tag, method, node) in enumerate(group):
                    is_orig = i == orig_idx
                    try:
                        languages.normalize_tag(tag)
                    except languages.LanguageTagError as e:
                        self.fail(node, str(e))
                    items.append((element, text, tag, "Zyyy" if tag == "zxx" else "", pos, is_orig,
                                  Method.ORIGINAL if is_orig else (method if method != Method.ORIGINAL
                                                                   else Method.HUMAN)))
        add_texts(d, items)

    def note_element(self, el) -> str:
        """The ISAD(G) element of a note; @localtype naming a Qoima element (as Qoima exports) wins."""
        localtype = el.get("localtype") or ""
        if localtype in DESCRIPTION_TEXT_ELEMENTS or localtype in EXTRA_ELEMENTS:
            return localtype
        return NOTE_ELEMENTS[local(el)]

    def physdesc_structured(self, el) -> str:
        qty = flatten(first(el, "quantity")) if first(el, "quantity") is not None else ""
        unit = flatten(first(el, "unittype")) if first(el, "unittype") is not None else ""
        bits = [" ".join(x for x in (qty, unit) if x)]
        for name in ("physfacet", "dimensions"):
            for x in kids(el, name):
                t = flatten(x)
                if t:
                    bits.append(f"{t} {x.get('unit', '')}".strip())
        note = first(el, "descriptivenote")
        if note is not None and flatten(note):
            bits.append(flatten(note))
        return "; ".join(b for b in bits if b)

    def material_languages(self, d: Description, el, add) -> None:
        langs, scripts = list(d.languages or []), list(d.scripts or [])
        for node in el.iter():
            name = local(node)
            if name == "language" and node.get("langcode") and node.get("langcode") not in ("und", "zxx", "mul"):
                try:
                    tag = codes.to_bcp47(node.get("langcode"))
                except languages.LanguageTagError:
                    self.fail(node, f"@langcode {node.get('langcode')!r} is not a language code")
                if tag not in langs:
                    langs.append(tag)
            if (name in ("script", "language")) and node.get("scriptcode"):
                s = codes.script_code(node.get("scriptcode"))
                if s and s not in scripts:
                    scripts.append(s)
        d.languages, d.scripts = langs, scripts
        if self.ead3:
            for note in kids(el, "descriptivenote"):
                add("language_note", note)
        else:
            add("language_note", el)

    def write_dates(self, d: Description, did, lang: str) -> None:
        position = 0
        seen: dict[tuple, int] = {}
        per_lang: dict[str, int] = {}
        nested = [u for t in kids(did, "unittitle") for u in t.iter("{*}unitdate", "unitdate")]  # EAD 2002 habit
        for el in kids(did, "unitdate", "unitdatestructured") + nested:
            if local(el) == "unitdate":
                expr = flatten(el)
                start = end = None
                normal = el.get("normal", "")
                if normal:
                    a, _, b = normal.partition("/")
                    start, end = dates.parse_iso(a), dates.parse_iso(b or a, end=True)
                    if start is None or end is None:
                        self.fail(el, f"@normal {normal!r} is not an ISO 8601 date or range")
                elif expr:
                    start, end = dates.normalize(expr)
                kind = el.get("datechar") or ("bulk" if (el.get("unitdatetype") or el.get("type")) == "bulk"
                                              else "creation")
                ranges = [(expr, start, end)]
            else:
                kind = el.get("datechar") or ("bulk" if el.get("unitdatetype") == "bulk" else "creation")
                ranges = self.structured_ranges(el)
            for expr, start, end in ranges:
                if start and end and end < start:
                    self.fail(el, f"the date range ends ({end}) before it starts ({start})")
                tag = self.lang_of(el, lang)[0] if expr else ""
                key = (kind, start, end)
                if local(el) == "unitdatestructured" and key in seen and start:
                    continue  # the same range as a unitdate already read
                if expr and tag and tag != lang and key in seen:
                    pos = seen[key]
                    d.set_text("dates", expr, tag, position=pos, original=False, method=Method.HUMAN)
                    continue
                if not (expr or start or end):
                    continue
                per_lang[tag] = per_lang.get(tag, 0) + 1
                seen[key] = position
                DescriptionDate.objects.create(description=d, event_type=kind[:40], expression=expr[:500], lang=tag,
                                               start=start, end=end, position=position)
                position += 1

    def structured_ranges(self, el) -> list[tuple[str, object, object]]:
        out = []
        for node in el.iter():
            name = local(node)
            if name == "daterange":
                f, t = first(node, "fromdate"), first(node, "todate")
                fs = (f.get("standarddate") or flatten(f)) if f is not None else ""
                ts = (t.get("standarddate") or flatten(t)) if t is not None else ""
                start = dates.parse_iso(fs) if fs else None
                end = dates.parse_iso(ts, end=True) if ts else None
                if (fs and start is None) or (ts and end is None):
                    self.fail(node, f"not an ISO 8601 date: {fs if fs and start is None else ts!r}")
                texts = [flatten(x) for x in (f, t) if x is not None]
                expr = "–".join(x for x in texts if x)
                out.append((expr, start, end or (dates.parse_iso(fs, end=True) if fs and not t else None)))
            elif name == "datesingle":
                s = node.get("standarddate") or flatten(node)
                start, end = dates.parse_iso(s), dates.parse_iso(s, end=True)
                if s and start is None:
                    self.fail(node, f"not an ISO 8601 date: {s!r}")
                out.append((flatten(node), start, end))
        return out

    def names(self, d: Description, container, lang: str, role: str) -> None:
        """origination / controlaccess names; variants in other languages share @normal (or @identifier)."""
        named = kids(container, *NAME_KINDS)
        if not named and local(container) == "origination" and flatten(container):
            named = [container]  # EAD 2002: <origination>Name as text</origination>
        for el in named:
            kind_name = local(el) if el is not container else "name"
            text = name_text(el, kind_name)
            if not text:
                continue
            tag, _ = self.lang_of(el, lang)
            identifier = el.get("identifier", "")
            normal = el.get("normal", "")
            auth = None
            if normal:
                auth = Authority.objects.filter(names__value=normal).distinct().order_by("pk").first()
            if auth is None:
                auth = find_authority(normal or text, tag, kind=NAME_KINDS[kind_name] or Authority.Kind.CORPORATE,
                                      identifier=identifier, report=self.report)
            if text != auth.name or not auth.names.filter(value=text).exists():
                add_authority_name(auth, text, tag)
            AgentLink.objects.get_or_create(description=d, authority=auth, role=(el.get("relator") or role)[:40]
                                            if role == "creator" else role)

    def control_access(self, d: Description, el, lang: str) -> None:
        self.names(d, el, lang, "subject")
        for child in kids(el):
            name = local(child)
            if name == "controlaccess":
                self.control_access(d, child, lang)
            elif name in TERM_KINDS:
                text = name_text(child, name)
                if not text:
                    continue
                tag, _ = self.lang_of(child, lang)
                normal = child.get("normal", "")
                term = find_term(TERM_KINDS[name], normal or text, tag, code=child.get("identifier", ""),
                                 add_label=not normal or normal == text)
                if normal and normal != text:
                    add_term_label(term, text, tag, original=not term.labels.exists())
                d.terms.add(term)
            elif name not in NAME_KINDS and name != "head":
                self.report.warn(f"{self.name}, line {child.sourceline}: <{name}> in <controlaccess> not mapped; "
                                 "skipped")


def import_ead(path: str | Path, *, default_lang: str = "en", data: bytes | None = None) -> ImportReport:
    """Import one finding aid in one transaction; raises CatalogueImportError or UnsafeXMLError."""
    path = Path(path)
    try:
        return _Importer(path, codes.to_bcp47(default_lang), data).run()
    except UnsafeXMLError:
        raise
