"""Tree reads must be index lookups, never table scans, whatever the size of the catalogue."""

import pytest
from django.db import connection

from qoima.catalogue import hierarchy as h


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cur.fetchall())


@pytest.mark.django_db
def test_tree_reads_use_indexes(repository):
    if connection.vendor != "sqlite":
        pytest.skip("query plans are checked on SQLite; PostgreSQL picks plans by table statistics")
    f = h.create(identifier="F1", level="fonds", repository=repository, title="F")
    s = h.create(identifier="S1", level="series", parent=f, title="S")
    i = h.create(identifier="1", parent=s, title="I")
    table = "catalogue_description"
    for qs in (h.subtree(f), h.children(s), h.children(None, repository)):
        plan = _plan(qs)
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert f"SCAN {table}" not in plan.replace(f"SCAN {table} USING", ""), plan
    from qoima.catalogue.models import Description

    pks = [a.pk for a in h.ancestors(i)]
    assert "USING INTEGER PRIMARY KEY" in _plan(Description.objects.filter(pk__in=pks))
