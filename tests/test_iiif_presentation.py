"""IIIF Presentation 3.0 manifests and collections: structure (spec rules checked here), the
iiif-prezi3 models (built from the official JSON schema), languages, access."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from access_fixtures import *  # noqa: F403 - fixtures

CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def _lang_map(v) -> None:
    assert isinstance(v, dict) and v, v
    for k, vals in v.items():
        assert isinstance(k, str) and isinstance(vals, list) and all(isinstance(x, str) for x in vals), v


def check_structure(doc: dict, kind: str) -> None:
    """The MUST rules of Presentation 3.0 this server is responsible for."""
    assert doc["@context"] == CONTEXT and doc["type"] == kind and doc["id"].startswith("http")
    _lang_map(doc["label"])
    for pair in doc.get("metadata", []):
        _lang_map(pair["label"])
        _lang_map(pair["value"])
    if "summary" in doc:
        _lang_map(doc["summary"])
    if "requiredStatement" in doc:
        _lang_map(doc["requiredStatement"]["label"])
        _lang_map(doc["requiredStatement"]["value"])
    if "rights" in doc:
        assert doc["rights"].startswith(("http://creativecommons.org/", "http://rightsstatements.org/"))
    for ref in doc.get("partOf", []) + doc.get("seeAlso", []) + doc.get("homepage", []):
        assert ref["id"].startswith("http") and ref["type"]
    ids = set()
    if kind == "Manifest":
        assert doc["items"], "a Manifest has at least one Canvas"
        for canvas in doc["items"]:
            assert canvas["type"] == "Canvas" and canvas["id"] not in ids
            ids.add(canvas["id"])
            assert isinstance(canvas["width"], int) and isinstance(canvas["height"], int)
            page = canvas["items"][0]
            assert page["type"] == "AnnotationPage"
            anno = page["items"][0]
            assert anno["type"] == "Annotation" and anno["motivation"] == "painting" and anno["target"] == canvas["id"]
            body = anno["body"]
            assert body["type"] == "Image" and body["format"] == "image/jpeg"
            assert (body["width"], body["height"]) == (canvas["width"], canvas["height"])
            assert body["service"][0]["type"] == "ImageService3"
            for t in canvas.get("thumbnail", []):
                assert t["type"] == "Image"
    else:
        for item in doc["items"]:
            assert item["type"] in ("Manifest", "Collection") and item["id"].startswith("http")
            _lang_map(item["label"])


def prezi3_validate(doc: dict, kind: str) -> None:
    prezi3 = pytest.importorskip("iiif_prezi3")
    cls = getattr(prezi3, kind)
    obj = cls(**doc)
    assert obj.id == doc["id"]


def test_manifest(client, archive):
    item = archive["item"]
    r = client.get(f"/iiif/manifest/{quote(item.ref)}")
    assert r.status_code == 200 and r["Access-Control-Allow-Origin"] == "*"
    assert r["Content-Type"].startswith("application/ld+json")
    doc = r.json()
    check_structure(doc, "Manifest")
    prezi3_validate(doc, "Manifest")
    assert doc["label"]["en"] == ["Letter of Bukeikhanov"] and "Бөкейхановтың хаты" in sum(doc["label"].values(), [])
    assert doc["summary"] and doc["viewingDirection"] == "right-to-left"  # töte only
    canvases = doc["items"]
    assert [c["label"]["none"][0] for c in canvases] == ["1", "2"]
    assert [(c["width"], c["height"]) for c in canvases] == [(1200, 900), (900, 1200)]
    service = canvases[0]["items"][0]["items"][0]["body"]["service"][0]["id"]
    assert service == "http://testserver/iiif/3/img-open-1"
    assert client.get(service + "/info.json").status_code == 200
    assert canvases[0]["seeAlso"][0]["id"] == "http://testserver/iiif/alto/img-open-1.xml"
    assert "seeAlso" not in canvases[1]
    assert doc["partOf"][0]["id"] == f"http://testserver/iiif/collection/{quote(archive['series'].ref)}"
    held = doc["requiredStatement"]["value"]
    assert held == {"kk": ["Президент архиві"]}
    thumb = doc["thumbnail"][0]["id"]
    assert client.get(thumb.replace("http://testserver", "")).status_code == 200


def test_collections(client, archive):
    fonds, series = archive["fonds"], archive["series"]
    doc = client.get(f"/iiif/collection/{quote(fonds.ref)}").json()
    check_structure(doc, "Collection")
    prezi3_validate(doc, "Collection")
    assert set(doc["label"]) == {"kk", "ru", "ar"}
    assert [(i["type"], i["id"].rsplit("/", 1)[1]) for i in doc["items"]] == [("Collection", quote(series.ref))]
    doc = client.get(f"/iiif/collection/{quote(series.ref)}").json()
    check_structure(doc, "Collection")
    prezi3_validate(doc, "Collection")
    assert [i["id"].rsplit("/", 1)[1] for i in doc["items"]] == [quote(archive["item"].ref)]


def test_researcher_sees_more_privately(client, archive, researcher):
    client.force_login(researcher)
    doc = client.get(f"/iiif/collection/{quote(archive['series'].ref)}").json()
    assert len(doc["items"]) == 2
    r = client.get(f"/iiif/manifest/{quote(archive['researchers'].ref)}")
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    check_structure(r.json(), "Manifest")


def test_items_without_images_have_no_manifest(client, archive):
    assert client.get(f"/iiif/manifest/{quote(archive['series'].ref)}").status_code == 404
    assert client.get("/iiif/manifest/NO-SUCH-REF").status_code == 404
