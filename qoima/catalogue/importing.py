"""What every catalogue importer shares: the error that names where input is bad, the report of what
was done, and the find-or-create of repositories, authorities and terms that files refer to by name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from qoima.catalogue import hierarchy, languages
from qoima.catalogue.models import Authority, AuthorityName, Description, Repository, Term, TermLabel


class CatalogueImportError(ValueError):
    """Bad input: `file, row 7, column parentId: unknown parent legacyId 99`. Nothing was written."""

    def __init__(self, file: str, problem: str, row: int | None = None, column: str | None = None,
                 line: int | None = None, element: str | None = None):
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if line is not None:
            where.append(f"line {line}")
        if column:
            where.append(f"column {column}")
        if element:
            where.append(f"element {element}")
        super().__init__(f"{', '.join(where)}: {problem}")
        self.file, self.row, self.column, self.line, self.element, self.problem = file, row, column, line, element, problem


@dataclass
class ImportReport:
    """Counts and warnings of one import, for the CLI to print."""

    source: str = ""
    created: int = 0
    updated: int = 0
    translations: int = 0
    authorities: int = 0
    repositories: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.updated} updated"]
        if self.translations:
            parts.append(f"{self.translations} translation rows")
        if self.authorities:
            parts.append(f"{self.authorities} authorities")
        if self.repositories:
            parts.append(f"{self.repositories} repositories")
        if self.relations:
            parts.append(f"{self.relations} relations")
        return ", ".join(parts)


NULL_MARKERS = {"NULL", "null"}


def split_pipes(value: str) -> list[str]:
    """AtoM's repeated values: 'a|b|NULL' -> ['a', 'b', ''] (NULL keeps a place in parallel lists)."""
    if value is None or value == "":
        return []
    return ["" if p.strip() in NULL_MARKERS else p.strip() for p in value.split("|")]


_CODE_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def repository_code_from_name(name: str) -> str:
    """A readable, stable code for a repository a file names but does not define ('Example Archives' ->
    'Example-Archives'), so reference codes still start with the holding institution."""
    code = _CODE_UNSAFE.sub("-", languages.nfc(name).strip()).strip("-")
    if len(code) > 32:  # long institution names: their initials ('NCSULSCRC')
        code = "".join(w[0] for w in re.findall(r"\w+", name, re.UNICODE) if w[0].isupper() or w[0].isdigit())
    return code[:64] or "REPO"


def find_repository(name: str, *, create: bool = True, lang: str = "en", report: ImportReport | None = None
                    ) -> Repository | None:
    """A repository by code, authorized name or any name value; created (and reported) when unknown."""
    name = languages.nfc(name).strip()
    if not name:
        return None
    repo = (Repository.objects.filter(code__iexact=name).first() or Repository.objects.filter(name=name).first()
            or Repository.objects.filter(texts__value=name,
                                         texts__element__in=["authorized_name", "parallel_name", "other_name"]).first())
    if repo is not None or not create:
        return repo
    code = base = repository_code_from_name(name)
    n = 2
    while Repository.objects.filter(code__iexact=code).exists():
        code = f"{base}-{n}"
        n += 1
    repo = Repository.objects.create(code=code, name=name[:500])
    repo.set_text("authorized_name", name, lang)
    if report is not None:
        report.repositories += 1
        report.warn(f"repository {name!r} was not known: created it with code {code!r}")
    return repo


KIND_WORDS = {
    "person": Authority.Kind.PERSON, "persname": Authority.Kind.PERSON, "personal name": Authority.Kind.PERSON,
    "corporate body": Authority.Kind.CORPORATE, "corporate": Authority.Kind.CORPORATE,
    "corpname": Authority.Kind.CORPORATE, "organization": Authority.Kind.CORPORATE,
    "family": Authority.Kind.FAMILY, "famname": Authority.Kind.FAMILY,
}


def find_authority(name: str, lang: str, *, kind: str | None = None, identifier: str = "",
                   report: ImportReport | None = None) -> Authority:
    """An authority by identifier or by any of its name forms; created with `name` as the authorized form."""
    name = languages.nfc(name).strip()
    auth = None
    if identifier:
        auth = Authority.objects.filter(identifier=identifier).first()
    if auth is None:
        hits = Authority.objects.filter(names__value=name)
        if kind:
            hits = hits.filter(kind=kind)
        auth = hits.distinct().order_by("pk").first()
    if auth is None:
        auth = Authority.objects.create(name=name[:500], kind=kind or Authority.Kind.PERSON, identifier=identifier[:200])
        tag, script = languages.resolve(lang, name)
        AuthorityName.objects.create(authority=auth, form=AuthorityName.Form.AUTHORIZED, value=name[:500],
                                     lang=tag, script=script, is_original=True)
        if report is not None:
            report.authorities += 1
    return auth


def add_authority_name(auth: Authority, value: str, lang: str, form: str = AuthorityName.Form.AUTHORIZED,
                       original: bool = False, scheme: str = "") -> AuthorityName | None:
    value = languages.nfc(value).strip()
    if not value:
        return None
    tag, script = languages.resolve(lang, value)
    obj, _ = AuthorityName.objects.get_or_create(
        authority=auth, form=form, value=value[:500], lang=tag,
        defaults=dict(script=script, is_original=original, scheme=scheme))
    return obj


def find_term(taxonomy: str, label: str, lang: str, code: str = "", add_label: bool = True) -> Term:
    """A controlled term by code or label (any language); created with `label` as its preferred label
    (and, with `add_label`, that label recorded in `lang`)."""
    label = languages.nfc(label).strip()
    term = None
    if code:
        term = Term.objects.filter(taxonomy=taxonomy, code=code).first()
    if term is None:
        term = (Term.objects.filter(taxonomy=taxonomy, label=label[:500]).first()
                or Term.objects.filter(taxonomy=taxonomy, labels__value=label[:500]).first())
    if term is None:
        term = Term.objects.create(taxonomy=taxonomy, label=label[:500], code=code[:200])
    if add_label:
        add_term_label(term, label, lang, original=not term.labels.exists())
    return term


def add_term_label(term: Term, label: str, lang: str, original: bool = False) -> None:
    label = languages.nfc(label).strip()
    if not label:
        return
    tag, script = languages.resolve(lang, label)
    TermLabel.objects.get_or_create(term=term, lang=tag, value=label[:500],
                                    defaults=dict(script=script, is_original=original))


def free_ref(wanted: str, fallback_suffix: str, exclude_pk: int | None = None) -> tuple[str, bool]:
    """`wanted` if no other description has it, else `wanted_<suffix>` (stable: derived from the
    record's own key, not from database ids). Returns (ref, disambiguated)."""
    taken = Description.objects.filter(ref=wanted)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if not taken.exists():
        return wanted, False
    base = f"{wanted}_{hierarchy.ref_segment(fallback_suffix)}"
    ref, n = base, 2
    while Description.objects.filter(ref=ref).exclude(pk=exclude_pk or 0).exists():
        ref, n = f"{base}.{n}", n + 1
    return ref, True


def set_ref(d: Description, new_ref: str) -> None:
    """Rename a description's reference code and the prefix of its whole subtree's codes."""
    if d.ref == new_ref:
        return
    old = d.ref
    hierarchy.subtree(d).update(ref=Concat(Value(new_ref), Substr(F("ref"), len(old) + 1)))
    d.ref = new_ref
