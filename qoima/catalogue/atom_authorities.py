"""AtoM 2.x authority-record CSV (ISAAR(CPF)) and its companion relationships CSV.

`import_authorities(path)` tells the two apart by their header: a file with
`subjectAuthorizedFormOfName` is the relationships template (ISAAR 5.3), anything else the
authority template. Rows repeating a record (same legacyId, else descriptionIdentifier, else
authorized form of name) in another `culture` are translations. Re-import updates in place.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from qoima.catalogue import batch, codes, csvread, dates, languages
from qoima.catalogue.importing import (
    KIND_WORDS,
    CatalogueImportError,
    ImportReport,
    add_authority_name,
    add_term_label,
    find_term,
    split_pipes,
)
from qoima.catalogue.models import Authority, AuthorityName, AuthorityRelation, Method, Term

TEXT_COLUMNS = {
    "history": "history", "places": "places", "legalStatus": "legal_status", "functions": "functions",
    "mandates": "mandates", "internalStructures": "internal_structures", "generalContext": "general_context",
    "rules": "rules", "sources": "sources", "maintenanceNotes": "maintenance_notes",
    "revisionHistory": "revision_history",
}
NAME_FORMS = {"parallelFormsOfName": AuthorityName.Form.PARALLEL,
              "standardizedFormsOfName": AuthorityName.Form.STANDARDIZED,
              "otherFormsOfName": AuthorityName.Form.OTHER}
EXTRA = {"digitalObjectPath": "digital_object_path", "digitalObjectURI": "digital_object_uri"}
STRUCTURE = {"legacyId", "culture", "typeOfEntity", "authorizedFormOfName", "corporateBodyIdentifiers",
             "datesOfExistence", "descriptionIdentifier", "institutionIdentifier", "status", "levelOfDetail",
             "actorOccupations", "actorOccupationNotes", "subjectAccessPoints", "placeAccessPoints", "entityType"}
KNOWN = set(TEXT_COLUMNS) | set(NAME_FORMS) | set(EXTRA) | STRUCTURE
RELATION_COLUMNS = {"subjectAuthorizedFormOfName", "relationType", "objectAuthorizedFormOfName", "description",
                    "date", "startDate", "endDate", "culture"}
SOURCE_PREFIX = "atom-csv-authorities:"
OPEN_END = re.compile(r"present|now|today|по\s*наст|н\.\s*в\.|қазір|осы\s*уақыт|حتى الآن|تاکنون", re.IGNORECASE)


def _culture(name: str, row: csvread.CsvRow, default: str) -> str:
    """The row's tag: culture plus the script of its text when unusual for the language (kk in Latin)."""
    raw = row.get("culture") or default
    try:
        tag = codes.to_bcp47(raw)
    except languages.LanguageTagError:
        raise CatalogueImportError(name, f"not a language code: {raw!r}", row=row.number, column="culture") from None
    sample = " ".join(row.get(c) for c in ("authorizedFormOfName", *TEXT_COLUMNS) if row.get(c))
    return languages.resolve(tag, sample)[0]


def import_authorities(path: str | Path, *, source: str | None = None, default_culture: str = "en",
                       strict: bool = False) -> ImportReport:
    """Import an authority-record CSV, or a relationships CSV (told apart by the header)."""
    path = Path(path)
    table = csvread.read(path, KNOWN | RELATION_COLUMNS)
    if "subjectAuthorizedFormOfName" in table.header:
        return _relations(table, default_culture)
    if "authorizedFormOfName" not in table.header:
        raise CatalogueImportError(table.name, "not an AtoM authority record CSV: no authorizedFormOfName column "
                                               "(nor subjectAuthorizedFormOfName for relationships)", row=1)
    report = ImportReport(source=f"{SOURCE_PREFIX}{source or path.name}")
    unknown = sorted(h for h in table.header if h and h not in KNOWN)
    if unknown:
        if strict:
            raise CatalogueImportError(table.name, f"unknown column(s): {', '.join(unknown)}", row=1, column=unknown[0])
        report.warn(f"{table.name}: column(s) not in the AtoM template, kept as labelled maintenance notes: "
                    f"{', '.join(unknown)}")
    with transaction.atomic(), batch.batch():
        records: dict[str, tuple[Authority, str, csvread.CsvRow]] = {}
        for row in table.rows:
            lang = _culture(table.name, row, default_culture)
            key = row.get("legacyId") or row.get("descriptionIdentifier") or row.get("authorizedFormOfName")
            if not key:
                raise CatalogueImportError(table.name, "no authorized form of name", row=row.number,
                                           column="authorizedFormOfName")
            if key in records:
                auth, first_lang, first_row = records[key]
                if lang == first_lang:
                    raise CatalogueImportError(table.name, f"record {key!r} appears again with the same culture "
                                                           f"{lang} (first at row {first_row.number})", row=row.number)
                _write(auth, row, lang, False, unknown, report)
                report.translations += 1
                continue
            auth = _upsert(table.name, row, key, lang, report)
            _write(auth, row, lang, True, unknown, report)
            records[key] = (auth, lang, row)
    return report


