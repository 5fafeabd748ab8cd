"""AtoM 2.x archival-description CSV (ISAD(G) and RAD templates) into the catalogue.

Every non-empty cell lands somewhere:
- ISAD(G) text columns become values of the matching element in the row's `culture`;
- RAD-only columns are added to the nearest ISAD(G) element as further (labelled) values, e.g.
  `radNoteConservation` -> physical characteristics, publisher's series -> publication note
  (see RAD_COLUMNS);
- structured columns go to columns and related tables (levels, languages, dates, creators, terms);
- what ISAD(G) has no element for (accession number, alternative identifiers, digital object path and
  URI, languages of description) is kept as a value of an extra element (EXTRA_ELEMENTS) tagged `zxx`
  when it is a code rather than text;
- columns this importer does not know are reported as a warning and their values kept as labelled
  notes (`--strict` refuses them instead).

Rows sharing a legacyId are one description: the first row is the original, later rows in another
`culture` are translations (method "human"). Parents may come later in the file or from an earlier
import with the same source. Re-importing updates in place (key: source + legacyId).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from qoima.catalogue import batch, codes, csvread, dates, hierarchy, languages
from qoima.catalogue.importing import (
    CatalogueImportError,
    ImportReport,
    add_authority_name,
    add_term_label,
    find_authority,
    find_repository,
    find_term,
    split_pipes,
)
from qoima.catalogue.models import AgentLink, Description, DescriptionDate, Method, Term
from qoima.catalogue.placing import add_texts, clear_imported_content, upsert

# Single-valued translatable columns -> element.
TEXT_COLUMNS = {
    "title": "title", "alternateTitle": "alternative_title", "extentAndMedium": "extent_and_medium",
    "archivalHistory": "archival_history", "acquisition": "acquisition", "scopeAndContent": "scope_and_content",
    "appraisal": "appraisal", "accruals": "accruals", "arrangement": "arrangement",
    "accessConditions": "access_conditions", "reproductionConditions": "reproduction_conditions",
    "languageNote": "language_note", "physicalCharacteristics": "physical_characteristics",
    "findingAids": "finding_aids", "locationOfOriginals": "location_of_originals",
    "locationOfCopies": "location_of_copies", "relatedUnitsOfDescription": "related_units",
    "rules": "rules", "revisionHistory": "description_dates", "sources": "sources",
}
# Notes AtoM repeats with '|' -> element.
NOTE_COLUMNS = {"generalNote": "note", "publicationNote": "publication_note", "archivistNote": "archivist_note"}
# RAD-only columns -> (nearest ISAD(G) element, label kept in front of the value).
RAD_COLUMNS = {
    "radGeneralMaterialDesignation": ("extent_and_medium", "General material designation"),
    "radOtherTitleInformation": ("alternative_title", "Other title information"),
    "radTitleParallelTitles": ("alternative_title", "Parallel titles and other title information"),
    "radTitleVariationsInTitle": ("alternative_title", "Variations in title"),
    "radTitleStatementOfResponsibility": ("note", "Statement of responsibility"),
    "radTitleStatementOfResponsibilityNote": ("note", "Statement of responsibility note"),
    "radTitleAttributionsAndConjectures": ("note", "Attributions and conjectures"),
    "radTitleContinues": ("note", "Continuation of title"),
    "radTitleSourceOfTitleProper": ("note", "Source of title proper"),
    "radEdition": ("note", "Edition statement"),
    "radEditionStatementOfResponsibility": ("note", "Statement of responsibility relating to the edition"),
    "radStatementOfScaleCartographic": ("extent_and_medium", "Statement of scale (cartographic)"),
    "radStatementOfProjection": ("extent_and_medium", "Statement of projection"),
    "radStatementOfCoordinates": ("extent_and_medium", "Statement of coordinates"),
    "radStatementOfScaleArchitectural": ("extent_and_medium", "Statement of scale (architectural)"),
    "radIssuingJurisdiction": ("extent_and_medium", "Issuing jurisdiction and denomination"),
    "radTitleProperOfPublishersSeries": ("publication_note", "Title proper of publisher's series"),
    "radParallelTitlesOfPublishersSeries": ("publication_note", "Parallel titles of publisher's series"),
    "radOtherTitleInformationOfPublishersSeries": ("publication_note",
                                                   "Other title information of publisher's series"),
    "radStatementOfResponsibilityRelatingToPublishersSeries": (
        "publication_note", "Statement of responsibility relating to publisher's series"),
    "radNumberingWithinPublishersSeries": ("publication_note", "Numbering within publisher's series"),
    "radPublishersSeriesNote": ("publication_note", "Publisher's series note"),
    "radNoteOnPublishersSeries": ("publication_note", "Note on publisher's series"),
    "radNotePublishersSeries": ("publication_note", "Publisher's series note"),
    "radNoteAccompanyingMaterial": ("extent_and_medium", "Accompanying material"),
    "radNoteAlphaNumericDesignation": ("note", "Alpha-numeric designations"),
    "radNoteConservation": ("physical_characteristics", "Conservation"),
    "radNoteEdition": ("note", "Edition"),
    "radNotePhysicalDescription": ("physical_characteristics", "Physical description"),
    "radNoteRights": ("reproduction_conditions", "Rights"),
    "radNoteSignaturesInscriptions": ("note", "Signatures and inscriptions"),
    "radNoteCast": ("note", "Cast"),
    "radNoteCredits": ("note", "Credits"),
    "radNoteGeneral": ("note", ""),
    "radNoteSourceOfTitleProper": ("note", "Source of title proper"),
    "radStandardNumber": ("note", "Standard number"),
}
# Elements ISAD(G) lacks, kept as values (code-like ones tagged zxx, "no linguistic content").
EXTRA_ELEMENTS = {
    "accessionNumber": "accession_number", "digitalObjectPath": "digital_object_path",
    "digitalObjectURI": "digital_object_uri", "digitalObjectChecksum": "digital_object_checksum",
    "languageOfDescription": "description_languages", "scriptOfDescription": "description_scripts",
}
LIST_EXTRAS = {"languageOfDescription", "scriptOfDescription"}
EVENT_COLUMNS = ["eventActors", "eventActorHistories", "eventTypes", "eventDates", "eventStartDates",
                 "eventEndDates", "eventPlaces", "eventDescriptions"]
# Older AtoM (2.0–2.2) names of the event columns.
ALIASES = {
    "creators": "eventActors", "creatorHistories": "eventActorHistories", "creatorDates": "eventDates",
    "creatorDatesStart": "eventStartDates", "creatorDatesEnd": "eventEndDates", "creationDates": "eventDates",
    "creationDatesStart": "eventStartDates", "creationDatesEnd": "eventEndDates", "creationDatesType": "eventTypes",
    "creatorDateNotes": "eventDescriptions", "alternativeTitle": "alternateTitle",
}
ACCESS_POINTS = {"subjectAccessPoints": Term.Taxonomy.SUBJECT, "placeAccessPoints": Term.Taxonomy.PLACE,
                 "genreAccessPoints": Term.Taxonomy.GENRE}
STRUCTURE_COLUMNS = {
    "legacyId", "parentId", "qubitParentSlug", "identifier", "levelOfDescription", "repository", "culture",
    "language", "script", "descriptionIdentifier", "institutionIdentifier", "descriptionStatus",
    "levelOfDetail", "publicationStatus", "physicalObjectName", "physicalObjectLocation", "physicalObjectType",
    "alternativeIdentifiers", "alternativeIdentifierLabels", "nameAccessPoints", "updateType",
}
KNOWN_COLUMNS = (set(TEXT_COLUMNS) | set(NOTE_COLUMNS) | set(RAD_COLUMNS) | set(EXTRA_ELEMENTS)
                 | set(EVENT_COLUMNS) | set(ACCESS_POINTS) | STRUCTURE_COLUMNS)
# Columns that hold the same thing in every culture: a translation row repeating them changes nothing.
LANGUAGE_NEUTRAL = {"legacyId", "parentId", "qubitParentSlug", "identifier", "levelOfDescription", "repository",
                    "language", "script", "descriptionIdentifier", "descriptionStatus", "levelOfDetail",
                    "publicationStatus", "eventStartDates", "eventEndDates", "digitalObjectPath",
                    "digitalObjectURI", "digitalObjectChecksum", "accessionNumber", "languageOfDescription",
                    "scriptOfDescription", "eventTypes", "updateType", "alternativeIdentifiers",
                    "radStandardNumber", "physicalObjectType"}
LEVEL_ALIASES = {"sub-fonds": "subfonds", "sous-fonds": "subfonds", "sub-series": "subseries",
                 "sous-série": "subseries", "sub fonds": "subfonds", "sub series": "subseries",
                 "record group": "recordgrp", "recordgroup": "recordgrp"}
ROLES = {"creation": "creator", "accumulation": "accumulator", "contribution": "contributor",
         "publication": "publisher", "collection": "collector", "custody": "custodian",
         "distribution": "distributor", "manufacturing": "manufacturer", "broadcasting": "broadcaster"}


@dataclass
class _Record:
    key: str
    row: csvread.CsvRow
    culture: str
    translations: list[tuple[csvread.CsvRow, str]] = field(default_factory=list)
    description: Description | None = None
    terms: dict[str, list[Term]] = field(default_factory=dict)
    event_authorities: list = field(default_factory=list)
    name_authorities: list = field(default_factory=list)


def normalize_level(value: str) -> str:
    v = languages.nfc(value).strip().lower()
    return LEVEL_ALIASES.get(v, v)


class _Importer:
    def __init__(self, path: Path, source: str, default_culture: str, strict: bool):
        self.path = path
        self.name = path.name
        self.source = source
        self.default_culture = default_culture
        self.strict = strict
        self.report = ImportReport(source=source)

    def fail(self, row: int | None, column: str | None, problem: str):
        raise CatalogueImportError(self.name, problem, row=row, column=column)

    # --- reading ---------------------------------------------------------------------------------
    def read(self) -> list[_Record]:
        table = csvread.read(self.path, KNOWN_COLUMNS | set(ALIASES))
        header = set(table.header)
        for old, new in ALIASES.items():
            if old in header and new not in header:
                for r in table.rows:
                    if old in r.cells:
                        r.cells[new] = r.cells.pop(old)
                header = (header - {old}) | {new}
        if "title" not in header and "legacyId" not in header:
            self.fail(1, None, "this is not an AtoM archival description CSV: no legacyId or title column "
                               f"(columns found: {', '.join(table.header[:8])}…)")
        unknown = sorted(h for h in header if h and h not in KNOWN_COLUMNS)
        if unknown:
            if self.strict:
                self.fail(1, unknown[0], f"unknown column(s): {', '.join(unknown)}")
            self.report.warn(f"{self.name}: column(s) not in the AtoM templates, kept as labelled notes: "
                             f"{', '.join(unknown)}")
        self.unknown = unknown
        records: OrderedDict[str, _Record] = OrderedDict()
        for row in table.rows:
            culture = self.culture_of(row)
            key = row.get("legacyId")
            if not key:
                key = f"row{row.number}"
                self.report.warn(f"{self.name}, row {row.number}: no legacyId; re-importing this file cannot "
                                 "recognise this row and children cannot point to it")
            rec = records.get(key)
            if rec is None:
                records[key] = _Record(key, row, culture)
                continue
            seen = [rec.culture] + [c for _, c in rec.translations]
            if culture in seen:
                first = rec.row.number if culture == rec.culture else next(
                    r.number for r, c in rec.translations if c == culture)
                self.fail(row.number, "legacyId", f"legacyId {key} appears again with the same culture {culture} "
                                                  f"(first at row {first}); a translation needs another culture")
            rec.translations.append((row, culture))
        return list(records.values())

    def culture_of(self, row: csvread.CsvRow) -> str:
        """The row's language tag: its culture, with the script its text is written in when that is not
        the language's usual one (a `kk` row in Latin letters is kk-Latn, a translation of the kk one)."""
        raw = row.get("culture") or self.default_culture
        try:
            tag = codes.to_bcp47(raw)
        except languages.LanguageTagError:
            self.fail(row.number, "culture", f"not a language code: {raw!r} (use e.g. en, kk, kk_Latn, ru, ar, fa)")
        sample = " ".join(row.get(c) for c in TEXT_COLUMNS if row.get(c))
        return languages.resolve(tag, sample)[0]

    # --- parents ------------------------------------------------------------------------------------
    def find_parent(self, rec: _Record, by_key: dict[str, _Record]) -> tuple[_Record | None, Description | None]:
        row = rec.row
        pid, slug = row.get("parentId"), row.get("qubitParentSlug")
        if pid:
            if pid == rec.key:
                self.fail(row.number, "parentId", f"a description cannot be its own parent (legacyId {pid})")
            if pid in by_key:
                return by_key[pid], None
            d = Description.objects.filter(source=self.source, legacy_id=pid).first()
            if d is None:
                others = list(Description.objects.filter(source__startswith="atom-csv:", legacy_id=pid)[:2])
                if len(others) == 1:
                    d = others[0]
                    self.report.warn(f"{self.name}, row {row.number}: parent legacyId {pid} found in an earlier "
                                     f"import ({d.source}): {d.ref}")
                elif len(others) > 1:
                    self.fail(row.number, "parentId", f"parent legacyId {pid} is ambiguous: several earlier imports "
                                                      "have it; import with --source NAME of the parents' import")
            if d is None:
                self.fail(row.number, "parentId", f"unknown parent legacyId {pid}")
            return None, d
        if slug:
            d = Description.objects.filter(ref=slug).first() or Description.objects.filter(ref__iexact=slug).first()
            if d is None:  # an AtoM slug is the slugified title
                words = slug.replace("-", " ")
                hits = list(Description.objects.filter(  # SQLite folds ASCII case only: try the usual cases
                    Q(title__iexact=words) | Q(title__in={words, words.capitalize(), words.title()}))[:2])
                if len(hits) == 1:
                    d = hits[0]
                elif len(hits) > 1:
                    self.fail(row.number, "qubitParentSlug", f"slug {slug!r} matches several titles; use the "
                                                             "parent's reference code")
            if d is None:
                self.fail(row.number, "qubitParentSlug", f"no description with reference code or slug {slug!r}")
            return None, d
        return None, None

    def order(self, records: list[_Record]) -> list[tuple[_Record, _Record | None, Description | None]]:
        """Parents before children; parents may be defined anywhere in the file."""
        by_key = {r.key: r for r in records}
        parents = {r.key: self.find_parent(r, by_key) for r in records}
        done: set[str] = set()
        out = []
        for rec in records:
            chain, cur = [], rec
            while cur.key not in done:
                if cur in chain:
                    self.fail(cur.row.number, "parentId", "parentId forms a cycle: " +
                              " -> ".join(c.key for c in chain[chain.index(cur):] + [cur]))
                chain.append(cur)
                prec, _ = parents[cur.key]
                if prec is None:
                    break
                cur = prec
            for c in reversed(chain):
                if c.key not in done:
                    done.add(c.key)
                    out.append((c, *parents[c.key]))
        return out

    # --- writing ------------------------------------------------------------------------------------
    def run(self) -> ImportReport:
        records = self.read()
        with transaction.atomic(), batch.batch():
            for rec, prec, pdesc in self.order(records):
                parent = prec.description if prec is not None else pdesc
                try:
                    self.write_main(rec, parent)
                except CatalogueImportError:
                    raise
                except (ValueError, hierarchy.HierarchyError) as e:
                    self.fail(rec.row.number, None, str(e))
            for rec in records:
                for row, culture in rec.translations:
                    try:
                        self.write_translation(rec, row, culture)
                    except CatalogueImportError:
                        raise
                    except ValueError as e:
                        self.fail(row.number, None, str(e))
                    self.report.translations += 1
            for rec in records:
                hierarchy.refresh_dates(rec.description)
                self.report.refs.append(rec.description.ref)
        return self.report

    def write_main(self, rec: _Record, parent: Description | None) -> None:
        row, n, lang = rec.row, rec.row.number, rec.culture
        repository = None
        if row.get("repository") and parent is None:
            repository = find_repository(row.get("repository"), lang=lang, report=self.report)
        elif row.get("repository") and parent is not None and parent.repository is not None:
            if row.get("repository") not in {parent.repository.name, parent.repository.code}:
                other = find_repository(row.get("repository"), create=False)
                if other is None or other.pk != parent.repository_id:
                    self.report.warn(f"{self.name}, row {n}: repository {row.get('repository')!r} differs from the "
                                     f"parent's ({parent.repository.name}); the parent's holds")
        fields = dict(
            description_identifier=row.get("descriptionIdentifier")[:200],
            institution_identifier=row.get("institutionIdentifier")[:500],
            description_status=row.get("descriptionStatus")[:40],
            level_of_detail=row.get("levelOfDetail")[:40],
            publication_status=(row.get("publicationStatus") or "published").lower()[:20],
            languages=self.language_list(row, "language"),
            scripts=self.script_list(row, "script"),
        )
        d, created = upsert(
            source=self.source, legacy_id=rec.key, identifier=row.get("identifier"),
            level=normalize_level(row.get("levelOfDescription")), parent=parent, repository=repository,
            key_segment=f"L{rec.key}", report=self.report, where=f"{self.name}, row {n}", fields=fields)
        if not created:
            clear_imported_content(d)
        rec.description = d
        self.write_values(rec, d, row, lang, original=True)

    def language_list(self, row: csvread.CsvRow, column: str) -> list[str]:
        out = []
        for code in split_pipes(row.get(column)):
            if not code:
                continue
            try:
                out.append(codes.to_bcp47(code))
            except languages.LanguageTagError:
                self.fail(row.number, column, f"not a language code: {code!r}")
        return out

    def script_list(self, row: csvread.CsvRow, column: str) -> list[str]:
        out = []
        for code in split_pipes(row.get(column)):
            if not code:
                continue
            s = codes.script_code(code)
            if not s:
                self.fail(row.number, column, f"not an ISO 15924 script code: {code!r} (e.g. Latn, Cyrl, Arab)")
            out.append(s)
        return out

    def write_values(self, rec: _Record, d: Description, row: csvread.CsvRow, lang: str, original: bool) -> None:
        method = Method.ORIGINAL if original else Method.HUMAN
        values: dict[str, list[tuple[str, str]]] = {}  # element -> [(value, script)]

        def add(element: str, value: str, label: str = "") -> None:
            if not value:
                return
            _, script = languages.resolve(lang, value)
            values.setdefault(element, []).append((f"{label}: {value}" if label else value, script))

        for col, element in TEXT_COLUMNS.items():
            add(element, row.get(col))
        for col, element in NOTE_COLUMNS.items():
            for v in split_pipes(row.get(col)):
                add(element, v)
        for col, (element, label) in RAD_COLUMNS.items():
            for v in split_pipes(row.get(col)):
                add(element, v, label)
        # Physical storage (AtoM physical objects): "type: name — location", one per pipe position.
        names, locs, types = (split_pipes(row.get(c)) for c in
                              ("physicalObjectName", "physicalObjectLocation", "physicalObjectType"))
        for i in range(max(len(names), len(locs), len(types))):
            name = names[i] if i < len(names) else ""
            loc = locs[i] if i < len(locs) else ""
            typ = types[i] if i < len(types) else ""
            text = " — ".join(x for x in (name, loc) if x)
            add("physical_location", f"{typ}: {text}" if typ and text else (text or typ))
        ids, labels = split_pipes(row.get("alternativeIdentifiers")), split_pipes(row.get("alternativeIdentifierLabels"))
        for i in range(max(len(ids), len(labels))):
            ident = ids[i] if i < len(ids) else ""
            label = labels[i] if i < len(labels) else ""
            add("alternative_identifier", f"{label}: {ident}" if label and ident else (ident or label))
        types = split_pipes(row.get("eventTypes"))
        for i, note in enumerate(split_pipes(row.get("eventDescriptions"))):
            typ = (types[i] if i < len(types) else "") or "Creation"
            add("note", note, f"Event ({typ})")
        for col in self.unknown:
            add("note", row.get(col), col)
        if row.get("institutionIdentifier") and not original:
            add("institution_identifier", row.get("institutionIdentifier"))
        items = [(element, value, lang, script, pos, original, method)
                 for element, vals in values.items() for pos, (value, script) in enumerate(vals)]
        if original:
            for col, element in EXTRA_ELEMENTS.items():
                if row.get(col):
                    value = " ".join(split_pipes(row.get(col))) if col in LIST_EXTRAS else row.get(col)
                    items.append((element, value, "zxx", "Zyyy", 0, True, Method.ORIGINAL))
            add_texts(d, items)
        else:
            for element, value, tag, script, pos, orig, meth in items:
                d.set_text(element, value, tag, script=script, position=pos, original=orig, method=meth)
        self.write_events(rec, d, row, lang, original)
        self.write_access_points(rec, d, row, lang, original)

    def write_events(self, rec: _Record, d: Description, row: csvread.CsvRow, lang: str, original: bool) -> None:
        cols = {c: split_pipes(row.get(c)) for c in EVENT_COLUMNS}
        count = max((len(v) for v in cols.values()), default=0)
        n = row.number

        def at(col: str, i: int) -> str:
            return cols[col][i] if i < len(cols[col]) else ""

        for i in range(count):
            actor, history, typ = at("eventActors", i), at("eventActorHistories", i), at("eventTypes", i)
            expr, start_raw, end_raw = at("eventDates", i), at("eventStartDates", i), at("eventEndDates", i)
            place = at("eventPlaces", i)
            event_type = (slugify(typ or "creation").replace("-", "_") or "creation")[:40]
            if original:
                start = dates.parse_iso(start_raw) if start_raw else None
                end = dates.parse_iso(end_raw, end=True) if end_raw else None
                if start_raw and start is None:
                    self.fail(n, "eventStartDates", f"not a date: {start_raw!r} (use YYYY-MM-DD; 00 for unknown parts)")
                if end_raw and end is None:
                    self.fail(n, "eventEndDates", f"not a date: {end_raw!r} (use YYYY-MM-DD; 00 for unknown parts)")
                if expr and (start is None or end is None):
                    s2, e2 = dates.normalize(expr)
                    start, end = start or s2, end or e2
                if start and end and end < start:
                    self.fail(n, "eventEndDates", f"end date {end_raw or end} is before start date {start_raw or start}")
                if expr or start or end:
                    DescriptionDate.objects.create(description=d, event_type=event_type, expression=expr[:500],
                                                   lang=languages.resolve(lang, expr)[0] if expr else "",
                                                   start=start, end=end, position=i)
                auth = None
                if actor:
                    auth = find_authority(actor, lang, report=self.report)
                    AgentLink.objects.get_or_create(description=d, authority=auth,
                                                    role=ROLES.get(event_type, event_type))
                    if history and not auth.texts.filter(element="history").exists():
                        auth.set_text("history", history, lang)
                    elif history and auth.text("history") and auth.text("history").value != history:
                        auth.set_text("history", history, lang, position=auth.texts.filter(
                            element="history").values("position").distinct().count())
                elif history:
                    self.fail(n, "eventActorHistories", f"a history at position {i + 1} without an actor in eventActors")
                rec.event_authorities.append(auth)
            else:
                expr_orig = d.dates.filter(position=i).first()
                if expr and (expr_orig is None or expr_orig.expression != expr):
                    d.set_text("dates", expr, lang, position=i, original=False, method=Method.HUMAN)
                auth = rec.event_authorities[i] if i < len(rec.event_authorities) else None
                if actor and auth is None:
                    auth = find_authority(actor, lang, report=self.report)
                    AgentLink.objects.get_or_create(description=d, authority=auth,
                                                    role=ROLES.get(event_type, event_type))
                elif actor and not auth.names.filter(value=actor).exists():
                    add_authority_name(auth, actor, lang)
                if history and auth is not None:
                    auth.set_text("history", history, lang, original=False, method=Method.HUMAN)
            if place:
                self.link_term(rec, d, Term.Taxonomy.PLACE, place, lang, original, index=None)

    def link_term(self, rec: _Record, d: Description, taxonomy: str, label: str, lang: str, original: bool,
                  index: int | None) -> None:
        bucket = rec.terms.setdefault(taxonomy, [])
        if original or index is None or index >= len(bucket):
            term = find_term(taxonomy, label, lang)
            d.terms.add(term)
            if original and index is not None:
                bucket.append(term)
        elif not bucket[index].labels.filter(value=label).exists() and bucket[index].label != label:
            add_term_label(bucket[index], label, lang)

    def write_access_points(self, rec: _Record, d: Description, row: csvread.CsvRow, lang: str, original: bool
                            ) -> None:
        for col, taxonomy in ACCESS_POINTS.items():
            for i, label in enumerate(split_pipes(row.get(col))):
                if label:
                    self.link_term(rec, d, taxonomy, label, lang, original, index=i)
        for i, name in enumerate(split_pipes(row.get("nameAccessPoints"))):
            if not name:
                continue
            if original or i >= len(rec.name_authorities):
                auth = find_authority(name, lang, report=self.report)
                AgentLink.objects.get_or_create(description=d, authority=auth, role="subject")
                if original:
                    rec.name_authorities.append(auth)
            elif not rec.name_authorities[i].names.filter(value=name).exists():
                add_authority_name(rec.name_authorities[i], name, lang)

    def write_translation(self, rec: _Record, row: csvread.CsvRow, culture: str) -> None:
        d = rec.description
        for col in LANGUAGE_NEUTRAL:
            v, main = row.get(col), rec.row.get(col)
            if v and main and v != main:
                self.report.warn(f"{self.name}, row {row.number}, column {col}: translation row differs from the "
                                 f"original row {rec.row.number} ({v!r} vs {main!r}); the original row's value holds")
            elif v and not main:
                self.report.warn(f"{self.name}, row {row.number}, column {col}: value only in a translation row; "
                                 "kept as a note")
                d.set_text("note", f"{col}: {v}", culture, position=2000 + len(self.report.warnings),
                           original=False, method=Method.HUMAN)
        self.write_values(rec, d, row, culture, original=False)


def import_descriptions(path: str | Path, *, source: str | None = None, default_culture: str = "en",
                        strict: bool = False) -> ImportReport:
    """Import an AtoM archival-description CSV in one transaction; raises CatalogueImportError."""
    path = Path(path)
    return _Importer(path, f"atom-csv:{source or path.name}"[:200], codes.to_bcp47(default_culture), strict).run()
