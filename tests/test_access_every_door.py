"""A closed and an embargoed record, tried through every door by an anonymous visitor and by a
registered researcher: none may show the record, its title, its images or its OCR.

Each door is its own test case; doors that are not (yet) part of this build are skipped with the
reason, so the list grows by itself as the search, sitemap and download doors arrive.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest
from access_fixtures import *  # noqa: F403 - fixtures
from django.urls import Resolver404, resolve

WHO = ["anonymous", "researcher"]
WHICH = ["closed", "embargo"]


def _exists(path: str) -> bool:
    try:
        resolve(path)
        return True
    except Resolver404:
        return False


def _body(r) -> str:
    data = b"".join(r.streaming_content) if getattr(r, "streaming", False) else r.content
    return data.decode("utf-8", "replace")


def _hidden(r, d, echo: str = "") -> None:
    """The response may be anything but must not carry the record (the visitor's own query, `echo`,
    may be repeated back to them)."""
    body = _body(r)
    if echo:
        for form in (html.escape(echo), echo, json.dumps(echo)[1:-1]):
            body = body.replace(form, "")
    assert d.ref not in body, f"{d.ref} leaked"
    assert d.title not in body, f"title of {d.ref} leaked"
    assert json.dumps(d.title)[1:-1] not in body, f"title of {d.ref} leaked (JSON-escaped)"


def _refused(r, d, allowed=(403, 404)) -> None:
    assert r.status_code in allowed, f"status {r.status_code}"
    _hidden(r, d)


MISSING = "KZ-APRK-F1-S1-999"
_VOLATILE = re.compile(r'(value="[A-Za-z0-9]{32,}"|<responseDate>[^<]*</responseDate>)')


def _like_missing(c, d, make, allowed=(404,)) -> None:
    """Asked for by its reference code, the record answers exactly as a record that does not exist
    (the code the visitor typed may be echoed back; nothing else may differ)."""
    r, m = make(d.ref), make(MISSING)
    assert r.status_code in allowed and r.status_code == m.status_code, f"status {r.status_code} vs {m.status_code}"
    body = _VOLATILE.sub("", _body(r).replace(quote(d.ref), "REF").replace(d.ref, "REF"))
    missing = _VOLATILE.sub("", _body(m).replace(quote(MISSING), "REF").replace(MISSING, "REF"))
    assert body == missing, "the answer differs from the answer for a record that does not exist"
    assert d.title not in body


# Each door: (name, function(client, archive, d) -> None). `d` is the closed or embargoed item;
# its image id is img-<which>, its siblings live under archive["series"].
def door_page(c, a, d):
    _like_missing(c, d, lambda ref: c.get(f"/records/{quote(ref)}"))


def door_page_children(c, a, d):
    r = c.get(f"/records/{quote(a['series'].ref)}")
    assert r.status_code == 200
    _hidden(r, d)


def door_browse(c, a, d):
    for url in ("/browse/", f"/browse/node/{quote(a['series'].ref)}"):
        _hidden(c.get(url), d)
    _like_missing(c, d, lambda ref: c.get(f"/browse/node/{quote(ref)}"), (403, 404))


def door_api_record(c, a, d):
    _like_missing(c, d, lambda ref: c.get(f"/api/v1/descriptions/{quote(ref)}"))
    _like_missing(c, d, lambda ref: c.get(f"/api/v1/descriptions/{quote(ref)}/children"))


def door_api_lists(c, a, d):
    for url in (f"/api/v1/descriptions/{quote(a['series'].ref)}/children",
                f"/api/v1/descriptions?under={quote(a['series'].ref)}", "/api/v1/descriptions?level=item",
                f"/api/v1/repositories/{a['repo'].code}"):
        r = c.get(url)
        assert r.status_code == 200, url
        _hidden(r, d)


def door_iiif_info(c, a, d):
    _refused(c.get(f"/iiif/3/img-{d.identifier_key}/info.json"), d, (403,))


def door_iiif_image(c, a, d):
    img = f"/iiif/3/img-{d.identifier_key}"
    for url in (f"{img}/full/max/0/default.jpg", f"{img}/0,0,256,256/256,/0/default.jpg",
                f"{img}/full/max/0/default.png", f"{img}/square/100,/0/gray.webp"):
        _refused(c.get(url), d, (403,))


def door_thumbnail(c, a, d):
    _refused(c.get(f"/iiif/3/img-{d.identifier_key}/full/200,/0/default.jpg"), d, (403,))
    r = c.get(f"/iiif/collection/{quote(a['series'].ref)}")
    assert r.status_code == 200
    _hidden(r, d)


def door_download(c, a, d):
    # The full-resolution image is the download of a scan; a page-level download route, if the
    # reading room adds one, is tried too.
    _refused(c.get(f"/iiif/3/img-{d.identifier_key}/full/max/0/default.tif"), d, (403,))
    for url in (f"/records/{quote(d.ref)}/download", f"/download/{quote(d.ref)}"):
        if _exists(url):
            _like_missing(c, d, lambda ref, url=url: c.get(url.replace(quote(d.ref), quote(ref))), (403, 404))


def door_alto(c, a, d):
    _refused(c.get(f"/iiif/alto/img-{d.identifier_key}.xml"), d, (403,))


def door_manifest(c, a, d):
    _like_missing(c, d, lambda ref: c.get(f"/iiif/manifest/{quote(ref)}"))
    _like_missing(c, d, lambda ref: c.get(f"/iiif/collection/{quote(ref)}"))


def door_oai(c, a, d):
    from qoima.access.oai.provider import oai_identifier

    for verb in ("GetRecord", "ListMetadataFormats"):
        _like_missing(c, d, lambda ref, verb=verb: c.get("/oai", {"verb": verb, "identifier": oai_identifier(ref),
                                                                  "metadataPrefix": "oai_dc"} if verb == "GetRecord"
                                                         else {"verb": verb, "identifier": oai_identifier(ref)}), (200,))
        assert 'code="idDoesNotExist"' in _body(c.get("/oai", {"verb": verb, "identifier": oai_identifier(d.ref),
                                                                 "metadataPrefix": "oai_dc"} if verb == "GetRecord" else
                                                        {"verb": verb, "identifier": oai_identifier(d.ref)}))
    for params in ({"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
                   {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "APRK:KZ-APRK-F1"},
                   {"verb": "ListSets"}):
        r = c.get("/oai", params)
        assert r.status_code == 200
        _hidden(r, d)


def door_search(c, a, d):
    if not _exists("/search"):
        pytest.skip("the reading room's /search page is not in this build yet")
    word = d.title.split()[0]
    for q in (d.title, word, d.ref):
        r = c.get("/search", {"q": q})
        _hidden(r, d, echo=q)


def door_search_api(c, a, d):
    if not _exists("/api/v1/search"):
        pytest.skip("/api/v1/search is not in this build yet")
    for q in (d.title, d.title.split()[0], d.ref):
        r = c.get("/api/v1/search", {"q": q})
        _hidden(r, d, echo=q)
        if r.status_code == 200 and r["Content-Type"].startswith("application/json"):
            # facet counts: nothing may count the hidden record
            data = r.json()
            assert data.get("total", data.get("count", 0)) in (0, None) or d.ref not in json.dumps(data)


def door_sitemap(c, a, d):
    if not _exists("/sitemap.xml"):
        pytest.skip("no sitemap in this build yet")
    r = c.get("/sitemap.xml")
    _hidden(r, d)
    for sub in ("/sitemap-records.xml", "/sitemap-records.xml?p=1"):
        if _exists(sub.split("?")[0]):
            _hidden(c.get(sub), d)


DOORS = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("door_")}


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("who", WHO)
def test_no_door_shows_a_closed_or_embargoed_record(client, archive, researcher, door, which, who):
    d = archive[which]
    d.identifier_key = which
    if who == "researcher":
        client.force_login(researcher)
    DOORS[door](client, archive, d)


def test_the_doors_do_open_for_open_material(client, archive, researcher):
    """The same doors show the open item and the researchers-only item to a researcher (so the
    refusals above are the rule at work, not broken doors)."""
    item = archive["item"]
    for url in (f"/records/{quote(item.ref)}", f"/api/v1/descriptions/{quote(item.ref)}",
                "/iiif/3/img-open-1/info.json", "/iiif/3/img-open-1/full/200,/0/default.jpg",
                f"/iiif/manifest/{quote(item.ref)}"):
        assert client.get(url).status_code == 200, url
    assert item.ref in _body(client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}))
    r = researcher
    client.force_login(r)
    other = archive["researchers"]
    for url in (f"/records/{quote(other.ref)}", "/iiif/3/img-researchers/info.json",
                f"/iiif/manifest/{quote(other.ref)}"):
        assert client.get(url).status_code == 200, url
