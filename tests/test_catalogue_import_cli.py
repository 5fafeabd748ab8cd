"""The catalogue commands end to end, as an archivist runs them: `qoima import/export/catalogue`.

Not repeated on PostgreSQL: the subprocess would share one server database across tests, while these
tests need a fresh home each; the importers and exporters they drive run on PostgreSQL in the
in-process tests."""

from __future__ import annotations

import json

import pytest
from catalogue_fixtures import DATA

pytestmark = pytest.mark.nopg


def _listing(qoima, **kw):
    proc = qoima("catalogue", "list", "--json", check=True, **kw)
    return json.loads(proc.stdout)


def test_import_list_show_export(qoima, tmp_path):
    proc = qoima("import", "atom-csv", str(DATA / "multilingual.csv"), check=True)
    assert "6 created" in proc.stdout and "6 translation rows" in proc.stdout
    assert "no identifier" in proc.stderr  # warnings go to stderr
    rows = _listing(qoima)
    assert len(rows) == 6 and set(rows[0]) == {"ref", "level", "title", "parent"}
    fonds = next(r for r in rows if r["parent"] is None)
    assert fonds["title"] == "Халықаралық архивтік ынтымақтастық қоры" and fonds["level"] == "fonds"
    under = json.loads(qoima("catalogue", "list", "--under", fonds["ref"] + "-S1", "--json", check=True).stdout)
    assert len(under) == 4
    shown = json.loads(qoima("catalogue", "show", fonds["ref"], "--json", check=True).stdout)
    identity = next(a for a in shown["areas"] if a["number"] == "3.1")
    titles = next(e for e in identity["elements"] if e["element"] == "title")["values"]
    assert {v["lang"] for v in titles} == {"kk", "kk-Latn", "ru", "ar", "en"}
    assert next(v for v in titles if v["lang"] == "ar")["dir"] == "rtl"
    assert shown["children_count"] == 2 and shown["creators"][0]["role"] == "creator"
    assert shown["dates"][0]["start"] == "1992-01-01"
    plain = qoima("catalogue", "show", fonds["ref"], check=True).stdout
    assert "صندوق التعاون الأرشيفي الدولي" in plain and "3.2 Context area" in plain
    table = qoima("catalogue", "list", check=True).stdout
    assert fonds["ref"] in table
    # export to a file, import it into a fresh home: the same descriptions
    out = tmp_path / "fonds.xml"
    qoima("export", "ead", fonds["ref"], "-o", str(out), check=True)
    other = {"QOIMA_HOME": str(tmp_path / "other-home")}
    qoima("import", "ead", str(out), check=True, env=other)
    assert _listing(qoima, env=other) == rows
    dc = qoima("export", "dc", fonds["ref"], check=True).stdout
    assert 'xml:lang="kk-Latn"' in dc and "<dc:title" in dc


def test_bad_csv_is_refused_and_nothing_changes(qoima, tmp_path):
    qoima("import", "atom-csv", str(DATA / "multilingual.csv"), check=True)
    before = _listing(qoima)
    bad = tmp_path / "bad.csv"
    bad.write_text("legacyId,parentId,identifier,title,culture\nn1,,N1,New fonds,en\nn2,99,X,Orphan,en\n",
                   encoding="utf-8")
    proc = qoima("import", "atom-csv", str(bad))
    assert proc.returncode == 1
    assert "bad.csv, row 3, column parentId: unknown parent legacyId 99" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert _listing(qoima) == before


def test_hostile_ead_is_refused(qoima, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t")
    evil = tmp_path / "evil.xml"
    evil.write_text(f'<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                    "<ead><archdesc level='fonds'><did><unittitle>&x;</unittitle></did></archdesc></ead>")
    proc = qoima("import", "ead", str(evil))
    assert proc.returncode == 1 and "evil.xml: refused" in proc.stderr
    assert "Traceback" not in proc.stderr and "s3cr3t" not in proc.stderr + proc.stdout
    assert _listing(qoima) == []


def test_all_atom_templates_in_one_command(qoima, standards):
    folder = standards / "atom-csv"
    proc = qoima("import", "atom-csv", str(folder / "example_information_objects_isad.csv"),
                 "--authorities", str(folder / "example_authority_record_relationships.csv"),
                 "--authorities", str(folder / "example_authority_records.csv"),
                 "--repositories", str(folder / "example_repositories.csv"), check=True)
    assert "example_authority_record_relationships.csv: 1 created" in proc.stdout
    assert len(_listing(qoima)) == 2


def test_unknown_reference_code(qoima):
    proc = qoima("export", "ead", "NO-SUCH-REF")
    assert proc.returncode == 1 and "no description with reference code 'NO-SUCH-REF'" in proc.stderr
