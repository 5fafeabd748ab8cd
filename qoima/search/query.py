"""Queries: analysis of the query, the ranked and access-filtered SQL, re-ranking, snippets, facets.

A query word becomes alternatives over the four key kinds; a record matches a word if any of
them is in it. Words are first required together (AND); when that finds fewer than a page of
records the words are taken as alternatives (OR) and the extra records follow. What the asker may
not see is excluded inside the SQL (an EXISTS on the catalogue's live access columns), so totals,
pages and facets never count it.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from rapidfuzz import fuzz

from qoima.catalogue import languages
from qoima.catalogue.models import AgentLink, Authority, Description
from qoima.search import backends
from qoima.search.analyze import KINDS, STOPWORDS, query_word_keys, word_keys
from qoima.search.models import Entry
from qoima.search.normalize import fold, script_of, words
from qoima.search.romanize import ARTICLES

RERANK_WINDOW = 30
SCAN_CAP = 500
OTHER_SCRIPT_SCAN = 200
PG_SCAN_CAP = 400  # ranking reads each candidate's tsvector: fewer, for the same latency budget
CROSS_SCRIPT_SLOTS = 3


@dataclass
class QueryWord:
    text: str
    alts: dict[str, list[str]]


def analyze_query(q: str) -> tuple[list[QueryWord], list[QueryWord]]:
    """Query words (stopwords and articles dropped unless nothing else is left) and compound
    alternatives: two adjacent words also tried as one (امير كبير / امیرکبیر, Nasser al-Din /
    ناصرالدین), which only the OR pass uses."""
    raw = [w for _, _, w in words(q or "")]
    keep = [w for w in raw if fold(w) not in STOPWORDS and fold(w) not in ARTICLES] or raw
    out: list[QueryWord] = []
    for w in keep:
        k = query_word_keys(w) if fold(w) not in STOPWORDS else None
        if k is None:
            ex = fold(w)
            if ex:
                out.append(QueryWord(w, {"ex": [ex], "st": [], "tr": [], "sk": []}))
            continue
        out.append(QueryWord(w, {"ex": [k.ex], "st": list(k.st), "tr": list(k.tr), "sk": list(k.sk)}))
    compounds: list[QueryWord] = []
    content = [(i, w) for i, w in enumerate(raw) if fold(w) not in ARTICLES and fold(w) not in STOPWORDS]
    for (i, a), (j, b) in zip(content, content[1:], strict=False):
        between = raw[i + 1:j]
        if any(fold(x) not in ARTICLES for x in between):
            continue
        ka, kb = query_word_keys(a), query_word_keys(b)
        if ka is None or kb is None:
            continue
        mids = ["l", ""] if between else [""]
        sk = [x + m + y for x in ka.sk[:2] for y in kb.sk[:2] for m in mids]
        ex = [fold(a + b)] + ([fold(a + "ال" + b), fold(a + "al" + b)] if between else [])
        compounds.append(QueryWord(f"{a} {b}", {"ex": ex, "st": [], "tr": [], "sk": list(dict.fromkeys(sk))}))
    return out, compounds


@dataclass
class Hit:
    ref: str
    title: str
    score: float
    snippet: str
    page: int | None
    kind: str = "description"
    url: str = ""
    lang: str = ""
    dir: str = "ltr"
    title_dir: str = "ltr"
    pages: list[int] = field(default_factory=list)
    level: str = ""
    description_id: int | None = None
    authority_id: int | None = None
    # page hits: the matching words on the page image, [{"text", "box": [x, y, w, h]}] in pixels
    words: list[dict] = field(default_factory=list)

    def public(self) -> dict:
        d = asdict(self)
        d.pop("description_id")
        d.pop("authority_id")
        return d


@dataclass
class Result:
    total: int
    hits: list[Hit]
    facets: dict | None = None
    total_capped: bool = False  # more than SCAN_CAP entries matched: total is a lower bound

    def as_dict(self) -> dict:
        out = {"total": self.total, "total_capped": self.total_capped, "hits": [h.public() for h in self.hits]}
        if self.facets is not None:
            out["facets"] = self.facets
        return out


# --- filters ----------------------------------------------------------------------------------


def description_filter(filters: dict | None) -> Q:
    """Facet selections as a filter on Description."""
    f = filters or {}
    q = Q()
    if f.get("level"):
        q &= Q(level__in=_list(f["level"]))
    if f.get("repository"):
        from qoima.catalogue.models import Repository

        reps = _list(f["repository"])
        ids = list(Repository.objects.filter(code__in=reps).values_list("pk", flat=True))
        q &= Q(repository_id__in=ids + [int(r) for r in reps if str(r).isdigit()])
    if f.get("date_from"):
        q &= Q(date_end__gte=_date(f["date_from"], start=True)) | Q(date_end__isnull=True, date_start__gte=_date(f["date_from"], start=True))
    if f.get("date_to"):
        q &= Q(date_start__lte=_date(f["date_to"], start=False))
    if f.get("has_images") not in (None, ""):
        q &= Q(has_digital_objects=str(f["has_images"]).lower() in ("1", "true", "yes", "on"))
    if f.get("creator"):
        q &= Q(pk__in=AgentLink.objects.filter(authority_id__in=[int(c) for c in _list(f["creator"])])
               .values("description_id"))
    return q


def _list(v) -> list[str]:
    if isinstance(v, (list, tuple, set)):
        return [str(x) for x in v if str(x)]
    return [x for x in str(v).split(",") if x]


def _date(v, start: bool) -> date:
    s = str(v)
    if len(s) == 4:
        return date(int(s), 1, 1) if start else date(int(s), 12, 31)
    return date.fromisoformat(s)


def _visibility_sql(user, filters: dict | None) -> tuple[str, list, bool]:
    """SQL condition on entry alias `e`: the asker may see the record and it meets the filters;
    and whether the catalogue table must be joined (facet filters)."""
    from django.core.exceptions import FieldError

    from qoima.accounts.policy import sees_everything, visible_q

    fq = description_filter(filters)
    vq = Q() if sees_everything(user) else visible_q(user)
    conds, params = [], []
    join = False
    if vq:
        try:  # the policy's filter on the access columns mirrored in the index row
            sql, p = _where(Entry.objects.filter(vq))
            conds.append(sql.replace('"search_entry".', "e."))
        except (FieldError, _NeedsJoin):
            sql, p = _where(Description.objects.filter(vq))
            conds.append(f"(e.description_id IS NULL OR ({sql}))")
            join = True
        params.extend(p)
    if fq or (filters or {}).get("kind") == "description":
        conds.append("e.description_id IS NOT NULL")
    if fq:
        sql, p = _where(Description.objects.filter(fq))
        conds.append(f"({sql})")
        params.extend(p)
        join = True
    langs = _list((filters or {}).get("language") or [])
    if langs:
        conds.append("(" + " OR ".join(["(' ' || e.langs || ' ') LIKE %s"] * len(langs)) + ")")
        params.extend(f"% {languages.primary(lg)} %" for lg in langs)
    if (filters or {}).get("kind"):
        conds.append("e.kind = %s")
        params.append(filters["kind"])
    return (" AND ".join(conds) or "1=1"), params, join


class _NeedsJoin(Exception):
    pass


def _where(qs) -> tuple[str, list]:
    """The WHERE clause Django compiles for `qs`, for a query that has its table under its own name."""
    qs = qs.order_by()
    compiler = qs.query.get_compiler(connection=connection)
    sql, params = compiler.compile(qs.query.where)
    if len(qs.query.alias_map) > 1:
        raise _NeedsJoin
    return sql, list(params)


# --- matching ---------------------------------------------------------------------------------


def _match(qwords: list[QueryWord], op: str, kinds: tuple[str, ...] = KINDS) -> str:
    """The backend's match expression: each word any of its keys of `kinds`, words joined by `op`."""
    pg = backends.vendor() == "postgresql"
    groups = []
    for w in qwords:
        alts = {k: v for k, v in w.alts.items() if k in kinds}
        groups.append(backends.pg_group(alts) if pg else backends.sqlite_group(alts))
    joiner = (" & " if op == "AND" else " | ") if pg else f" {op} "
    return joiner.join(g for g in groups if g)


