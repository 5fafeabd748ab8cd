"""Search quality: cross-script and morphological queries in kk (Cyrillic, Latin, töte), ru, ar, fa, en.

Loads the records of tests/data/search/recall.json among N synthetic distractor descriptions
(bench/search_synth.py) into a fresh archive, then scores every query by recall@10 and reciprocal
rank, for Qoima's search and for a plain SQLite FTS5 index (unicode61, diacritics removed) over the
same texts, queried with the same words (OR, bm25).

    python bench/search_recall.py [--distractors 3000] [--database-url URL] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATA = ROOT / "tests" / "data" / "search" / "recall.json"


def load(distractors: int, seed: int = 7) -> tuple[dict, list[tuple[str, str]]]:
    """Create the collection; returns (key -> ref, [(ref, text)] for the baseline)."""
    from django.db import transaction
    from search_synth import description

    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import AgentLink, Authority, AuthorityName, Repository
    from qoima.search import index

    data = json.loads(DATA.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    texts: list[tuple[str, str]] = []
    refs: dict[str, str] = {}
    with transaction.atomic(), index.deferred():
        repo = Repository.objects.create(code="BENCH", country_code="KZ", name="Bench archive")
        for i in range(distractors):
            s = description(rng, i)
            d = hierarchy.create(identifier=f"S{i}", repository=repo, title=s["title"], lang=s["lang"])
            d.set_text("scope_and_content", s["scope"], s["lang"])
            texts.append((d.ref, f"{s['title']} {s['scope']}"))
        authorities: dict[str, Authority] = {}
        for r in data["records"]:
            d = hierarchy.create(identifier=r["key"], repository=repo, title=r["title"], lang=r["lang"])
            text = r["title"]
            if r.get("scope"):
                d.set_text("scope_and_content", r["scope"], r["lang"])
                text += " " + r["scope"]
            if r.get("creators"):
                first = r["creators"][0][0]
                a = authorities.get(first)
                if a is None:
                    a = Authority.objects.create(name=first)
                    for j, (value, lang) in enumerate(r["creators"]):
                        AuthorityName.objects.create(authority=a, value=value, lang=lang, is_original=j == 0)
                    authorities[first] = a
                AgentLink.objects.create(description=d, authority=a, role="creator")
                text += " " + " ".join(v for v, _ in r["creators"])
            refs[r["key"]] = d.ref
            texts.append((d.ref, text))
    return refs, texts


def baseline_index(texts: list[tuple[str, str]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE base USING fts5(ref UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO base(ref, body) VALUES (?, ?)", texts)
    return db


def baseline_search(db: sqlite3.Connection, q: str) -> list[str]:
    import re

    toks = re.findall(r"\w+", q)
    if not toks:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in toks)
    return [r[0] for r in db.execute("SELECT ref FROM base WHERE base MATCH ? ORDER BY rank LIMIT 10", (match,))]


def score(ranked: list[str], expected: list[str]) -> tuple[float, float]:
    top = ranked[:10]
    recall = sum(1 for e in expected if e in top) / len(expected)
    rr = next((1.0 / (i + 1) for i, r in enumerate(top) if r in expected), 0.0)
    return recall, rr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--distractors", type=int, default=3000)
    ap.add_argument("--database-url", default="", help="PostgreSQL server URL: a scratch database is created "
                                                        "there and dropped afterwards (default: SQLite)")
    ap.add_argument("--verbose", action="store_true", help="print every query's misses")
    args = ap.parse_args()
    os.environ["QOIMA_HOME"] = tempfile.mkdtemp(prefix="qoima-bench-recall-")
    scratch = None
    if args.database_url:
        from search_scale import scratch_database

        signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
        scratch = scratch_database(args.database_url)
        os.environ["QOIMA_DATABASE_URL"] = scratch[0]
    try:
        run(args)
    finally:
        if scratch:
            from django.db import connections

            connections.close_all()
            scratch[1]()


def run(args) -> None:
    from qoima.cli import django_setup

    django_setup()
    from qoima.search.query import search

    t0 = time.perf_counter()
    refs, texts = load(args.distractors)
    from django.db import connection

    print(f"database: {connection.vendor}")
    print(f"loaded {len(texts)} descriptions ({args.distractors} distractors) in {time.perf_counter() - t0:.1f} s")
    base = baseline_index(texts)
    queries = json.loads(DATA.read_text(encoding="utf-8"))["queries"]
    ours_r, ours_rr, base_r, base_rr = [], [], [], []
    for q, keys in queries:
        expected = [refs[k] for k in keys]
        got = [h.ref for h in search(q, limit=10).hits]
        r, rr = score(got, expected)
        ours_r.append(r)
        ours_rr.append(rr)
        br, brr = score(baseline_search(base, q), expected)
        base_r.append(br)
        base_rr.append(brr)
        if args.verbose or r < 1.0:
            missing = [k for k, e in zip(keys, expected, strict=True) if e not in got[:10]]
            print(f"  {q!r}: recall {r:.2f} rr {rr:.2f} (baseline {br:.2f}) missing {missing}")
    n = len(queries)
    print(f"\n{n} queries, kk (Cyrl/Latn/Arab), ru, ar, fa, en")
    print(f"{'':12}{'recall@10':>10}{'MRR':>8}")
    print(f"{'Qoima':12}{sum(ours_r) / n:>10.3f}{sum(ours_rr) / n:>8.3f}")
    print(f"{'plain FTS5':12}{sum(base_r) / n:>10.3f}{sum(base_rr) / n:>8.3f}")
    b = sum(base_r) / n
    print(f"recall ratio Qoima / FTS5: {(sum(ours_r) / n) / b:.2f}x" if b else "baseline recall 0")


if __name__ == "__main__":
    main()
