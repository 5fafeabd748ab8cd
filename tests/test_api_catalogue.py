"""The JSON API /api/v1/: OpenAPI document, every response valid against it, the access rule."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web_fixtures are redefined as arguments)

from __future__ import annotations

import jsonschema
import pytest

from qoima.accounts.models import AuditEntry
from tests.web_fixtures import (  # noqa: F401
    CLOSED_TITLE,
    FONDS_TITLES,
    archivist,
    compiled_messages,
    researcher,
    tree,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def openapi(client):
    r = client.get(f"{API}/openapi.json")
    assert r.status_code == 200
    return r.json()


def check(client, openapi, path_template: str, url: str, status: int = 200, **params):
    """GET `url` and validate the body against the OpenAPI response schema of `path_template`."""
    r = client.get(url, params)
    assert r.status_code == status, r.content
    schema = openapi["paths"][path_template]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(r.json(), {**schema, "components": openapi["components"]})
    return r.json()


def test_openapi_document_describes_the_catalogue(openapi):
    paths = openapi["paths"]
    for p in ("/api/v1/descriptions", "/api/v1/descriptions/{ref}", "/api/v1/descriptions/{ref}/children",
              "/api/v1/authorities", "/api/v1/authorities/{authority_id}", "/api/v1/repositories",
              "/api/v1/repositories/{code}"):
        assert p in paths, p
    detail = openapi["components"]["schemas"]["DescriptionDetail"]["properties"]
    assert {"elements", "dates", "creators", "access_points", "children_count", "parent", "links"} <= set(detail)
    assert "BCP 47" in openapi["components"]["schemas"]["Value"]["properties"]["lang"]["description"]


def test_description_detail_carries_every_language(client, openapi, tree):
    f1 = tree["fonds"]
    data = check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{f1.ref}")
    titles = {v["lang"]: v for v in data["elements"]["title"]}
    assert {k: v["value"] for k, v in titles.items()} == FONDS_TITLES
    assert titles["kk"]["original"] and titles["kk"]["method"] == "original"
    assert titles["ar"]["method"] == "machine" and titles["ar"]["dir"] == "rtl" and titles["ar"]["script"] == "Arab"
    assert titles["fa"]["method"] == "reviewed"
    assert data["dates"] == [{"expression": "1920-е гг.", "lang": "ru", "event_type": "creation",
                              "start": "1920-01-01", "end": "1929-12-31"}]
    assert [c["name"] for c in data["creators"]] == ["Байтұрсынұлы, Ахмет"]
    assert data["access_points"][0]["taxonomy"] == "place"
    assert {x["lang"] for x in data["access_points"][0]["labels"]} == {"en", "ar"}
    # children the anonymous caller may see: S1 and the researchers-only item are … S1 only
    assert data["children_count"] == 1 and data["parent"] is None
    assert data["links"]["html"] == f"/records/{f1.ref}"


def test_children_are_paged(client, openapi, tree):
    s1 = tree["series"]
    page1 = check(client, openapi, "/api/v1/descriptions/{ref}/children", f"{API}/descriptions/{s1.ref}/children")
    assert page1["count"] == 30 and page1["pages"] == 2 and len(page1["items"]) == 25
    assert [i["identifier"] for i in page1["items"][:3]] == ["1", "2", "3"]
    assert page1["next"].endswith("?page=2")
    page2 = check(client, openapi, "/api/v1/descriptions/{ref}/children",
                  f"{API}/descriptions/{s1.ref}/children", page=2)
    assert [i["identifier"] for i in page2["items"]] == [str(n) for n in range(26, 31)]
    assert client.get(f"{API}/descriptions/{s1.ref}/children", {"page": 3}).status_code == 404
    assert client.get(f"{API}/descriptions/{s1.ref}/children", {"page_size": 1000}).status_code == 422


def test_list_filters_under_and_level(client, openapi, tree):
    data = check(client, openapi, "/api/v1/descriptions", f"{API}/descriptions",
                 under=tree["fonds"].ref, level="item", page_size=100)
    refs = [i["ref"] for i in data["items"]]
    # the 30 letters, and the open item inside the closed file (never the closed or embargoed ones)
    assert refs == [i.ref for i in tree["items"]] + [tree["open_in_closed"].ref]
    roots = check(client, openapi, "/api/v1/descriptions", f"{API}/descriptions", roots="true")
    assert [i["ref"] for i in roots["items"]] == [tree["fonds"].ref]


def test_access_rule_in_the_api(client, openapi, tree, researcher, archivist):
    closed, embargoed, reserved = tree["closed"], tree["embargoed"], tree["researchers"]
    for d in (closed, embargoed, tree["closed"]):
        check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{d.ref}", status=404)
        check(client, openapi, "/api/v1/descriptions/{ref}/children", f"{API}/descriptions/{d.ref}/children", 404)
    check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{reserved.ref}", status=403)
    everything = check(client, openapi, "/api/v1/descriptions", f"{API}/descriptions", page_size=100)
    refs = {i["ref"] for i in everything["items"]}
    assert not refs & {closed.ref, embargoed.ref, reserved.ref}
    assert tree["open_in_closed"].ref in refs  # open by its own rule

    client.force_login(researcher)
    assert client.get(f"{API}/descriptions/{reserved.ref}").status_code == 200
    assert client.get(f"{API}/descriptions/{closed.ref}").status_code == 404
    assert AuditEntry.objects.filter(ref=reserved.ref, door="api").count() == 1

    client.force_login(archivist)
    data = check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{embargoed.ref}")
    assert data["access"] == "embargo" and data["access_until"] == "2099-01-01"
    data = check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{closed.ref}")
    assert data["elements"]["title"][0]["value"] == CLOSED_TITLE
    assert check(client, openapi, "/api/v1/descriptions/{ref}", f"{API}/descriptions/{tree['fonds'].ref}")[
        "children_count"] == 4


def test_authorities_and_repositories(client, openapi, tree, repository):
    person = tree["person"]
    listing = check(client, openapi, "/api/v1/authorities", f"{API}/authorities")
    assert [a["id"] for a in listing["items"]] == [person.pk]
    data = check(client, openapi, "/api/v1/authorities/{authority_id}", f"{API}/authorities/{person.pk}")
    forms = {(n["lang"], n["script"], n["scheme"]) for n in data["names"]}
    assert ("kk-Latn", "Latn", "kk-Latn-2021") in forms and ("kk-Arab", "Arab", "") in forms
    assert data["descriptions_count"] == 1
    assert client.get(data["descriptions"]).json()["items"][0]["ref"] == tree["fonds"].ref
    check(client, openapi, "/api/v1/authorities/{authority_id}", f"{API}/authorities/999999", status=404)

    repos = check(client, openapi, "/api/v1/repositories", f"{API}/repositories")
    assert [r["code"] for r in repos] == [repository.code]
    data = check(client, openapi, "/api/v1/repositories/{code}", f"{API}/repositories/{repository.code}")
    assert data["fonds_count"] == 1
    err = check(client, openapi, "/api/v1/repositories/{code}", f"{API}/repositories/NOPE", status=404)
    assert "NOPE" in err["detail"]


def test_reference_codes_with_unusual_characters(client, repository):
    from qoima.catalogue import hierarchy as h

    f = h.create(identifier="Ф.1:ә", level="fonds", repository=repository, title="Қор", lang="kk")
    child = h.create(identifier="children", level="file", parent=f, title="Іс", lang="kk")
    assert client.get(f"{API}/descriptions/{f.ref}").json()["ref"] == f.ref
    assert client.get(f"{API}/descriptions/{child.ref}").json()["ref"] == child.ref
    assert [i["ref"] for i in client.get(f"{API}/descriptions/{f.ref}/children").json()["items"]] == [child.ref]


def test_api_docs_page_needs_no_cdn(client):
    body = client.get(f"{API}/docs").content.decode()
    assert "swagger-ui-bundle.js" in body and "cdn" not in body.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
