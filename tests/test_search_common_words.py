"""Words found in a large share of the archive: the bounded scans that keep such queries fast must
return visible, matching records and report the total as capped (both backends)."""

from __future__ import annotations

import pytest
from django.db import connection

from qoima.catalogue import hierarchy
from qoima.search import query
from tests.search_fixtures import make_description, make_repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def common(monkeypatch):
    repo = make_repository()
    docs = []
    for i in range(60):
        word = "саудасы" if i % 2 == 0 else "хаттамасы"
        docs.append(make_description(repo, f"F{i}", f"Ауыл {word} {i}", "kk"))
    for d in docs[:10]:
        hierarchy.set_access(d, "closed")
    # shrink the thresholds to the size of a test archive
    monkeypatch.setattr(query, "SCAN_CAP", 8)
    monkeypatch.setattr(query, "OTHER_SCRIPT_SCAN", 4)
    monkeypatch.setattr(query, "PG_SCAN_CAP", 8)
    monkeypatch.setattr(query, "COMMON_PHRASE_ROWS", 20)
    monkeypatch.setattr(query, "PG_PROBE_ROWS", 30)
    monkeypatch.setattr(query, "PG_PROBE_MIN_ENTRIES", 0)
    monkeypatch.setattr(query, "_common_cache", {})
    monkeypatch.setattr(query, "_pg_total", (0.0, 0.0))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE search_entry")
    return docs


def test_common_word_is_answered_from_a_bounded_scan(common, monkeypatch):
    bitmap_scans = []
    real_sql = query._pg_sql
    monkeypatch.setattr(query, "_pg_sql", lambda entries, *a: (bitmap_scans.append(entries == "search_entry")
                                                               or real_sql(entries, *a)))
    closed = {d.ref for d in common[:10]}
    result = query.search("ауыл", limit=5)
    assert result.total_capped and len(result.hits) == 5
    assert not {h.ref for h in result.hits} & closed
    assert all("Ауыл" in h.title for h in result.hits)
    if connection.vendor == "sqlite":
        assert any(query._common_cache.values())  # the phrase was recognised as common
    else:
        assert bitmap_scans and not any(bitmap_scans)  # every stage answered by the bounded scan, no GIN bitmap


def test_a_word_in_half_the_archive_finds_only_its_visible_records(common):
    result = query.search("саудасы", limit=50)
    refs = {h.ref for h in result.hits}
    with_word = {d.ref for i, d in enumerate(common) if i % 2 == 0 and i >= 10}  # open records with the word
    assert refs and refs <= with_word
    assert len(refs) == min(len(with_word), query.SCAN_CAP)
