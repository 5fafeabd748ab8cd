"""Writing the index: what of a description, an authority or an OCR page is searchable, and how.

Every language of every text element is indexed; titles, alternative titles and the names of
creators and other linked agents (all their forms, in every script) go to the title-like columns.
Calls run on the caller's connection, so they join the caller's transaction: a description and its
index entry are committed, or rolled back, together. Inside `deferred()` (bulk imports) the work
is collected and done once per record when the block ends — still inside the transaction.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.db.models import Prefetch

from qoima.catalogue.models import AgentLink, Authority, AuthorityName, Description, DescriptionText
from qoima.search.analyze import analyze
from qoima.search.models import KEY_COLUMNS, Entry

TITLE_ELEMENTS = {"title", "alternative_title"}
_pending: contextvars.ContextVar[dict | None] = contextvars.ContextVar("qoima_search_pending", default=None)


def entry_fields(title_parts: list[tuple[str, str, str, str]], body_parts: list[tuple[str, str, str, str]]) -> dict:
    """Index columns and snippet segments from (element, lang, script, text) parts."""
    t = analyze([(text, lang) for _, lang, _, text in title_parts])
    b = analyze([(text, lang) for _, lang, _, text in body_parts])
    fields = {f"t_{k}": v for k, v in t.columns().items()}
    fields.update({f"b_{k}": v for k, v in b.columns().items()})
    langs = sorted({(lang or "").split("-")[0].lower() for _, lang, _, _ in title_parts + body_parts if lang})
    fields["langs"] = " ".join(langs)
    fields["segments"] = [list(p) for p in title_parts + body_parts if p[3]]
    return fields


def _names(authority: Authority) -> list[tuple[str, str, str, str]]:
    out = [("name", n.lang, n.script, n.value) for n in authority.names.all()]
    if not any(v == authority.name for _, _, _, v in out) and authority.name:
        out.insert(0, ("name", "", "", authority.name))
    return out


def description_fields(d: Description) -> dict:
    title_parts: list[tuple[str, str, str, str]] = []
    body_parts: list[tuple[str, str, str, str]] = []
    for v in d.texts.all():
        part = (v.element, v.lang, v.script, v.value)
        (title_parts if v.element in TITLE_ELEMENTS else body_parts).append(part)
    if not any(p[0] == "title" for p in title_parts) and d.title:
        title_parts.append(("title", d.original_lang, "", d.title))
    for link in d.agents.all():
        title_parts.extend((link.role, lang, script, value) for _, lang, script, value in _names(link.authority))
    for term in d.terms.all():
        labels = list(term.labels.all())
        body_parts.extend(("term", lb.lang, lb.script, lb.value) for lb in labels)
        if not any(lb.value == term.label for lb in labels):
            body_parts.append(("term", "", "", term.label))
    for dt in d.dates.all():
        if dt.expression:
            body_parts.append(("dates", dt.lang, "", dt.expression))
    body_parts.append(("reference_code", "", "", " ".join(x for x in (d.ref, d.identifier) if x)))
    fields = entry_fields(title_parts, body_parts)
    fields.update(effective_access=d.effective_access, effective_until=d.effective_until)
    return fields


def authority_fields(a: Authority) -> dict:
    body = [(v.element, v.lang, v.script, v.value) for v in a.texts.all()]
    if a.dates_of_existence:
        body.append(("dates_of_existence", "", "", a.dates_of_existence))
    return entry_fields(_names(a), body)


def _description_qs():
    return Description.objects.prefetch_related(
        Prefetch("texts", queryset=DescriptionText.objects.all()),
        Prefetch("agents", queryset=AgentLink.objects.select_related("authority").prefetch_related(
            Prefetch("authority__names", queryset=AuthorityName.objects.all()))),
        "terms__labels", "dates",
    )


def _upsert(kind: str, fields: dict, create: bool = True, **key) -> Entry | None:
    entry = Entry.objects.filter(kind=kind, **key).first()
    if entry is None:
        return Entry.objects.create(kind=kind, **key, **fields) if create else None
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry


def index_descriptions(ids: Iterable[int], create: bool = True) -> int:
    """(Re)index these descriptions now, on the current connection and transaction.

    `create=False` only refreshes existing entries (used while rows are being deleted)."""
    ids = list(ids)
    pending = _pending.get()
    if pending is not None:
        pending.setdefault("d", set()).update(ids)
        return 0
    n = 0
    found = set()
    for d in _description_qs().filter(pk__in=ids):
        _upsert(Entry.Kind.DESCRIPTION, description_fields(d), create, description_id=d.pk)
        found.add(d.pk)
        n += 1
    gone = set(ids) - found
    if gone:
        Entry.objects.filter(description_id__in=gone).delete()
    return n


def index_authorities(ids: Iterable[int], with_descriptions: bool = True, create: bool = True) -> int:
    """(Re)index authorities and, since their names are the creators' names, the descriptions they are linked to."""
    ids = list(ids)
    pending = _pending.get()
    if pending is not None:
        pending.setdefault("a", set()).update(ids)
        return 0
    n = 0
    for a in Authority.objects.prefetch_related("names", "texts").filter(pk__in=ids):
        _upsert(Entry.Kind.AUTHORITY, authority_fields(a), create, authority_id=a.pk)
        n += 1
    if with_descriptions:
        linked = AgentLink.objects.filter(authority_id__in=ids).values_list("description_id", flat=True)
        index_descriptions(set(linked), create=create)
    return n