_JOIN = 'LEFT JOIN catalogue_description ON catalogue_description.id = e.description_id'


def _scan(match: str, cond: str, params: list, join: bool = False, cap: int = 0) -> tuple[list[tuple], bool]:
    """Up to SCAN_CAP visible matching entries with their relevance, best first; True if capped.

    Ranking the first SCAN_CAP matches keeps the cost bounded for words found in half the
    archive, and is exact for any query selective enough for ranking to matter; the strict
    stages run first, so strong matches are never crowded out by loose ones."""
    cap = cap or SCAN_CAP
    if backends.vendor() == "postgresql":
        cap = min(cap, PG_SCAN_CAP)
        rows = _pg_scan(match, cond, params, join, cap)
    else:
        _tune_sqlite()
        if _has_common_phrase(match):
            return _scan_tiered(match, cond, params, join, cap)
        sql = (f"SELECT e.id, e.kind, e.description_id, e.authority_id, e.page, "
               f"-bm25(search_fts, {backends.bm25_args()}) AS s "
               f"FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid {_JOIN if join else ''} "
               f"WHERE search_fts MATCH %s AND {cond} LIMIT {cap + 1}")
        with connection.cursor() as cur:
            cur.execute(sql, [match, *params])
            rows = cur.fetchall()
    capped = len(rows) > cap
    rows = rows[:cap]
    rows.sort(key=lambda r: -r[5])
    return rows, capped


