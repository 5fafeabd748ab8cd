"""Descriptions as plain data (for `qoima catalogue list/show --json` and anything else that wants a
dictionary): every ISAD(G) area with every language value, dates, creators, access points."""

from __future__ import annotations

from qoima.catalogue import hierarchy
from qoima.catalogue.exporting import load, visible
from qoima.catalogue.models import ISAD_AREAS, ISAD_ELEMENTS, AuthorityName, Description


def listing(under: str | None = None, user=None) -> list[dict]:
    """`{"ref", "level", "title", "parent"}` for every description (under `under`), in tree order."""
    if under:
        root = load(under, user)
        qs = hierarchy.subtree(root)
    else:
        qs = Description.objects.all()
    qs = visible(qs, user).select_related("parent").order_by("path").only("ref", "level", "title", "parent__ref")
    return [{"ref": d.ref, "level": d.level, "title": d.title, "parent": d.parent.ref if d.parent_id else None}
            for d in qs.iterator(chunk_size=2000)]


def _value(v) -> dict:
    return {"value": v.value, "lang": v.lang, "script": v.script, "dir": v.dir, "position": v.position,
            "original": v.is_original, "method": v.method, "translator": v.translator or None}


def describe(d: Description | str, user=None) -> dict:
    """One description with all it holds."""
    d = load(d, user)
    texts = sorted(d.texts.all(), key=lambda v: (v.element, v.position, not v.is_original, v.lang))
    by_element: dict[str, list[dict]] = {}
    for v in texts:
        by_element.setdefault(v.element, []).append(_value(v))
    areas = []
    for number, label in ISAD_AREAS:
        elements = []
        for key, num, el_label in ISAD_ELEMENTS:
            if not num.startswith(number + "."):
                continue
            values = by_element.get(key, [])
            if key == "reference_code":
                values = [{"value": d.ref}]
            elif key == "level":
                values = [{"value": d.level}]
            elif key == "dates":
                values = [_date(x) for x in d.dates.all()] + by_element.get("dates", [])
            elif key == "creators":
                values = [_agent(a) for a in d.agents.all() if a.role != "subject"]
            if values:
                elements.append({"element": key, "number": num, "label": el_label, "values": values})
        areas.append({"number": number, "label": label, "elements": elements})
    isad_keys = {k for k, _, _ in ISAD_ELEMENTS}
    other = {k: v for k, v in by_element.items() if k not in isad_keys and k != "dates"}
    terms: dict[str, list[dict]] = {}
    for t in d.terms.all():
        terms.setdefault(t.taxonomy, []).append(
            {"label": t.label, "code": t.code or None,
             "labels": [{"value": lab.value, "lang": lab.lang, "script": lab.script, "original": lab.is_original}
                        for lab in t.labels.all()]})
    return {
        "ref": d.ref, "identifier": d.identifier, "level": d.level, "title": d.title,
        "parent": d.parent.ref if d.parent_id else None,
        "ancestors": [a.ref for a in hierarchy.ancestors(d)],
        "repository": {"code": d.repository.code, "name": d.repository.name,
                       "country": d.repository.country_code} if d.repository else None,
        "original_lang": d.original_lang, "languages": d.languages, "scripts": d.scripts,
        "dates": [_date(x) for x in d.dates.all()],
        "creators": [_agent(a) for a in d.agents.all() if a.role != "subject"],
        "access_points": {**terms, "names": [_agent(a) for a in d.agents.all() if a.role == "subject"]},
        "areas": areas,
        "other": other,
        "children_count": visible(hierarchy.children(d), user).count(),
        "access": {"status": d.access_status or "inherit", "in_force": d.effective_access,
                   "until": d.effective_until.isoformat() if d.effective_until else None,
                   "reason": d.effective_reason or None},
        "publication_status": d.publication_status, "description_identifier": d.description_identifier,
        "institution_identifier": d.institution_identifier, "description_status": d.description_status,
        "level_of_detail": d.level_of_detail, "source": d.source or None, "legacy_id": d.legacy_id or None,
        "date_start": d.date_start.isoformat() if d.date_start else None,
        "date_end": d.date_end.isoformat() if d.date_end else None,
    }


def _date(x) -> dict:
    return {"event_type": x.event_type, "expression": x.expression, "lang": x.lang or None,
            "start": x.start.isoformat() if x.start else None, "end": x.end.isoformat() if x.end else None}


def _agent(link) -> dict:
    a = link.authority
    return {"name": a.name, "role": link.role, "kind": a.kind, "identifier": a.identifier or None,
            "names": [{"value": n.value, "lang": n.lang, "script": n.script, "form": n.form}
                      for n in a.names.all() if n.form == AuthorityName.Form.AUTHORIZED]}
