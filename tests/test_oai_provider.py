"""OAI-PMH 2.0 provider: verbs, errors, sets, datestamps, resumption, deletions, schema validity."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from access_fixtures import *  # noqa: F403 - fixtures
from conftest import shared_standards
from lxml import etree

from qoima.access.oai import provider

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
_SCHEMA = None


def q(prefix: str, name: str) -> str:
    return "{" + NS[prefix] + "}" + name


def schema():
    """The official OAI-PMH + oai_dc schemas, offline (None when ../shared is absent)."""
    global _SCHEMA
    std = shared_standards()
    if std is None:
        return None
    if _SCHEMA is None:
        os.environ.setdefault("XML_CATALOG_FILES", str(std / "schemas" / "catalog.xml"))
        sc = std / "schemas"
        driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:driver">
          <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="{(sc / 'oai/OAI-PMH.xsd').as_uri()}"/>
          <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="{(sc / 'oai/oai_dc.xsd').as_uri()}"/>
          <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai-identifier" schemaLocation="{(sc / 'oai/oai-identifier.xsd').as_uri()}"/>
          <xs:import namespace="http://ead3.archivists.org/schema/" schemaLocation="{(sc / 'ead3/ead3.xsd').as_uri()}"/>
        </xs:schema>"""
        _SCHEMA = etree.XMLSchema(etree.fromstring(driver.encode()))
    return _SCHEMA


def oai(client, method="get", **params):
    r = getattr(client, method)("/oai", params)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/xml")
    body = b"".join(r.streaming_content) if r.streaming else r.content
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(body, parser)
    s = schema()
    if s is not None:
        assert s.validate(tree), f"{s.error_log}\n{body[:3000]!r}"
    return tree, body.decode()


def error_code(tree) -> str | None:
    e = tree.find("o:error", NS)
    return e.get("code") if e is not None else None


def harvest(client, verb="ListRecords", **params):
    """Follow resumption tokens; returns the headers and records of every page."""
    tree, _ = oai(client, verb=verb, **params)
    assert error_code(tree) is None, etree.tostring(tree)
    pages = [tree]
    while (tok := tree.find(f"o:{verb}/o:resumptionToken", NS)) is not None and tok.text:
        tree, _ = oai(client, verb=verb, resumptionToken=tok.text)
        assert error_code(tree) is None
        pages.append(tree)
    return pages


def identifiers(pages, deleted: bool | None = None) -> list[str]:
    out = []
    for t in pages:
        for h in t.iter(q("o", "header")):
            if deleted is None or (h.get("status") == "deleted") == deleted:
                out.append(h.findtext("o:identifier", namespaces=NS))
    return out


def oid(ref: str) -> str:
    return provider.oai_identifier(ref)


def test_identify(client, archive):
    tree, _ = oai(client, verb="Identify")
    ident = tree.find("o:Identify", NS)
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert ident.findtext("o:adminEmail", namespaces=NS) == "a@example.kz"


def test_formats_and_sets(client, archive):
    tree, _ = oai(client, verb="ListMetadataFormats")
    assert "oai_dc" in [p.text for p in tree.iter(q("o", "metadataPrefix"))]
    tree, _ = oai(client, verb="ListMetadataFormats", identifier=oid(archive["item"].ref))
    assert error_code(tree) is None
    tree, _ = oai(client, verb="ListMetadataFormats", identifier=oid(archive["closed"].ref))
    assert error_code(tree) == "idDoesNotExist"
    tree, _ = oai(client, verb="ListSets")
    specs = [s.text for s in tree.iter(q("o", "setSpec"))]
    assert specs == ["APRK", "APRK:KZ-APRK-F1"]