def _upsert(name: str, row: csvread.CsvRow, key: str, lang: str, report: ImportReport) -> Authority:
    kind_word = (row.get("typeOfEntity") or row.get("entityType")).strip().lower()
    if kind_word and kind_word not in KIND_WORDS:
        raise CatalogueImportError(name, f"unknown type of entity {row.get('typeOfEntity')!r} "
                                         "(use Person, Corporate body or Family)", row=row.number, column="typeOfEntity")
    auth = Authority.objects.filter(source=report.source, legacy_id=key).first()
    if auth is None and row.get("authorizedFormOfName"):
        auth = (Authority.objects.filter(source="", names__value=row.get("authorizedFormOfName"))
                .distinct().order_by("pk").first())  # created by a description import: complete it
    start, end = dates.normalize(row.get("datesOfExistence"))
    if OPEN_END.search(row.get("datesOfExistence")):
        end = None  # "1990 - present": still existing
    fields = dict(
        kind=KIND_WORDS.get(kind_word, Authority.Kind.PERSON), name=row.get("authorizedFormOfName")[:500],
        identifier=row.get("descriptionIdentifier")[:200],
        corporate_identifier=row.get("corporateBodyIdentifiers")[:200],
        institution_identifier=row.get("institutionIdentifier")[:500],
        dates_of_existence=row.get("datesOfExistence")[:500], date_start=start, date_end=end,
        description_status=row.get("status")[:40], level_of_detail=row.get("levelOfDetail")[:40],
        source=report.source, legacy_id=key[:200])
    if auth is None:
        auth = Authority.objects.create(**fields)
        report.created += 1
    else:
        for k, v in fields.items():
            setattr(auth, k, v)
        auth.save()
        auth.names.all().delete()
        auth.texts.exclude(method__in=[Method.MACHINE, Method.REVIEWED]).delete()
        auth.terms.clear()
        report.updated += 1
    return auth


def _write(auth: Authority, row: csvread.CsvRow, lang: str, original: bool, unknown: list[str],
           report: ImportReport) -> None:
    method = Method.ORIGINAL if original else Method.HUMAN
    add_authority_name(auth, row.get("authorizedFormOfName"), lang, AuthorityName.Form.AUTHORIZED, original=original)
    for col, form in NAME_FORMS.items():
        for v in split_pipes(row.get(col)):
            add_authority_name(auth, v, lang, form, original=original)
    for col, element in TEXT_COLUMNS.items():
        if row.get(col):
            auth.set_text(element, row.get(col), lang, original=original, method=method)
    if row.get("datesOfExistence") and not original and row.get("datesOfExistence") != auth.dates_of_existence:
        auth.set_text("dates_of_existence", row.get("datesOfExistence"), lang, original=False, method=method)
    if original:
        for col, element in EXTRA.items():
            if row.get(col):
                auth.set_text(element, row.get(col), "zxx", script="Zyyy")
    occupations = split_pipes(row.get("actorOccupations"))
    notes = split_pipes(row.get("actorOccupationNotes"))
    for i, occ in enumerate(occupations):
        if occ:
            auth.terms.add(find_term(Term.Taxonomy.OCCUPATION, occ, lang))
        if i < len(notes) and notes[i]:
            auth.set_text("occupation_note", f"{occ}: {notes[i]}" if occ else notes[i], lang, position=i,
                          original=original, method=method)
    for col, taxonomy in (("subjectAccessPoints", Term.Taxonomy.SUBJECT), ("placeAccessPoints", Term.Taxonomy.PLACE)):
        for label in split_pipes(row.get(col)):
            if label:
                term = find_term(taxonomy, label, lang)
                auth.terms.add(term)
                add_term_label(term, label, lang)
    for i, col in enumerate(unknown):
        if row.get(col):
            auth.set_text("maintenance_notes", f"{col}: {row.get(col)}", lang, position=100 + i,
                          original=original, method=method)


def _relations(table: csvread.CsvTable, default_culture: str) -> ImportReport:
    report = ImportReport(source=f"{SOURCE_PREFIX}relations:{table.name}")
    unknown = sorted(h for h in table.header if h and h not in RELATION_COLUMNS)
    if unknown:
        report.warn(f"{table.name}: column(s) not in the relationships template were ignored: {', '.join(unknown)}")

    def find(row: csvread.CsvRow, column: str) -> Authority:
        name = row.get(column)
        if not name:
            raise CatalogueImportError(table.name, "empty", row=row.number, column=column)
        auth = Authority.objects.filter(names__value=name).distinct().order_by("pk").first()
        if auth is None:
            raise CatalogueImportError(table.name, f"no authority record named {name!r} (import the authority "
                                                   "records first)", row=row.number, column=column)
        return auth

    with transaction.atomic(), batch.batch():
        for row in table.rows:
            _culture(table.name, row, default_culture)
            subject, obj = find(row, "subjectAuthorizedFormOfName"), find(row, "objectAuthorizedFormOfName")
            rtype = row.get("relationType")
            if not rtype:
                raise CatalogueImportError(table.name, "empty relation type", row=row.number, column="relationType")
            start = dates.parse_iso(row.get("startDate")) if row.get("startDate") else None
            end = dates.parse_iso(row.get("endDate"), end=True) if row.get("endDate") else None
            for col, raw, val in (("startDate", row.get("startDate"), start), ("endDate", row.get("endDate"), end)):
                if raw and val is None:
                    raise CatalogueImportError(table.name, f"not a date: {raw!r} (use YYYY-MM-DD)", row=row.number,
                                               column=col)
            _, created = AuthorityRelation.objects.update_or_create(
                source=subject, target=obj, relation_type=rtype[:100],
                defaults=dict(description=row.get("description"), dates=row.get("date")[:200],
                              date_start=start, date_end=end))
            report.relations += 1
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report