def index_page(description: Description | int, page: int, text: str, lang: str = "", script: str = "",
               words: list[list[int]] | None = None) -> Entry | None:
    """Index the recognized text of one page (1-based) of a description; empty text removes it.

    `words`, if given, are [start, end, x, y, w, h] per word (character offsets into `text`, box in
    image pixels) so hits can be shown on the image."""
    did = description if isinstance(description, int) else description.pk
    if not (text or "").strip():
        Entry.objects.filter(kind=Entry.Kind.PAGE, description_id=did, page=page).delete()
        return None
    fields = entry_fields([], [("ocr", lang, script, text)])
    fields["words"] = words
    access = Description.objects.filter(pk=did).values("effective_access", "effective_until").first() or {}
    fields.update(access)
    return _upsert(Entry.Kind.PAGE, fields, description_id=did, page=page)


def remove_pages(description: Description | int) -> int:
    did = description if isinstance(description, int) else description.pk
    return Entry.objects.filter(kind=Entry.Kind.PAGE, description_id=did).delete()[0]


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Collect index work during a bulk change and do it once per record at the end of the block.

    Use inside the importer's transaction so data and index still commit together."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        work = _pending.get() or {}
    finally:
        _pending.reset(token)
    if work.get("a"):
        index_authorities(work["a"], with_descriptions=False)
        linked = AgentLink.objects.filter(authority_id__in=work["a"]).values_list("description_id", flat=True)
        work.setdefault("d", set()).update(linked)
    if work.get("d"):
        for chunk in _chunks(sorted(work["d"]), 500):
            index_descriptions(chunk)


@contextlib.contextmanager
def bulk_writes() -> Iterator[None]:
    """For large (re)builds. SQLite: a 256 MB page cache and lazier FTS5 segment merging (about
    40 % faster writes), default merging restored at the end. PostgreSQL: the GIN indexes are
    dropped and rebuilt in one pass at the end (inside the caller's transaction, if any)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        # GIN indexes build several times faster in one pass than row by row: drop and recreate.
        with connection.cursor() as cur:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_entry' "
                        "AND indexdef ILIKE '%%USING gin%%'")
            gin = cur.fetchall()
            for name, _ in gin:
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cur:
                # deferred foreign-key checks still pending in this transaction forbid CREATE INDEX
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
                cur.execute("SET maintenance_work_mem = '256MB'")
                for _, ddl in gin:
                    cur.execute(ddl)
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size=-262144")
        cur.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 16)")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 4)")
            cur.execute("PRAGMA cache_size=-2000")


def optimize() -> None:
    """Merge the index into one segment per column set (SQLite) / refresh statistics (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cur.execute("ANALYZE search_entry")


def _chunks(seq: list, n: int) -> Iterator[list]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def reindex_all(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> dict[str, int]:
    """Rebuild the description and authority entries from the catalogue, and the recognized pages
    from the recognize part when it is installed (otherwise page entries are kept)."""
    counts = {"descriptions": 0, "authorities": 0}
    total = Description.objects.count() + Authority.objects.count()
    done = 0
    with transaction.atomic(), bulk_writes():
        Entry.objects.exclude(kind=Entry.Kind.PAGE).delete()
        ids = list(Authority.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(ids, batch):
            rows = [Entry(kind=Entry.Kind.AUTHORITY, authority_id=a.pk, **authority_fields(a))
                    for a in Authority.objects.prefetch_related("names", "texts").filter(pk__in=chunk)]
            Entry.objects.bulk_create(rows)
            counts["authorities"] += len(rows)
            done += len(rows)
            if progress:
                progress(done, total)
        ids = list(Description.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(ids, batch):
            rows = [Entry(kind=Entry.Kind.DESCRIPTION, description_id=d.pk, **description_fields(d))
                    for d in _description_qs().filter(pk__in=chunk)]
            Entry.objects.bulk_create(rows)
            counts["descriptions"] += len(rows)
            done += len(rows)
            if progress:
                progress(done, total)
        counts["pages"] = _reindex_pages()
    optimize()
    return counts


def _reindex_pages() -> int:
    from django.apps import apps

    if not apps.is_installed("qoima.recognize"):
        return Entry.objects.filter(kind=Entry.Kind.PAGE).count()
    page_model = apps.get_model("recognize", "RecognizedPage")
    Entry.objects.filter(kind=Entry.Kind.PAGE).delete()
    n = 0
    for p in page_model.objects.only("description_id", "page", "text", "lang", "script", "lines").iterator(2000):
        if index_page(p.description_id, p.page, p.text, lang=p.lang, script=p.script, words=p.index_words()):
            n += 1
    return n


__all__ = ["KEY_COLUMNS", "deferred", "index_authorities", "index_descriptions", "index_page", "reindex_all",
           "remove_pages"]