def test_list_records_shows_only_public_material(client, archive):
    pages = harvest(client, metadataPrefix="oai_dc")
    ids = identifiers(pages)
    for key in ("fonds", "series", "item"):
        assert oid(archive[key].ref) in ids
    body = "".join(etree.tostring(p, encoding="unicode") for p in pages)
    for key in ("closed", "embargo", "researchers"):
        assert archive[key].ref not in body, key
        assert archive[key].title not in body, key
    rec = [r for r in pages[0].iter(q("o", "record"))
           if r.findtext("o:header/o:identifier", namespaces=NS) == oid(archive["item"].ref)][0]
    titles = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text for t in rec.iter(q("dc", "title"))}
    assert titles == {"kk-Arab": "Бөкейхановтың хаты", "en": "Letter of Bukeikhanov"} or titles["en"] == "Letter of Bukeikhanov"
    sets = [s.text for s in rec.iter(q("o", "setSpec"))]
    assert sets == ["APRK", "APRK:KZ-APRK-F1"]
    assert archive["series"].ref in [r.text for r in rec.iter(q("dc", "relation"))]


def test_get_record_and_errors(client, archive):
    tree, _ = oai(client, verb="GetRecord", identifier=oid(archive["item"].ref), metadataPrefix="oai_dc")
    assert tree.find("o:GetRecord/o:record/o:metadata/oai_dc:dc", NS) is not None
    cases = [
        ({}, "badVerb"),
        ({"verb": "Frobnicate"}, "badVerb"),
        ({"verb": "GetRecord", "identifier": oid(archive["item"].ref)}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": "oai:elsewhere:1", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "GetRecord", "identifier": oid(archive["closed"].ref), "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "NOPE"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-01-01", "until": "2002-01-01T00:00:00Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2002-01-01", "until": "2001-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
    ]
    for params, code in cases:
        tree, _ = oai(client, **params)
        assert error_code(tree) == code, params
        if code in ("badVerb", "badArgument"):
            assert not tree.find("o:request", NS).attrib
    tree, _ = oai(client, verb=["ListSets", "Identify"])
    assert error_code(tree) == "badVerb"


def test_no_set_hierarchy_and_no_formats(client, db, monkeypatch):
    from qoima.catalogue import hierarchy

    hierarchy.create(identifier="X1", level="fonds", title="Without a repository", lang="en")
    tree, _ = oai(client, verb="ListSets")
    assert error_code(tree) == "noSetHierarchy"
    tree, _ = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="A")
    assert error_code(tree) == "noSetHierarchy"
    monkeypatch.setattr("qoima.access.oai.formats.available", lambda: [])
    tree, _ = oai(client, verb="ListMetadataFormats")
    assert error_code(tree) == "noMetadataFormats"


def test_resumption_tokens_are_stateless(client, archive, monkeypatch):
    from django.test import Client

    from qoima.catalogue import hierarchy

    for n in range(7):
        hierarchy.create(identifier=f"{10 + n}", level="item", parent=archive["series"], title=f"Хат {n}", lang="kk")
    monkeypatch.setattr(provider, "PAGE_RECORDS", 3)
    monkeypatch.setattr(provider, "PAGE_IDENTIFIERS", 4)
    full = harvest(client, metadataPrefix="oai_dc")
    assert len(full) == 4  # 10 public records, 3 a page
    first = full[0].find("o:ListRecords/o:resumptionToken", NS)
    assert first.get("completeListSize") == "10" and first.get("cursor") == "0"
    ids = identifiers(full)
    assert len(ids) == len(set(ids)) == 10
    # A token issued before is honoured by another client and process state (nothing kept server-side).
    provider.Query.from_token("ListRecords", first.text)
    again, _ = oai(Client(), verb="ListRecords", resumptionToken=first.text)
    assert identifiers([again]) == identifiers([full[1]])
    tree, _ = oai(client, verb="ListIdentifiers", resumptionToken=first.text)
    assert error_code(tree) == "badResumptionToken"
    heads = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="APRK:KZ-APRK-F1")
    assert len(identifiers(heads)) == 10 and len(heads) == 3
    last = heads[-1].find("o:ListIdentifiers/o:resumptionToken", NS)
    assert last.text is None and last.get("cursor") == "8"