# SQLite's bm25() first counts every row holding each phrase of the query (its IDF): about 16,000
# rows a millisecond, so a word found in 100,000+ records costs tens of milliseconds before the
# first row. When a phrase is that common, the first SCAN_CAP matches are ranked by cheaper tiers
# (all words in titles first, then anywhere) and the re-ranking below; rare phrases keep bm25.
COMMON_PHRASE_ROWS = 5000
_common_cache: dict[str, bool] = {}


def _tune_sqlite() -> None:
    """Search reads large parts of the index: its connections map the database into memory and
    keep a bigger page cache (1M entries: p95 52 -> 37 ms). Only connections that search get it,
    so ingest and import processes keep their small resident memory."""
    if connection.connection is None:
        connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "_qoima_search_tuned", None) is raw:
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA mmap_size=1073741824")
        cur.execute("PRAGMA cache_size=-65536")
    connection._qoima_search_tuned = raw


def _has_common_phrase(match: str) -> bool:
    """True if some phrase of the FTS5 expression is in more than COMMON_PHRASE_ROWS rows
    (probed with a bounded scan, remembered per process: document frequencies change slowly)."""
    for phrase in backends.sqlite_phrases(match):
        common = _common_cache.get(phrase)
        if common is None:
            with connection.cursor() as cur:
                cur.execute("SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                            f"LIMIT {COMMON_PHRASE_ROWS + 1})", [phrase])
                common = cur.fetchone()[0] > COMMON_PHRASE_ROWS
            if len(_common_cache) > 50_000:
                _common_cache.clear()
            _common_cache[phrase] = common
        if common:
            return True
    return False


# PostgreSQL: a bitmap scan of the GIN index first collects every row of the query (~0.4 us a
# row: 110 ms for a word in 280,000 records) before LIMIT can stop it. When the planner's
# statistics say the query matches at least PG_COMMON_FRACTION of the entries, the first
# PG_PROBE_ROWS entries are read in order instead (a bounded scan, ~7 us a row); if they hold a
# full page of candidates that is the answer (capped), otherwise the GIN index is used as before.
PG_COMMON_FRACTION = 0.2
PG_PROBE_ROWS = 3000
PG_PROBE_MIN_ENTRIES = 30_000  # below this the GIN scan is cheap whatever the words


def _pg_sql(entries: str, cond: str, join: bool, limit: int) -> str:
    """Ranked candidates among `entries` (the table, or a bounded slice of it)."""
    return (f"SELECT id, kind, description_id, authority_id, page, "
            f"ts_rank(tsv, q, 1) + 0.5 * ts_rank(tsv_t, q, 1) AS s FROM ("
            f"SELECT e.id, e.kind, e.description_id, e.authority_id, e.page, e.tsv, e.tsv_t, q.q "
            f"FROM (SELECT %s::tsquery AS q) q, {entries} e {_JOIN if join else ''} "
            f"WHERE e.tsv @@ q.q AND {cond} LIMIT {limit}) m")


