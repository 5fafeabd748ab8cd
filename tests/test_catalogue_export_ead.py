"""EAD3 export: schema-valid, every language of every element, the whole subtree, and a round trip."""

from __future__ import annotations

import pytest
from catalogue_fixtures import DATA, schema, snapshot, wipe_catalogue
from lxml import etree

from qoima.catalogue import ead_export
from qoima.catalogue.atom_descriptions import import_descriptions
from qoima.catalogue.ead_import import import_ead
from qoima.catalogue.models import Description

pytestmark = pytest.mark.django_db
EAD = "http://ead3.archivists.org/schema/"
NS = {"e": EAD}


@pytest.fixture(scope="module")
def ead3_schema(standards):
    return schema(standards, "ead3/ead3.xsd")


def _fonds() -> Description:
    return Description.objects.get(parent=None)


def test_multilingual_export_is_valid_and_complete(ead3_schema, tmp_path):
    import_descriptions(DATA / "multilingual.csv")
    data = ead_export.to_bytes(_fonds())
    doc = etree.fromstring(data)
    assert ead3_schema.validate(doc), ead3_schema.error_log
    arch = doc.find("e:archdesc", NS)
    assert (arch.get("level"), arch.get("lang"), arch.get("script")) == ("fonds", "kaz", "Cyrl")
    titles = {(t.get("lang"), t.get("script")): (t.text, t.get("altrender"))
              for t in arch.findall("e:did/e:unittitle", NS)}
    assert titles[("kaz", "Cyrl")] == ("Халықаралық архивтік ынтымақтастық қоры", None)
    assert titles[("kaz", "Latn")] == ("Halyqaralyq arhivtik yntymaqtastyq qory", "translation-human")
    assert titles[("ara", "Arab")][0] == "صندوق التعاون الأرشيفي الدولي"
    assert {("rus", "Cyrl"), ("eng", "Latn")} <= set(titles)
    declared = {(x.find("e:language", NS).get("langcode"), x.find("e:script", NS).get("scriptcode"))
                for x in doc.findall("e:control/e:languagedeclaration", NS)}
    assert {("kaz", "Cyrl"), ("kaz", "Latn"), ("rus", "Cyrl"), ("ara", "Arab"), ("eng", "Latn")} <= declared
    dates = arch.findall("e:did/e:unitdate", NS)
    assert {d.get("normal") for d in dates} == {"1992-01-01/2005-12-31"}
    assert len(dates) == 5  # the date as written in kk, kk-Latn, ru, ar, en
    creators = arch.findall("e:did/e:origination/e:corpname", NS) + arch.findall("e:did/e:origination/e:persname", NS)
    assert {c.get("lang") for c in creators} == {"kaz", "rus", "eng"}
    assert len({c.get("normal") for c in creators}) == 1
    assert len(doc.findall(".//e:c", NS)) == Description.objects.count() - 1
    series = next(c for c in doc.iter(f"{{{EAD}}}c") if c.findtext("e:did/e:unitid", namespaces=NS) == "S1")
    assert len(series.findall("e:c", NS)) == 3
    subjects = arch.findall("e:controlaccess/e:subject", NS)
    assert {s.get("lang") for s in subjects} == {"kaz", "rus", "ara", "eng"}
    assert len(arch.findall("e:odd", NS)) == 8  # two notes in kk, kk-Latn, ru, en


@pytest.mark.parametrize("source", ["multilingual.csv", "ead2002.xml"])
def test_round_trip(ead3_schema, source):
    if source.endswith(".csv"):
        import_descriptions(DATA / source)
    else:
        import_ead(DATA / source)
    before = snapshot()
    data = ead_export.to_bytes(_fonds())
    assert ead3_schema.validate(etree.fromstring(data)), ead3_schema.error_log
    wipe_catalogue()
    assert Description.objects.count() == 0
    import_ead("round-trip.xml", data=data)
    after = snapshot()
    assert sorted(after) == sorted(before)
    for ref in before:
        assert after[ref] == before[ref], ref
    # and the export of the re-import is the same document (but for the export time)
    again = ead_export.to_bytes(_fonds())
    strip = lambda b: etree.tostring(_without_time(etree.fromstring(b)))  # noqa: E731
    assert strip(again) == strip(data)


def _without_time(doc):
    for e in doc.iter(f"{{{EAD}}}eventdatetime"):
        e.text = e.get("standarddatetime")[:0]
        e.set("standarddatetime", "")
    return doc


@pytest.mark.parametrize("name", ["C1571.EAD3.xml", "mc00019.xml", "mc00212.xml"])
def test_real_finding_aids_export_valid(standards, ead3_schema, name):
    import_ead(standards / "ead3-samples" / name)
    data = ead_export.to_bytes(_fonds())
    doc = etree.fromstring(data)
    assert ead3_schema.validate(doc), ead3_schema.error_log
    assert len(doc.findall(".//e:c", NS)) == Description.objects.count() - 1


def test_atom_examples_export_valid(standards, ead3_schema):
    import_descriptions(standards / "atom-csv" / "example_information_objects_rad.csv")
    doc = etree.fromstring(ead_export.to_bytes(_fonds()))
    assert ead3_schema.validate(doc), ead3_schema.error_log
    assert doc.find("e:archdesc/e:did/e:dao", NS).get("href").startswith("https://")
    assert doc.find("e:archdesc/e:did/e:unitid", NS).get("repositorycode")


def test_visibility_filter_leaves_out_closed_records():
    from qoima.accounts.models import User
    from qoima.catalogue import hierarchy
    from qoima.catalogue.exporting import NotVisible

    import_descriptions(DATA / "multilingual.csv")
    series = Description.objects.get(identifier="S1")
    hierarchy.set_access(series, "closed", reason="personal data")
    public = User.objects.create(username="reader", role="public")
    doc = etree.fromstring(ead_export.to_bytes(_fonds(), user=public))
    units = {u.text for u in doc.iter(f"{{{EAD}}}unitid")}
    assert "S1" not in units and "12" not in units and "2" in units
    everyone = etree.fromstring(ead_export.to_bytes(_fonds()))
    assert "S1" in {u.text for u in everyone.iter(f"{{{EAD}}}unitid")}
    with pytest.raises(NotVisible):
        ead_export.to_bytes(series.ref, user=public)


def test_single_record_element_for_oai():
    import_descriptions(DATA / "multilingual.csv")
    root = ead_export.to_element(Description.objects.get(identifier="S1").ref)
    assert root.tag == f"{{{EAD}}}ead"
    assert root.find("e:archdesc/e:dsc", NS) is None
    c = ead_export.component(Description.objects.get(legacy_id="ml-4").ref)
    assert c.get("id") == "Lml-4" and c.find("e:did/e:unittitle", NS).text == "Хат без номера"


@pytest.mark.parametrize("name", ["example_information_objects_isad.csv", "example_information_objects_rad.csv"])
def test_round_trip_of_atom_examples(standards, name):
    import_descriptions(standards / "atom-csv" / name)
    before = snapshot()
    data = ead_export.to_bytes(_fonds())
    wipe_catalogue()
    import_ead("round-trip.xml", data=data)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["C1571.EAD3.xml", "mc00019.xml"])
def test_round_trip_of_real_finding_aids(standards, ead3_schema, name):
    import_ead(standards / "ead3-samples" / name)
    before = snapshot()
    data = ead_export.to_bytes(_fonds())
    assert ead3_schema.validate(etree.fromstring(data)), ead3_schema.error_log
    wipe_catalogue()
    import_ead("round-trip.xml", data=data)
    assert snapshot() == before