def test_datestamps_and_windows(client, archive):
    from qoima.catalogue.models import Description

    old = datetime(2020, 5, 1, 12, 0, 0, tzinfo=UTC)
    Description.objects.filter(pk__in=[archive["fonds"].pk, archive["series"].pk]).update(modified=old)
    ids = identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01"))
    assert ids == [oid(archive["fonds"].ref), oid(archive["series"].ref)]
    ids = identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                              **{"from": "2020-05-01T12:00:01Z"}))
    assert oid(archive["fonds"].ref) not in ids and oid(archive["item"].ref) in ids
    tree, _ = oai(client, verb="GetRecord", identifier=oid(archive["fonds"].ref), metadataPrefix="oai_dc")
    assert tree.findtext(".//o:header/o:datestamp", namespaces=NS) == "2020-05-01T12:00:00Z"


def test_ended_embargo_is_published_with_its_end_date(client, archive):
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Access, Description

    d = archive["embargo"]
    hierarchy.set_access(d, Access.EMBARGO, until=date.today() - timedelta(days=1))
    Description.objects.filter(pk=d.pk).update(modified=datetime(2020, 1, 1, tzinfo=UTC))
    tree, _ = oai(client, verb="GetRecord", identifier=oid(d.ref), metadataPrefix="oai_dc")
    assert tree.findtext(".//o:header/o:datestamp", namespaces=NS) == f"{date.today().isoformat()}T00:00:00Z"
    ids = identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                              **{"from": date.today().isoformat()}))
    assert oid(d.ref) in ids


def test_withdrawn_and_deleted_records_persist_as_deleted(client, archive):
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Access, Description

    Description.objects.update(modified=datetime(2020, 1, 1, tzinfo=UTC))
    harvest(client, metadataPrefix="oai_dc")  # partners have now seen the open records
    before = datetime.now(UTC).replace(microsecond=0)
    item = hierarchy.set_access(archive["item"], Access.CLOSED, reason="personal data found")
    pages = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                    **{"from": before.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert identifiers(pages, deleted=True) == [oid(item.ref)]
    assert identifiers(pages, deleted=False) == []
    tree, body = oai(client, verb="GetRecord", identifier=oid(item.ref), metadataPrefix="oai_dc")
    assert tree.find(".//o:header", NS).get("status") == "deleted"
    assert tree.find(".//o:metadata", NS) is None and item.title not in body
    # Never-public records stay unmentioned, even as deleted.
    assert oid(archive["closed"].ref) not in identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    # A harvested record removed from the catalogue keeps a tombstone, in its sets too.
    extra = hierarchy.create(identifier="99", level="item", parent=archive["series"], title="Қате", lang="kk")
    harvest(client, metadataPrefix="oai_dc", set="APRK")
    ref = extra.ref
    extra.delete()
    deleted = identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="APRK:KZ-APRK-F1"), deleted=True)
    assert oid(ref) in deleted and oid(item.ref) in deleted
    tree, _ = oai(client, verb="GetRecord", identifier=oid(ref), metadataPrefix="oai_dc")
    assert tree.find(".//o:header", NS).get("status") == "deleted"


def test_post_and_partner_collections(client, archive):
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Repository

    partner = Repository.objects.create(code="QDL", name="Partner", is_partner=True)
    hierarchy.create(identifier="P1", level="fonds", repository=partner, title="Harvested", lang="en")
    tree, body = oai(client, method="post", verb="ListRecords", metadataPrefix="oai_dc")
    assert error_code(tree) is None
    assert "QDL-P1" not in body
    tree, _ = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="QDL")
    assert error_code(tree) == "noRecordsMatch"


def test_oai_ead_records_are_valid_ead3(client, archive):
    from qoima.access.oai import formats

    if "oai_ead" not in [f.prefix for f in formats.available()]:
        pytest.skip("the catalogue's EAD3 writer is not installed")
    pages = harvest(client, metadataPrefix="oai_ead")  # validated against OAI-PMH + EAD3 in oai()
    ead = "{http://ead3.archivists.org/schema/}"
    records = list(pages[0].iter(q("o", "record")))
    assert len(records) == 3
    body = "".join(etree.tostring(p, encoding="unicode") for p in pages)
    assert all(r.find(f"o:metadata/{ead}ead", NS) is not None for r in records)
    assert archive["closed"].title not in body and "Letter of Bukeikhanov" in body