def _pg_scan(match: str, cond: str, params: list, join: bool, cap: int) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cur:
        if _pg_common(cur, match):
            cur.execute(_pg_sql(f"(SELECT * FROM search_entry ORDER BY id LIMIT {PG_PROBE_ROWS})", cond, join,
                                cap + 1), [match, *params])
            rows = cur.fetchall()
            if len(rows) > cap:
                return rows
        # The planner prices `tsv @@ q` per row far too low and picks a sequential scan that
        # decompresses every tsvector; for anything but the common words above, GIN is the way in.
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(_pg_sql("search_entry", cond, join, cap + 1), [match, *params])
        rows = cur.fetchall()
        cur.execute("SET LOCAL enable_seqscan TO DEFAULT")
        return rows


_pg_total: tuple[float, float] = (0.0, 0.0)  # (expires, entries): the table's size moves slowly


def _pg_entries(cur) -> float:
    """The planner's row count of the index table, read once a minute per process."""
    global _pg_total
    now = time.monotonic()
    if _pg_total[0] <= now:
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_entry'")
        _pg_total = (now + 60.0, float((cur.fetchone() or [0])[0] or 0))
    return _pg_total[1]


def _pg_common(cur, match: str) -> bool:
    """The planner's estimate: does `match` hold in at least PG_COMMON_FRACTION of the entries?"""
    total = _pg_entries(cur)
    if total < PG_PROBE_MIN_ENTRIES:
        return False
    cur.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entry e WHERE e.tsv @@ %s::tsquery", [match])
    plan = cur.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"] >= PG_COMMON_FRACTION * total


def _scan_tiered(match: str, cond: str, params: list, join: bool, cap: int) -> tuple[list[tuple], bool]:
    """_scan for expressions with a very common phrase, without bm25: matches in titles score 2,
    matches elsewhere 1 (the re-ranking then weighs closeness of the title to the query)."""
    sql = (f"SELECT e.id, e.kind, e.description_id, e.authority_id, e.page FROM search_fts "
           f"JOIN search_entry e ON e.id = search_fts.rowid {_JOIN if join else ''} "
           f"WHERE search_fts MATCH %s AND {cond} LIMIT {cap + 1}")
    rows: list[tuple] = []
    seen: set[int] = set()
    capped = False
    for expr, score in ((backends.sqlite_titles_only(match), 2.0), (match, 1.0)):
        with connection.cursor() as cur:
            cur.execute(sql, [expr, *params])
            got = cur.fetchall()
        capped = capped or len(got) > cap
        for r in got:
            if r[0] not in seen and len(rows) < cap:
                seen.add(r[0])
                rows.append((*r, score))
        if len(rows) >= cap:
            break
    return rows, capped


def _fuzzy_bonus(qwords: list[QueryWord], title_keys: str) -> float:
    """How close the query's romanized words come to the record's title/name words (0..1)."""
    keys = title_keys.split()
    if not keys or not qwords:
        return 0.0
    total = 0.0
    for w in qwords:
        qk = w.alts["tr"] or w.alts["ex"]
        best = max((fuzz.ratio(a, b) for a in qk for b in keys), default=0.0)
        total += best
    avg = total / len(qwords)
    return max(0.0, (avg - 70.0) / 30.0)


def _stages(qwords: list[QueryWord], compounds: list[QueryWord]) -> list[str]:
    """Match expressions from strictest to loosest: all words by exact or stem keys, all words by
    any key (romanized, skeleton), then any word (and two-word compounds)."""
    strong = ("ex", "st")
    stages = [_match(qwords, "AND", strong), _match(qwords, "AND")]
    if len(qwords) > 1 or compounds:
        stages.append(_match(qwords + compounds, "OR"))
    return list(dict.fromkeys(m for m in stages if m))


