"""The demo collection: a small multilingual fonds of international archival cooperation.

The data lives in `demo_data/cooperation.json` (see its "about"); it is loaded through the same
catalogue operations an import uses (`hierarchy.create`, `set_text`, `hierarchy.set_access`), in
one transaction, and loading it again updates instead of duplicating.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from qoima.catalogue import dates as date_parsing
from qoima.catalogue import hierarchy, languages
from qoima.catalogue.models import (
    AgentLink,
    Authority,
    AuthorityName,
    Description,
    DescriptionDate,
    Method,
    Multilingual,
    Repository,
    Term,
    TermLabel,
)

DATA = Path(__file__).resolve().parent / "demo_data" / "cooperation.json"
SOURCE = "demo:cooperation"


def _iso(value: str | None, end: bool = False) -> date | None:
    return date_parsing.parse_iso(value, end=end) if value else None


def _write_texts(obj: Multilingual, element: str, values: dict[str, str], spec: dict, translators: dict) -> None:
    """Write one element in every language: the original first, then translations with provenance."""
    original = languages.normalize_tag(spec["lang"])
    if original not in {languages.normalize_tag(t) for t in values}:
        original = languages.normalize_tag(next(iter(values)))  # element written in another language
    tags = sorted(values, key=lambda t: languages.normalize_tag(t) != original)
    for tag in tags:
        norm = languages.normalize_tag(tag)
        if norm == original:
            obj.set_text(element, values[tag], norm, original=True, method=Method.ORIGINAL)
            continue
        method = (Method.MACHINE if tag in spec.get("machine", []) else
                  Method.REVIEWED if tag in spec.get("reviewed", []) else Method.HUMAN)
        obj.set_text(element, values[tag], norm, original=False, method=method, translator=translators.get(method, ""))


def _repository(spec: dict, translators: dict) -> Repository:
    names = spec["texts"]["authorized_name"]
    repo, _ = Repository.objects.update_or_create(
        code=spec["code"], defaults={"country_code": spec.get("country_code", ""), "name": names[spec["lang"]]})
    for element, values in spec.get("texts", {}).items():
        _write_texts(repo, element, values, spec, translators)
    return repo


def _term(spec: dict) -> Term:
    term, _ = Term.objects.get_or_create(taxonomy=spec["taxonomy"], label=spec["labels"][spec["lang"]])
    for tag, value in spec["labels"].items():
        norm, script = languages.resolve(tag, value)
        TermLabel.objects.update_or_create(term=term, lang=norm, value=value,
                                           defaults={"script": script, "is_original": tag == spec["lang"]})
    return term


def _authority(spec: dict, translators: dict) -> Authority:
    authorized = next(n for n in spec["names"] if n.get("original"))
    a, _ = Authority.objects.update_or_create(
        identifier=spec["identifier"], source=SOURCE,
        defaults={"kind": spec["kind"], "name": authorized["value"], "legacy_id": spec["key"],
                  "dates_of_existence": spec.get("dates_of_existence", ""),
                  "date_start": _iso(spec.get("start")), "date_end": _iso(spec.get("end"), end=True)})
    for n in spec["names"]:
        value = languages.nfc(n["value"])
        tag, script = languages.resolve(n["lang"], value)
        AuthorityName.objects.update_or_create(
            authority=a, form=n["form"], lang=tag, value=value,
            defaults={"script": script, "scheme": n.get("scheme", ""), "is_original": bool(n.get("original"))})
    for element, values in spec.get("texts", {}).items():
        _write_texts(a, element, values, spec, translators)
    return a


def _description(spec: dict, parent: Description | None, repos: dict, authorities: dict, terms: dict,
                 translators: dict, counter: list[int]) -> None:
    repo = repos.get(spec.get("repository")) if parent is None else parent.repository
    ref = hierarchy.build_ref(repo, parent, spec["id"])
    d = Description.objects.filter(ref=ref).first()
    if d is None:
        d = hierarchy.create(identifier=spec["id"], level=spec["level"], parent=parent, repository=repo,
                             source=SOURCE, legacy_id=ref)
    elif d.level != spec["level"]:
        Description.objects.filter(pk=d.pk).update(level=spec["level"])
    _write_texts(d, "title", spec["title"], spec, translators)
    for element, values in spec.get("texts", {}).items():
        _write_texts(d, element, values, spec, translators)

    d.dates.all().delete()
    for position, written in enumerate(spec.get("dates", [])):
        start, end = _iso(written.get("start")), _iso(written.get("end"), end=True)
        for tag, expression in written.items():
            if tag in ("start", "end", "event_type"):
                continue
            s, e = (start, end) if start or end else date_parsing.normalize(expression)
            DescriptionDate.objects.create(description=d, expression=expression, lang=languages.normalize_tag(tag),
                                           start=s, end=e, position=position,
                                           event_type=written.get("event_type", "creation"))
    hierarchy.refresh_dates(d)

    material = spec.get("material", {})
    Description.objects.filter(pk=d.pk).update(languages=material.get("languages", []),
                                               scripts=material.get("scripts", []), original_lang=spec["lang"])
    for key, role in spec.get("agents", []):
        AgentLink.objects.get_or_create(description=d, authority=authorities[key], role=role)
    d.terms.add(*[terms[k] for k in spec.get("terms", [])])

    rule = spec.get("access", {})
    status, until, reason = rule.get("status", ""), _iso(rule.get("until")), rule.get("reason", "")
    if (d.access_status, d.access_until, d.access_reason) != (status, until, reason):
        hierarchy.set_access(d, status, until, reason)
    counter[0] += 1
    d.refresh_from_db()
    for child in spec.get("children", []):
        _description(child, d, repos, authorities, terms, translators, counter)


@transaction.atomic
def load(home: Path | None = None, path: Path = DATA) -> dict[str, int]:
    """Load (or refresh) the demo collection; returns how many records of each kind it holds."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    translators = data.get("translators", {})
    repos = {r["code"]: _repository(r, translators) for r in data["repositories"]}
    terms = {t["key"]: _term(t) for t in data["terms"]}
    authorities = {a["key"]: _authority(a, translators) for a in data["authorities"]}
    counter = [0]
    for root in data["descriptions"]:
        _description(root, None, repos, authorities, terms, translators, counter)
    return {"repositories": len(repos), "authorities": len(authorities), "terms": len(terms),
            "descriptions": counter[0]}
