"""Search surfaces: the JSON API with facets, the reading-room page, the CLI, authority duplicates."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qoima.catalogue import hierarchy
from qoima.recognize.models import RecognizedPage
from tests.search_fixtures import link, make_description, make_person, make_repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    repo = make_repository()
    fonds = make_description(repo, "F1", "Қазақстан тарихы бойынша құжаттар", "kk", level="fonds")
    tote = make_description(repo, "F3", "قازاقستان تاريحى", "kk-Arab")
    closed = make_description(repo, "F4", "Qazaqstan secret file", "en")
    hierarchy.set_access(closed, "closed")
    scans = make_description(repo, "F5", "Scanned ledgers", "en")
    # a recognized page, indexed through the recognize → search signal as OCR would do it
    RecognizedPage.objects.create(
        description=scans, page=7, text="Қазақстан өлкелік комитеті", lang="kk-Cyrl", script="Cyrl",
        lines=[{"box": [100, 200, 900, 60], "lang": "kk-Cyrl", "flags": [], "words": [
            ["Қазақстан", 100, 200, 300, 60, 96.0], ["өлкелік", 420, 200, 250, 60, 95.0],
            ["комитеті", 690, 200, 310, 60, 94.0]]}])
    person = make_person(("Әлихан Бөкейханов", "kk"), ("Alikhan Bukeikhanov", "en"))
    link(fonds, person)
    return dict(repo=repo, fonds=fonds, tote=tote, closed=closed, scans=scans, person=person)


def test_api_search_returns_hits_and_facets(client, records):
    r = client.get("/api/v1/search", {"q": "Qazaqstan"})
    assert r.status_code == 200
    body = r.json()
    refs = [h["ref"] for h in body["hits"]]
    assert {records["fonds"].ref, records["tote"].ref, records["scans"].ref} <= set(refs)
    assert records["closed"].ref not in refs and body["total"] == len(refs)
    page_hit = next(h for h in body["hits"] if h["ref"] == records["scans"].ref)
    assert page_hit["page"] == 7 and page_hit["url"].endswith("?page=7")
    assert page_hit["words"] == [{"text": "Қазақстан", "box": [100, 200, 300, 60]}]  # the word on the image
    assert set(body["facets"]) == {"level", "repository", "date", "language", "creator", "has_images"}
    assert {"value": "fonds", "label": "", "count": 1} in body["facets"]["level"]
    creators = body["facets"]["creator"]
    assert creators and creators[0]["value"] == records["person"].pk


def test_api_filters_and_bad_input(client, records):
    r = client.get("/api/v1/search", {"q": "Qazaqstan", "level": "fonds"})
    assert [h["ref"] for h in r.json()["hits"]] == [records["fonds"].ref]
    r = client.get("/api/v1/search", {"q": "Qazaqstan", "creator": str(records["person"].pk)})
    assert [h["ref"] for h in r.json()["hits"]] == [records["fonds"].ref]
    assert client.get("/api/v1/search", {"q": "Qazaqstan", "date_from": "19x"}).status_code == 400
    assert client.get("/api/v1/search").status_code == 422


def test_api_archivist_sees_closed_records(client, records, django_user_model):
    client.force_login(django_user_model.objects.create(username="arch", role="archivist"))
    refs = [h["ref"] for h in client.get("/api/v1/search", {"q": "Qazaqstan"}).json()["hits"]]
    assert records["closed"].ref in refs


def test_search_page_shows_snippets_in_their_direction_and_facets(client, records):
    r = client.get("/search", {"q": "Qazaqstan"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'dir="rtl"><mark>قازاقستان</mark>' in html.replace(' lang="kk-Arab"', "")
    assert f'/records/{records["scans"].ref}?page=7' in html
    assert "?q=Qazaqstan&amp;level=fonds" in html
    assert records["closed"].title not in html
    narrowed = client.get("/search", {"q": "Qazaqstan", "level": "fonds"}).content.decode()
    assert records["tote"].ref not in narrowed and records["fonds"].ref in narrowed


def test_search_page_without_query_and_bad_date(client, records):
    assert client.get("/search").status_code == 200
    r = client.get("/search", {"q": "Qazaqstan", "date_to": "soon"})
    assert r.status_code == 200 and "date_to" in r.content.decode()


def test_cli_search_json(records):
    from qoima.cli import app

    result = CliRunner().invoke(app, ["search", "Qazaqstan", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["total"] == 3 and len(out["hits"]) == 2
    assert set(out["hits"][0]) >= {"ref", "title", "score", "snippet", "page"}


def test_cli_reindex(records):
    from qoima.cli import app
    from qoima.search.models import Entry

    Entry.objects.exclude(kind="page").delete()
    result = CliRunner().invoke(app, ["search", "--reindex"])
    assert result.exit_code == 0, result.output
    assert "4 descriptions" in result.output
    assert Entry.objects.filter(kind="description").count() == 4
    assert Entry.objects.filter(kind="page").count() == 1  # recognized pages are kept


def test_authority_duplicates_across_scripts(db):
    from qoima.search.duplicates import find_duplicates

    a = make_person(("Әлихан Бөкейханов", "kk"))
    b = make_person(("Alikhan Bukeikhanov", "en"))
    c = make_person(("علي خان بوكيخانوف", "ar"))
    other = make_person(("Ахмет Байтұрсынұлы", "kk"))
    pairs = {frozenset((d.a, d.b)) for d in find_duplicates()}
    assert frozenset((a.pk, b.pk)) in pairs
    assert frozenset((b.pk, c.pk)) in pairs or frozenset((a.pk, c.pk)) in pairs
    assert not any(other.pk in p for p in pairs)


def test_cli_authorities_duplicates(db):
    from qoima.cli import app

    make_person(("Шоқан Уәлиханов", "kk"))
    make_person(("Chokan Valikhanov", "en"))
    result = CliRunner().invoke(app, ["authorities", "duplicates", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert len(found) == 1 and found[0]["cross_script"] is True