def search(q: str, *, user=None, limit: int = 10, offset: int = 0, filters: dict | None = None,
           facets: bool = False) -> Result:
    """Ranked hits for query `q` that `user` may see (None: the public).

    Stages run from strict to loose until a page is filled; hits of a stricter stage rank above
    those only a looser stage found (exact and original script first, skeletons last). The total
    counts the records matched by the stages run, exactly up to SCAN_CAP."""
    qwords, compounds = analyze_query(q)
    if not qwords:
        return Result(0, [], _empty_facets() if facets else None)
    cond, params, join = _visibility_sql(user, filters)
    want = offset + limit
    rows: list[tuple] = []
    seen: set[int] = set()
    stages = _stages(qwords, compounds)
    capped = False
    level = 0
    for level, match in enumerate(stages):
        got, cap = _scan(match, cond, params, join)
        bonus = float(len(stages) - level)
        rows.extend((*r[:5], r[5], bonus) for r in got if r[0] not in seen)
        seen.update(r[0] for r in got)
        capped = capped or cap
        if _distinct_records(rows) >= want:
            break
    if level == 0 and len(stages) > 1 and offset < limit:
        # Exact matches filled the page: also scan the looser stage (bounded like the others) for
        # records that match only in another spelling or script; they rank after the rest but may
        # take the places kept for other scripts below.
        got, _ = _scan(stages[1], cond, params, join, cap=OTHER_SCRIPT_SCAN)
        rows.extend((*r[:5], r[5], 0.0) for r in got if r[0] not in seen)
    total = _distinct_records(rows)
    window = sorted(rows, key=lambda r: (-r[6], -r[5]))[:max(RERANK_WINDOW, want) * 2]
    scripts = {}
    ranked = _rerank(qwords, window, scripts)
    hits = _collapse(ranked)
    if offset < limit:
        hits = _diversify(hits, scripts, script_of(fold(qwords[0].text)), limit)
    page_hits = hits[offset:offset + limit]
    _fill(page_hits, qwords)
    fac = _facets_from(rows) if facets else None
    return Result(total, page_hits, fac, capped)


def _diversify(hits: list[Hit], scripts: dict[int, str], query_script: str, limit: int) -> list[Hit]:
    """Keep up to CROSS_SCRIPT_SLOTS places of the first page for the best records written in
    another script than the query, when the exact matches would fill the whole page."""
    page = hits[:limit]
    def script(h: Hit) -> str:
        return scripts.get(h._entry_id, "")  # type: ignore[attr-defined]
    present = sum(1 for h in page if script(h) and script(h) != query_script)
    if len(hits) <= limit or present >= CROSS_SCRIPT_SLOTS:
        return hits
    pool = [h for h in hits[limit:] if script(h) and script(h) != query_script]
    pool = pool[:CROSS_SCRIPT_SLOTS - present]
    if not pool:
        return hits
    keep = limit - len(pool)
    moved = {id(h) for h in pool}
    rest = [h for h in hits if id(h) not in moved]
    return rest[:keep] + pool + rest[keep:]


def _distinct_records(rows: list[tuple]) -> int:
    return len({(r[2], r[3]) for r in rows})


def _rerank(qwords: list[QueryWord], rows: list[tuple], scripts: dict | None = None) -> list[tuple]:
    """Score = stage (stricter first) + relevance within the stage, raised by fuzzy closeness of
    the query to the record's title and name words (rapidfuzz on romanized keys). Fills `scripts`
    with the script of each entry's title words."""
    if not rows:
        return []
    meta = _fetch("SELECT id, t_tr, substr(t_ex, 1, 24) FROM search_entry WHERE id IN ({})", [r[0] for r in rows])
    top: dict[float, float] = {}
    for r in rows:
        top[r[6]] = max(top.get(r[6], 0.0), r[5]) or 1.0
    out = []
    for r in rows:
        t_tr, t_ex = meta.get(r[0], ("", ""))
        if scripts is not None:
            scripts[r[0]] = script_of(t_ex or "")
        rel = r[5] / top[r[6]]
        fz = _fuzzy_bonus(qwords, t_tr or "")
        out.append((*r[:5], r[6] + 0.5 * rel * (1.0 + 0.5 * fz)))
    out.sort(key=lambda r: -r[5])
    return out


def _collapse(rows: list[tuple]) -> list[Hit]:
    """One hit per record; a record's matching OCR pages are listed on it."""
    by_key: dict[tuple, Hit] = {}
    order: list[Hit] = []
    entry_of: dict[int, int] = {}
    for eid, kind, did, aid, page, score in rows:
        key = ("d", did) if did else ("a", aid)
        hit = by_key.get(key)
        if hit is None:
            hit = Hit(ref="", title="", score=round(float(score), 4), snippet="", page=page, kind=kind,
                      description_id=did, authority_id=aid)
            by_key[key] = hit
            order.append(hit)
            entry_of[id(hit)] = eid
        if page is not None and page not in hit.pages:
            hit.pages.append(page)
    for h in order:
        h._entry_id = entry_of[id(h)]  # type: ignore[attr-defined]
    return order


