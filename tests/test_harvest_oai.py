"""Harvesting a partner's OAI-PMH provider into a partner collection, incrementally. The partner
here is this server's own provider, reached through Django's test client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from access_fixtures import *  # noqa: F403 - fixtures

from qoima.exchange.harvester import HarvestError, harvest

BASE = "http://testserver/oai"


@pytest.fixture
def fetch(client):
    def get(url: str) -> bytes:
        assert url.startswith(BASE)
        r = client.get(url[len("http://testserver"):])
        return b"".join(r.streaming_content) if r.streaming else r.content

    return get


@pytest.fixture
def settled(archive):
    """The partner's records were last changed long ago (so 'since the last harvest' is exact)."""
    from qoima.catalogue.models import Description

    Description.objects.update(modified=datetime(2020, 1, 1, tzinfo=UTC))
    return archive


def partner_records():
    from qoima.catalogue.models import Description

    return {d.legacy_id: d for d in Description.objects.filter(repository__is_partner=True).prefetch_related("texts")}


def test_first_harvest_builds_a_labelled_partner_collection(settled, fetch):
    from qoima.catalogue.models import Repository

    r = harvest(BASE, fetch=fetch)
    assert (r.added, r.updated, r.deleted) == (3, 0, 0)
    repo = Repository.objects.get(code=r.repository)
    assert repo.is_partner and repo.source_url == BASE and repo.name == "Президент архиві"
    recs = partner_records()
    item_id = f"oai:qoima.archive:{settled['item'].ref}"
    assert set(recs) == {f"oai:qoima.archive:{settled[k].ref}" for k in ("fonds", "series", "item")}
    item = recs[item_id]
    assert {(v.lang, v.value) for v in item.text_values("title")} >= {("en", "Letter of Bukeikhanov")}
    assert item.text("scope_and_content").value == "Хат төте жазуымен"
    assert item.level == "item" and item.languages == ["kk"]
    # closed, embargoed and researchers-only records never reach the partner
    assert not any(settled[k].ref in key for key in recs for k in ("closed", "embargo", "researchers"))


def test_harvests_are_incremental(settled, fetch):
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Access

    harvest(BASE, fetch=fetch)
    again = harvest(BASE, fetch=fetch)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    settled["item"].set_text("title", "Letter of A. Bukeikhanov", "en")
    changed = harvest(BASE, fetch=fetch)
    assert (changed.added, changed.updated, changed.deleted) == (0, 1, 0)
    item_id = f"oai:qoima.archive:{settled['item'].ref}"
    assert partner_records()[item_id].text("title", "en").value == "Letter of A. Bukeikhanov"
    hierarchy.set_access(settled["item"], Access.CLOSED, reason="withdrawn")
    withdrawn = harvest(BASE, fetch=fetch)
    assert withdrawn.deleted == 1 and item_id not in partner_records()
    full = harvest(BASE, fetch=fetch, full=True)
    assert (full.added, full.updated) == (0, 2)


def test_sets_and_from(settled, fetch):
    r = harvest(BASE, "APRK:KZ-APRK-F1", fetch=fetch)
    assert r.added == 3
    r = harvest(BASE, from_date="2030-01-01", fetch=fetch)
    assert (r.added, r.updated) == (0, 0)


def test_refuses_hostile_or_broken_providers(db):
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><OAI-PMH>&e;</OAI-PMH>'
    with pytest.raises(HarvestError, match="refused"):
        harvest(BASE, fetch=lambda url: evil)
    with pytest.raises(HarvestError, match="not an OAI-PMH response"):
        harvest(BASE, fetch=lambda url: b"<html/>")
    with pytest.raises(HarvestError, match="not an http"):
        harvest("file:///etc/passwd", fetch=lambda url: b"")


def test_cli_reports_unreachable_provider(qoima):
    r = qoima("harvest", "http://127.0.0.1:9/oai")
    assert r.returncode == 1 and "error" in r.stderr and "127.0.0.1:9" in r.stderr
