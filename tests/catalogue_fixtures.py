"""Helpers for the catalogue import/export tests: what the database holds as plain data, and the
official schemas loaded offline through the standards' XML catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree

DATA = Path(__file__).parent / "data" / "catalogue"


def everything_stored() -> list[str]:
    """Every string the catalogue holds, casefolded with whitespace collapsed."""
    from qoima.catalogue.models import (
        Authority,
        AuthorityRelation,
        Description,
        DescriptionDate,
        Repository,
        Term,
    )

    out: list[str] = []
    for d in Description.objects.all():
        out += [d.ref, d.identifier, d.level, d.title, d.publication_status, d.description_status, d.level_of_detail,
                d.description_identifier, d.institution_identifier, d.legacy_id, d.source,
                " ".join(d.languages), " ".join(d.scripts)]
        out += [v.value for v in d.texts.all()] + [v.lang for v in d.texts.all()]
    for x in DescriptionDate.objects.all():
        out += [x.expression, x.event_type, str(x.start), str(x.end)]
    for a in Authority.objects.all():
        out += [a.name, a.identifier, a.corporate_identifier, a.institution_identifier, a.dates_of_existence,
                a.kind, a.get_kind_display(), a.description_status, a.level_of_detail, str(a.date_start), str(a.date_end)]
        out += [n.value for n in a.names.all()] + [v.value for v in a.texts.all()]
    for r in AuthorityRelation.objects.all():
        out += [r.relation_type, r.description, r.dates, str(r.date_start), str(r.date_end)]
    for t in Term.objects.all():
        out += [t.label, t.taxonomy] + [lab.value for lab in t.labels.all()]
    for r in Repository.objects.all():
        out += [r.code, r.name, r.country_code, r.kind, r.website, r.email, r.legacy_id]
        out += [v.value for v in r.texts.all()]
    return [fold(s) for s in out if s]


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def missing_cells(csv_path: Path) -> list[str]:
    """Cells of an AtoM CSV whose value (each '|' part) is found nowhere in the database."""
    import csv

    from qoima.catalogue import dates

    stored = everything_stored()
    blob = "\n".join(stored)
    missing = []
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            for col, cell in row.items():
                for part in (cell or "").split("|"):
                    part = fold(part)
                    if not part or part == "null":
                        continue
                    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
                        iso = dates.parse_iso(part)
                        if iso and (str(iso) in blob or str(dates.parse_iso(part, end=True)) in blob):
                            continue
                    if part not in blob:
                        missing.append(f"row {n} {col}: {part[:60]}")
    return missing


def snapshot() -> dict:
    """Descriptions as comparable data (no database ids, no timestamps)."""
    from qoima.catalogue.models import Description

    out = {}
    for d in Description.objects.prefetch_related("texts", "dates", "agents__authority__names", "terms__labels"):
        out[d.ref] = {
            "parent": d.parent.ref if d.parent_id else None, "identifier": d.identifier, "level": d.level,
            "title": d.title, "original_lang": d.original_lang,
            "languages": sorted(d.languages), "scripts": sorted(d.scripts),
            # runs of spaces are insignificant in XML mixed content: compare them folded
            "texts": sorted((v.element, v.position, v.lang, re.sub(r"[ \t]+", " ", v.value), v.is_original)
                            for v in d.texts.all()),
            "dates": sorted((x.event_type, x.expression, x.lang, str(x.start), str(x.end)) for x in d.dates.all()),
            "agents": sorted((a.role, a.authority.name, tuple(sorted((n.value, n.lang) for n in a.authority.names.all()
                                                                     if n.form == "authorized")))
                             for a in d.agents.all()),
            "terms": sorted((t.taxonomy, t.label, tuple(sorted((lab.value, lab.lang) for lab in t.labels.all())))
                            for t in d.terms.all()),
        }
    return json.loads(json.dumps(out, ensure_ascii=False))


class CatalogResolver(etree.Resolver):
    """Resolve schema imports (xml.xsd, simpledc…) from the offline catalog, never the network."""

    def __init__(self, catalog: Path):
        super().__init__()
        self.base = catalog.parent
        tree = etree.parse(str(catalog))
        self.map = {e.get("name"): e.get("uri") for e in tree.iter("{*}uri")}

    def resolve(self, url, pubid, context):
        if url in self.map:
            return self.resolve_filename(str(self.base / self.map[url]), context)
        return None


def schema(standards: Path, relative: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(CatalogResolver(standards / "schemas" / "catalog.xml"))
    return etree.XMLSchema(etree.parse(str(standards / "schemas" / relative), parser))


def wipe_catalogue() -> None:
    """Empty the catalogue as a fresh home would be (children before parents: PROTECT)."""
    from qoima.catalogue.models import Authority, Description, Repository, Term

    for d in Description.objects.order_by("-depth"):
        d.delete()
    Authority.objects.all().delete()
    Term.objects.all().delete()
    Repository.objects.all().delete()