def _fetch(sql: str, ids: list) -> dict:
    """{first column: rest} for rows of `sql` whose id is in `ids` (plain SQL: this is the hot path)."""
    if not ids:
        return {}
    with connection.cursor() as cur:
        cur.execute(sql.format(", ".join(["%s"] * len(ids))), list(ids))
        return {r[0]: (r[1] if len(r) == 2 else r[1:]) for r in cur.fetchall()}


def _fill(hits: list[Hit], qwords: list[QueryWord]) -> None:
    """Reference, title (original script), snippet for the hits shown, read live."""
    descs = _fetch("SELECT id, ref, title, level FROM catalogue_description WHERE id IN ({})",
                   [h.description_id for h in hits if h.description_id])
    auths = _fetch("SELECT id, identifier, name FROM catalogue_authority WHERE id IN ({})",
                   [h.authority_id for h in hits if h.authority_id and not h.description_id])
    segs = _fetch("SELECT id, segments, words FROM search_entry WHERE id IN ({})",
                  [h._entry_id for h in hits])  # type: ignore[attr-defined]
    for h in hits:
        if h.description_id and h.description_id in descs:
            h.ref, h.title, h.level = descs[h.description_id]
            h.kind = "page" if h.page else "description"
            h.url = f"/records/{h.ref}" + (f"?page={h.page}" if h.page else "")
        elif h.authority_id in auths:
            ident, name = auths[h.authority_id]
            h.ref, h.title, h.kind = ident or f"authority-{h.authority_id}", name, "authority"
            h.url = f"/authorities/{h.authority_id}"
        h.title_dir = "rtl" if _is_rtl(h.title) else "ltr"
        raw, boxes = segs.get(h._entry_id, (None, None))  # type: ignore[attr-defined]
        if raw is not None:
            seg_list = json.loads(raw) if isinstance(raw, str) else raw
            h.snippet, h.lang, h.dir = snippet(seg_list, qwords)
            if h.page and boxes:
                h.words = word_boxes(seg_list, json.loads(boxes) if isinstance(boxes, str) else boxes, qwords)
        h.pages.sort()


def _is_rtl(text: str) -> bool:
    for ch in text:
        o = ord(ch)
        if 0x0590 <= o <= 0x08FF or 0xFB1D <= o <= 0xFEFF:
            return True
        if ch.isalpha():
            return False
    return False


# --- snippets ---------------------------------------------------------------------------------

_STRENGTH = {"ex": 4, "st": 3, "tr": 2, "sk": 1}
SNIPPET_WORDS = 28


def _word_strength(word: str, lang: str, qsets: dict[str, set[str]]) -> int:
    k = word_keys(word, None, lang)
    if k is None:
        return 0
    best = 0
    for kind in KINDS:
        vals = [k.ex] if kind == "ex" else getattr(k, kind)
        if any(v in qsets[kind] for v in vals):
            best = max(best, _STRENGTH[kind])
    return best


MAX_WORD_BOXES = 50


def word_boxes(segments: list, boxes: list[list[int]], qwords: list[QueryWord]) -> list[dict]:
    """The matching words of an OCR page with their boxes on the image, so a hit leads to the word.
    `boxes` are [start, end, x, y, w, h] with offsets into the page text (the one OCR segment)."""
    qsets = {kind: {t for w in qwords for t in w.alts[kind]} for kind in KINDS}
    out: list[dict] = []
    for seg in segments or []:
        element, lang, _script, text = (list(seg) + ["", "", "", ""])[:4]
        if element != "ocr":
            continue
        primary = languages.primary(lang or "")
        spans = [(s, e) for s, e, w in words(text) if _word_strength(w, primary, qsets)]
        for s, e in spans:
            for b in boxes:
                if b[0] < e and s < b[1]:
                    out.append({"text": text[b[0]:b[1]], "box": [int(v) for v in b[2:6]]})
                    break
            if len(out) >= MAX_WORD_BOXES:
                return out
        break
    return out


