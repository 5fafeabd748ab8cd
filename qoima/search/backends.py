"""Database-specific parts of the index: DDL, match expressions, ranking SQL.

SQLite: an FTS5 external-content table over search_entry (ascii tokenizer: our keys are already
analyzed, every non-ASCII character is a token character), kept in step by triggers, so every
write to search_entry — ORM, bulk or cascade delete — updates the index in the same transaction.
PostgreSQL: generated tsvector columns with a GIN index (weights A-D = exact, stem, romanized,
skeleton) and a pg_trgm index on romanized title keys for near misses.
"""

from __future__ import annotations

import re

from django.db import connection as default_connection

from qoima.search.models import KEY_COLUMNS

COLS = ", ".join(KEY_COLUMNS)
NEW = ", ".join(f"new.{c}" for c in KEY_COLUMNS)
OLD = ", ".join(f"old.{c}" for c in KEY_COLUMNS)
# bm25 column weights: title-like exact > title stems > body exact > ... > body skeletons.
BM25_WEIGHTS = {"t_ex": 12.0, "t_st": 7.0, "t_tr": 4.0, "t_sk": 2.0, "b_ex": 5.0, "b_st": 3.0, "b_tr": 1.5, "b_sk": 0.6}

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({COLS}, content='search_entry', "
    f"content_rowid='id', tokenize='ascii')",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN "
    f"INSERT INTO search_fts(rowid, {COLS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE OF {COLS} ON search_entry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO search_fts(rowid, {COLS}) VALUES (new.id, {NEW}); END",
    "CREATE TRIGGER IF NOT EXISTS search_access_au AFTER UPDATE OF effective_access, effective_until "
    "ON catalogue_description BEGIN UPDATE search_entry SET effective_access = new.effective_access, "
    "effective_until = new.effective_until WHERE description_id = new.id; END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_access_au", "DROP TRIGGER IF EXISTS search_entry_ai", "DROP TRIGGER IF EXISTS search_entry_ad",
               "DROP TRIGGER IF EXISTS search_entry_au", "DROP TABLE IF EXISTS search_fts"]


def _tsv(cols: list[str], weight: str | None) -> str:
    body = "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(f"coalesce({c}, '')" for c in cols) + ")"
    return f"setweight({body}, '{weight}')" if weight else body


PG_DDL = [
    "ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(_tsv([f"t_{k}", f"b_{k}"], w) for k, w in (("ex", "A"), ("st", "B"), ("tr", "C"), ("sk", "D")))
    + ") STORED",
    "ALTER TABLE search_entry ADD COLUMN tsv_t tsvector GENERATED ALWAYS AS ("
    + _tsv(["t_ex", "t_st", "t_tr", "t_sk"], None) + ") STORED",
    "CREATE INDEX search_entry_tsv ON search_entry USING gin (tsv)",
    """CREATE FUNCTION search_mirror_access() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE search_entry SET effective_access = NEW.effective_access, effective_until = NEW.effective_until
      WHERE description_id = NEW.id;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER search_access_au AFTER UPDATE OF effective_access, effective_until ON catalogue_description "
    "FOR EACH ROW WHEN (OLD.effective_access IS DISTINCT FROM NEW.effective_access "
    "OR OLD.effective_until IS DISTINCT FROM NEW.effective_until) EXECUTE FUNCTION search_mirror_access()",
]
PG_TRGM = ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
           "CREATE INDEX search_entry_trgm ON search_entry USING gin (t_tr gin_trgm_ops)"]
PG_DROP = ["DROP TRIGGER IF EXISTS search_access_au ON catalogue_description",
           "DROP FUNCTION IF EXISTS search_mirror_access()", "DROP INDEX IF EXISTS search_entry_trgm", "DROP INDEX IF EXISTS search_entry_tsv",
           "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv_t", "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv"]


def create_index_structures(apps, schema_editor) -> None:
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        for sql in SQLITE_DDL:
            schema_editor.execute(sql)
    elif conn.vendor == "postgresql":
        for sql in PG_DDL:
            schema_editor.execute(sql)
        # pg_trgm needs a role that may create extensions; without it search still works.
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cur.fetchone()[0]:
                cur.execute("SAVEPOINT qoima_trgm")
                try:
                    for sql in PG_TRGM:
                        cur.execute(sql)
                    cur.execute("RELEASE SAVEPOINT qoima_trgm")
                except Exception:
                    cur.execute("ROLLBACK TO SAVEPOINT qoima_trgm")


def drop_index_structures(apps, schema_editor) -> None:
    conn = schema_editor.connection
    for sql in SQLITE_DROP if conn.vendor == "sqlite" else PG_DROP if conn.vendor == "postgresql" else []:
        schema_editor.execute(sql)


def vendor(conn=None) -> str:
    return (conn or default_connection).vendor


def fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def ts_quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def sqlite_group(alts: dict[str, list[str]]) -> str:
    """One query word as an FTS5 expression: any of its keys in its kind's two columns."""
    parts = []
    for kind, toks in alts.items():
        toks = [t for t in toks if t]
        if not toks:
            continue
        inner = " OR ".join(fts_quote(t) for t in toks)
        cols = "t_st b_st t_tr b_tr" if kind == "st" else f"t_{kind} b_{kind}"
        parts.append(f"{{{cols}}} : ({inner})")
    return "(" + " OR ".join(parts) + ")" if parts else ""


# sqlite_group writes `{cols} : ("tok" OR "tok")` groups; these read them back.
_GROUP = re.compile(r'\{([^}]*)\} : \(([^)]*)\)')
_TOKEN = re.compile(r'"((?:[^"]|"")*)"')


def sqlite_phrases(match: str) -> list[str]:
    """Each single-token phrase of an expression built by sqlite_group, with its column filter."""
    return [f'{{{cols}}} : "{tok}"' for cols, inner in _GROUP.findall(match) for tok in _TOKEN.findall(inner)]


def sqlite_titles_only(match: str) -> str:
    """The same expression restricted to the title-like columns (t_*)."""
    return _GROUP.sub(lambda m: "{" + " ".join(c for c in m.group(1).split() if c.startswith("t_")) + "} : ("
                      + m.group(2) + ")", match)


_PG_WEIGHT = {"ex": "A", "st": "BC", "tr": "C", "sk": "D"}


def pg_group(alts: dict[str, list[str]], weighted: bool = True) -> str:
    parts = []
    for kind, toks in alts.items():
        for t in toks:
            if t:
                parts.append(ts_quote(t) + (":" + _PG_WEIGHT[kind] if weighted else ""))
    return "(" + " | ".join(dict.fromkeys(parts)) + ")" if parts else ""


def bm25_args() -> str:
    return ", ".join(str(BM25_WEIGHTS[c]) for c in KEY_COLUMNS)
