"""The demo collection loads through the catalogue operations, completely, and idempotently."""

from __future__ import annotations

import json

import pytest

from qoima.catalogue import demo
from qoima.catalogue.models import Authority, AuthorityName, Description, DescriptionText, Repository

pytestmark = pytest.mark.django_db


def snapshot():
    return (Description.objects.count(), DescriptionText.objects.count(), AuthorityName.objects.count(),
            sorted(Description.objects.values_list("ref", "effective_access")))


def load(home):
    from qoima.catalogue.batch import batch

    with batch():  # as `qoima demo` runs it
        return demo.load(home)


def test_demo_loads_a_multilingual_fonds_idempotently(tmp_path):
    counts = load(tmp_path)
    assert counts == {"repositories": 2, "authorities": 5, "terms": 16, "descriptions": 35}
    first = snapshot()
    load(tmp_path)
    assert snapshot() == first

    langs = set(DescriptionText.objects.values_list("lang", flat=True))
    assert {"kk", "kk-Latn", "kk-Arab", "ru", "en", "ar", "fa"} <= langs
    assert set(DescriptionText.objects.values_list("method", flat=True)) == {"original", "human", "machine", "reviewed"}
    tote = DescriptionText.objects.get(description__ref="KZ-IAC-F1-S2-1-1", element="title", lang="kk-Arab")
    assert tote.is_original and tote.script == "Arab" and tote.dir == "rtl"
    # every description has exactly one original title
    for d in Description.objects.all():
        assert d.texts.filter(element="title", is_original=True).count() == 1, d.ref
    # dates as written, with the ISO range kept beside them
    decade = Description.objects.get(ref="KZ-IAC-F1-S2-1-3")
    assert decade.dates.get(lang="ru").expression == "1920-е гг." and decade.date_start.year == 1920
    circa = Description.objects.get(ref="KZ-IAC-F1-S2-2-1").dates.get(lang="en")
    assert circa.expression == "circa 1934"
    # the access rules to show
    states = dict(Description.objects.values_list("ref", "effective_access"))
    assert states["KZ-IAC-F1-S3-2"] == states["KZ-IAC-F1-S3-2-1"] == "closed"
    assert states["KZ-IAC-F1-S4-1-2"] == "embargo"
    assert states["KZ-IAC-F1-S4-1-3"] == "researchers"
    # the same person in three scripts with transliteration schemes
    person = Authority.objects.get(identifier="IAC-P-1")
    scripts = {(n.lang, n.script, n.scheme) for n in person.names.all()}
    assert {("kk", "Cyrl", ""), ("kk-Arab", "Arab", ""), ("kk-Latn", "Latn", "kk-Latn-2021"),
            ("en", "Latn", "ALA-LC")} <= scripts
    assert Repository.objects.get(code="DDHC").name == "مركز الدوحة للتراث الوثائقي"


@pytest.mark.nopg
def test_qoima_demo_command(qoima):
    first = qoima("demo", check=True)
    out = " ".join(first.stdout.split())  # rich wraps long lines
    assert "35 descriptions" in out and "created archivist, researcher" in out
    assert "5 items, 6 pages in package" in out and "6 pages recognised, 0 already done" in out
    again = qoima("demo", check=True)
    out = " ".join(again.stdout.split())
    assert "35 descriptions" in out and "already exist" in out
    assert "0 pages recognised, 6 already done" in out  # the same scans: nothing ingested or read twice
    # the whole pipeline: the scanned letters are found by a word of their recognised text
    hits = json.loads(qoima("search", "хатыңызды", "--json", check=True).stdout)["hits"]
    assert any(h["page"] == 1 and "Абайдың" in h["ref"] for h in hits)
    listing = qoima("--help", check=True)
    assert "demo" in listing.stdout