def snippet(segments: list, qwords: list[QueryWord]) -> tuple[str, str, str]:
    """HTML snippet (matches in <mark>) of the best-matching segment, its language and direction."""
    qsets = {kind: {t for w in qwords for t in w.alts[kind]} for kind in KINDS}
    best = None
    for i, seg in enumerate(segments or []):
        element, lang, script, text = (list(seg) + ["", "", "", ""])[:4]
        primary = languages.primary(lang or "")
        toks = words(text)
        strengths = [_word_strength(w, primary, qsets) for _, _, w in toks]
        score = sum(strengths) + (0.5 if element not in ("title", "alternative_title") else 0)
        if best is None or score > best[0]:
            best = (score, i, text, toks, strengths, lang, script)
    if best is None:
        return "", "", "ltr"
    _, _, text, toks, strengths, lang, script = best
    first = next((i for i, s in enumerate(strengths) if s), 0)
    start_w = max(0, first - 8)
    end_w = min(len(toks), start_w + SNIPPET_WORDS)
    if not toks:
        return html.escape(text[:200]), lang, "rtl" if _is_rtl(text) else "ltr"
    start = toks[start_w][0] if start_w else 0
    end = toks[end_w - 1][1] if end_w < len(toks) else len(text)
    out, pos = [], start
    for (s, e, _), st in zip(toks[start_w:end_w], strengths[start_w:end_w], strict=True):
        if st:
            out.append(html.escape(text[pos:s]))
            out.append(f"<mark>{html.escape(text[s:e])}</mark>")
            pos = e
    out.append(html.escape(text[pos:end]))
    body = "".join(out).strip()
    if start > 0:
        body = "… " + body
    if end < len(text):
        body += " …"
    direction = languages.direction(script) if script else ("rtl" if _is_rtl(text) else "ltr")
    return body, lang, direction


# --- facets -----------------------------------------------------------------------------------


def _empty_facets() -> dict:
    return {"level": [], "repository": [], "date": {}, "language": [], "creator": [], "has_images": []}


def _facets_from(rows: list[tuple]) -> dict:
    """Facet counts over the matching entries scanned (all of them up to SCAN_CAP)."""
    if not rows:
        return _empty_facets()
    dids = list({r[2] for r in rows if r[2]})
    entry_langs = Entry.objects.filter(pk__in=[r[0] for r in rows]).values_list("description_id", "authority_id", "langs")
    lang_count: dict[str, set] = {}
    for did, aid, langs in entry_langs:
        for lg in (langs or "").split():
            lang_count.setdefault(lg, set()).add(did or -aid)
    level: dict[str, int] = {}
    repo: dict[tuple, int] = {}
    images = {True: 0, False: 0}
    years = []
    for d in Description.objects.filter(pk__in=dids).select_related("repository").only(
            "level", "date_start", "date_end", "has_digital_objects", "repository__code", "repository__name"):
        level[d.level] = level.get(d.level, 0) + 1
        if d.repository_id:
            k = (d.repository.code, d.repository.name)
            repo[k] = repo.get(k, 0) + 1
        images[bool(d.has_digital_objects)] += 1
        if d.date_start:
            years.append(d.date_start.year)
        if d.date_end:
            years.append(d.date_end.year)
    creators: dict[int, int] = {}
    for aid in AgentLink.objects.filter(description_id__in=dids).values_list("authority_id", flat=True):
        creators[aid] = creators.get(aid, 0) + 1
    top_creators = sorted(creators.items(), key=lambda kv: -kv[1])[:20]
    names = dict(Authority.objects.filter(pk__in=[a for a, _ in top_creators]).values_list("pk", "name"))
    return {
        "level": [{"value": k, "count": v} for k, v in sorted(level.items(), key=lambda kv: -kv[1])],
        "repository": [{"value": c, "label": n, "count": v} for (c, n), v in sorted(repo.items(), key=lambda kv: -kv[1])],
        "date": {"min": min(years), "max": max(years)} if years else {},
        "language": [{"value": k, "count": len(v)} for k, v in sorted(lang_count.items(), key=lambda kv: -len(kv[1]))],
        "creator": [{"value": a, "label": names.get(a, ""), "count": c} for a, c in top_creators],
        "has_images": [{"value": k, "count": v} for k, v in images.items() if v],
    }
