"""Independent OAI-PMH harvesters from PyPI (Sickle, Infrae's oaipmh (pyoai), oaipmh-scythe) harvest the provider
over real HTTP: every verb they use, resumption tokens across pages, sets, oai_dc parsing. None of
them may receive a closed, embargoed or researchers-only record."""

from __future__ import annotations

import pytest
from access_fixtures import *  # noqa: F403 - fixtures

from qoima.access.oai import provider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(live_server, archive, monkeypatch):
    # two records per page: a harvest of the fonds needs resumption tokens
    monkeypatch.setattr(provider, "PAGE_RECORDS", 2)
    monkeypatch.setattr(provider, "PAGE_IDENTIFIERS", 2)
    return f"{live_server.url}/oai"


def _expected(archive) -> set[str]:
    return {provider.oai_identifier(archive[k].ref) for k in ("fonds", "series", "item")}


def _hidden(archive) -> set[str]:
    return {provider.oai_identifier(archive[k].ref) for k in ("closed", "embargo", "researchers")}


def test_sickle(endpoint, archive):
    sickle = pytest.importorskip("sickle")
    s = sickle.Sickle(endpoint, max_retries=0)
    assert s.Identify().repositoryName
    assert {f.metadataPrefix for f in s.ListMetadataFormats()} >= {"oai_dc", "oai_ead"}
    specs = {st.setSpec for st in s.ListSets()}
    assert any(spec.endswith(archive["fonds"].ref) for spec in specs)
    records = list(s.ListRecords(metadataPrefix="oai_dc"))
    ids = {r.header.identifier for r in records if not r.header.deleted}
    assert ids == _expected(archive) and not ids & _hidden(archive)
    item = s.GetRecord(identifier=provider.oai_identifier(archive["item"].ref), metadataPrefix="oai_dc")
    assert "Бөкейхановтың хаты" in item.metadata["title"]
    headers = list(s.ListIdentifiers(metadataPrefix="oai_ead"))
    assert {h.identifier for h in headers if not h.deleted} == _expected(archive)


def test_oaipmh_infrae(endpoint, archive):
    client_mod = pytest.importorskip("oaipmh.client")
    from oaipmh.metadata import MetadataRegistry, oai_dc_reader

    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    client = client_mod.Client(endpoint, registry)
    ident = client.identify()
    assert ident.protocolVersion() == "2.0" and ident.deletedRecord() == "persistent"
    assert "oai_dc" in [f[0] for f in client.listMetadataFormats()]
    records = list(client.listRecords(metadataPrefix="oai_dc"))
    ids = {header.identifier() for header, _meta, _about in records if not header.isDeleted()}
    assert ids == _expected(archive)
    header, meta, _ = client.getRecord(identifier=provider.oai_identifier(archive["fonds"].ref),
                                       metadataPrefix="oai_dc")
    assert "Алаш қозғалысы" in meta.getField("title")
    set_spec = next(spec for spec, _name, _d in client.listSets() if spec.endswith(archive["fonds"].ref))
    in_set = {h.identifier() for h in client.listIdentifiers(metadataPrefix="oai_dc", set=set_spec)
              if not h.isDeleted()}
    assert in_set == _expected(archive)


def test_oaipmh_scythe(endpoint, archive):
    scythe = pytest.importorskip("oaipmh_scythe")
    with scythe.Scythe(endpoint) as s:
        assert s.identify().repositoryName
        ids = {r.header.identifier for r in s.list_records(metadata_prefix="oai_dc") if not r.header.deleted}
        assert ids == _expected(archive) and not ids & _hidden(archive)
        rec = s.get_record(identifier=provider.oai_identifier(archive["series"].ref), metadata_prefix="oai_dc")
        assert "Хаттар" in rec.metadata["title"]
