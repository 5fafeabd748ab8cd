"""AtoM 2.x repository CSV (ISDIAH) into repositories: code, country, names in every culture, the
ISDIAH text areas, address and contact; control-area columns kept as extra values. Rows repeating a
legacyId (else identifier) in another `culture` are translations; re-import updates in place."""

from __future__ import annotations

from pathlib import Path

import pycountry
from django.db import transaction

from qoima.catalogue import batch, codes, csvread, languages
from qoima.catalogue.importing import (
    CatalogueImportError,
    ImportReport,
    repository_code_from_name,
    split_pipes,
)
from qoima.catalogue.models import Method, Repository

TEXT_COLUMNS = {
    "history": "history", "geoculturalContext": "geocultural_context", "mandates": "mandates",
    "internalStructures": "internal_structures", "collectingPolicies": "collecting_policies",
    "buildings": "buildings", "holdings": "holdings", "findingAids": "finding_aids",
    "openingTimes": "opening_times", "accessConditions": "access_conditions", "disabledAccess": "disabled_access",
    "researchServices": "research_services", "reproductionServices": "reproduction_services",
    "publicFacilities": "public_facilities", "descriptionRules": "rules",
    "descriptionRevisionHistory": "revision_history", "descriptionSources": "sources",
    "maintenanceNote": "maintenance_notes", "institutionIdentifier": "institution_identifier",
}
LIST_COLUMNS = {"parallelFormsOfName": "parallel_name", "otherFormsOfName": "other_name",
                "geographicSubregions": "geographic_subregions", "thematicAreas": "thematic_areas"}
CODE_COLUMNS = {"uploadLimit": "upload_limit", "descriptionIdentifier": "description_identifier",
                "descriptionStatus": "description_status", "levelOfDetail": "level_of_detail",
                "language": "description_languages", "script": "description_scripts", "fax": "fax",
                "telephone": "telephone"}
STRUCTURE = {"legacyId", "identifier", "authorizedFormOfName", "types", "contactPerson", "streetAddress", "city",
             "region", "country", "postalCode", "email", "website", "culture", "countryCode"}
KNOWN = set(TEXT_COLUMNS) | set(LIST_COLUMNS) | set(CODE_COLUMNS) | STRUCTURE


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 for a country name or code ('United States' -> 'US'); '' if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        try:
            return pycountry.countries.search_fuzzy(value)[0].alpha_2
        except LookupError:
            return ""


def import_repositories(path: str | Path, *, default_culture: str = "en", strict: bool = False) -> ImportReport:
    path = Path(path)
    table = csvread.read(path, KNOWN)
    if "authorizedFormOfName" not in table.header:
        raise CatalogueImportError(table.name, "not an AtoM repository CSV: no authorizedFormOfName column", row=1)
    report = ImportReport(source=f"atom-csv-repositories:{path.name}")
    unknown = sorted(h for h in table.header if h and h not in KNOWN)
    if unknown:
        if strict:
            raise CatalogueImportError(table.name, f"unknown column(s): {', '.join(unknown)}", row=1, column=unknown[0])
        report.warn(f"{table.name}: column(s) not in the AtoM template, kept as labelled maintenance notes: "
                    f"{', '.join(unknown)}")
    with transaction.atomic(), batch.batch():
        seen: dict[str, tuple[Repository, str, int]] = {}
        for row in table.rows:
            raw = row.get("culture") or default_culture
            try:
                lang = codes.to_bcp47(raw)
            except languages.LanguageTagError:
                raise CatalogueImportError(table.name, f"not a language code: {raw!r}", row=row.number,
                                           column="culture") from None
            key = row.get("legacyId") or row.get("identifier") or row.get("authorizedFormOfName")
            if not key:
                raise CatalogueImportError(table.name, "no authorized form of name", row=row.number,
                                           column="authorizedFormOfName")
            if key in seen:
                repo, first_lang, first_row = seen[key]
                if lang == first_lang:
                    raise CatalogueImportError(table.name, f"repository {key!r} appears again with the same culture "
                                                           f"{lang} (first at row {first_row})", row=row.number)
                _write(repo, row, lang, False, unknown)
                report.translations += 1
                continue
            repo = _upsert(table.name, row, key, report)
            _write(repo, row, lang, True, unknown)
            seen[key] = (repo, lang, row.number)
            report.refs.append(repo.code)
    return report


def _upsert(name: str, row: csvread.CsvRow, key: str, report: ImportReport) -> Repository:
    code = row.get("identifier") or repository_code_from_name(row.get("authorizedFormOfName"))
    cc = ""
    if row.get("countryCode") or row.get("country"):
        cc = country_code(row.get("countryCode") or row.get("country"))
        if not cc:
            report.warn(f"{name}, row {row.number}, column country: {row.get('country')!r} is not a country "
                        "known to ISO 3166; kept in the address only")
    repo = (Repository.objects.filter(legacy_id=key).first() if row.get("legacyId") else None) or \
        Repository.objects.filter(code__iexact=code).first()
    fields = dict(code=code[:64], name=row.get("authorizedFormOfName")[:500], country_code=cc,
                  kind=", ".join(x for x in split_pipes(row.get("types")) if x)[:200],
                  website=row.get("website")[:200], email=row.get("email")[:254], legacy_id=key[:100])
    if repo is None:
        if Repository.objects.filter(code__iexact=code).exists():
            raise CatalogueImportError(name, f"repository code {code!r} is taken", row=row.number, column="identifier")
        repo = Repository.objects.create(**fields)
        report.created += 1
    else:
        for k, v in fields.items():
            setattr(repo, k, v)
        repo.save()
        repo.texts.exclude(method__in=[Method.MACHINE, Method.REVIEWED]).delete()
        report.updated += 1
    report.repositories += 1
    return repo


def _write(repo: Repository, row: csvread.CsvRow, lang: str, original: bool, unknown: list[str]) -> None:
    method = Method.ORIGINAL if original else Method.HUMAN

    def put(element: str, value: str, position: int = 0, tag: str | None = None) -> None:
        if value:
            repo.set_text(element, value, tag or lang, script="Zyyy" if tag == "zxx" else "", position=position,
                          original=original if tag != "zxx" else True,
                          method=method if tag != "zxx" else Method.ORIGINAL)

    put("authorized_name", row.get("authorizedFormOfName"))
    for col, element in TEXT_COLUMNS.items():
        put(element, row.get(col))
    for col, element in LIST_COLUMNS.items():
        for i, v in enumerate(split_pipes(row.get(col))):
            put(element, v, i)
    address = "\n".join(x for x in (row.get("streetAddress"), " ".join(
        x for x in (row.get("city"), row.get("region"), row.get("postalCode")) if x), row.get("country")) if x)
    put("address", address)
    contact = "\n".join(x for x in (row.get("contactPerson"),
                                    f"Tel. {row.get('telephone')}" if row.get("telephone") else "",
                                    f"Fax {row.get('fax')}" if row.get("fax") else "", row.get("email")) if x)
    put("contact", contact)
    if original:
        for col, element in CODE_COLUMNS.items():
            value = row.get(col)
            if col == "language":
                value = " ".join(x for x in split_pipes(value) if x)
            elif col == "script":
                value = " ".join(codes.script_code(x) or x for x in split_pipes(value) if x)
            put(element, value, tag="zxx")
    for i, col in enumerate(unknown):
        put("maintenance_notes", f"{col}: {row.get(col)}" if row.get(col) else "", 100 + i)
