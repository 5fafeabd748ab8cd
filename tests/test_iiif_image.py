"""IIIF Image API 3.0: request parsing, rendering from pyramid levels, the HTTP doors."""

from __future__ import annotations

import io

import pytest
from access_fixtures import *  # noqa: F403 - fixtures
from access_fixtures import GRID, cell_colour, make_image
from PIL import Image

from qoima.access.iiif import params, render
from qoima.access.iiif.params import IIIFError


def test_region_forms():
    assert params.parse_region("full", 1000, 800) == (0, 0, 1000, 800)
    assert params.parse_region("square", 1000, 800) == (100, 0, 800, 800)
    assert params.parse_region("10,20,300,400", 1000, 800) == (10, 20, 300, 400)
    assert params.parse_region("900,700,300,400", 1000, 800) == (900, 700, 100, 100)  # cropped at the edge
    assert params.parse_region("pct:10,10,50,50", 1000, 800) == (100, 80, 500, 400)


@pytest.mark.parametrize("region", ["0,0,0,10", "1000,0,10,10", "a,b,c,d", "pct:0,0,0,10", "1,2,3", "pct:x"])
def test_bad_regions_are_400(region):
    with pytest.raises(IIIFError) as e:
        params.parse_region(region, 1000, 800)
    assert e.value.status == 400


def test_size_forms():
    assert params.parse_size("max", 1000, 800) == (1000, 800)
    assert params.parse_size("500,", 1000, 800) == (500, 400)
    assert params.parse_size(",400", 1000, 800) == (500, 400)
    assert params.parse_size("pct:25", 1000, 800) == (250, 200)
    assert params.parse_size("300,300", 1000, 800) == (300, 300)
    assert params.parse_size("!500,500", 1000, 800) == (500, 400)
    assert params.parse_size("^2000,", 1000, 800) == (2000, 1600)
    assert params.parse_size("^pct:150", 1000, 800) == (1500, 1200)
    assert params.parse_size("^!3000,1600", 1000, 800) == (2000, 1600)
    assert params.parse_size("^max", 1000, 800) == (1000, 800)


@pytest.mark.parametrize("size", ["2000,", ",900", "pct:150", "1001,800", "!3000,1600", "0,", "pct:0", "big", "^0,"])
def test_bad_or_enlarging_sizes_are_400(size):
    with pytest.raises(IIIFError) as e:
        params.parse_size(size, 1000, 800)
    assert e.value.status == 400


def test_rotation_quality_format():
    assert params.parse_rotation("!90") == (True, 90.0)
    assert params.parse_rotation("22.5") == (False, 22.5)
    for bad in ("361", "-90", "x"):
        with pytest.raises(IIIFError):
            params.parse_rotation(bad)
    assert params.parse_quality_format("gray.webp") == ("gray", "webp")
    with pytest.raises(IIIFError) as e:
        params.parse_quality_format("default.jp2")
    assert e.value.status == 501
    with pytest.raises(IIIFError) as e:
        params.parse_quality_format("sepia.jpg")
    assert e.value.status == 400


def _decode(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _close(a, b, tol=12):
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def test_pyramid_levels_and_tiles(tmp_path):
    path = str(make_image(tmp_path / "big.tif", 2048, 1536))
    lv = render.levels(path)
    assert [(x.width, x.height) for x in lv[:4]] == [(2048, 1536), (1024, 768), (512, 384), (256, 192)]
    assert render.scale_factors(path) == [1, 2, 4, 8]
    # A tile at scale factor 4 covers 1024 x 1024 source pixels and comes back 256 x 256.
    req = params.parse("1024,0,1024,1024", "256,", "0", "default.png", 2048, 1536)
    img = _decode(render.render(path, req))
    assert img.size == (256, 256)
    cw, ch = 2048 // GRID, 1536 // GRID  # source pixels per cell
    assert _close(img.getpixel((32, 32)), cell_colour(1024 // cw, 0))
    assert _close(img.getpixel((200, 200)), cell_colour((1024 + 800) // cw, 800 // ch))


def test_quality_rotation_mirror(tmp_path):
    path = str(make_image(tmp_path / "m.tif", 800, 400))
    left, right = cell_colour(0, 0), cell_colour(GRID - 1, 0)
    img = _decode(render.render(path, params.parse("full", "max", "!0", "default.png", 800, 400)))
    assert _close(img.getpixel((10, 10)), right) and _close(img.getpixel((790, 10)), left)
    img = _decode(render.render(path, params.parse("full", "max", "90", "default.png", 800, 400)))
    assert img.size == (400, 800)
    assert _close(img.getpixel((390, 10)), left)  # top-left corner turned clockwise to the top right
    gray = Image.open(io.BytesIO(render.render(path, params.parse("full", "200,", "0", "gray.png", 800, 400))))
    assert gray.mode in ("L", "LA")
    bit = Image.open(io.BytesIO(render.render(path, params.parse("full", "200,", "0", "bitonal.png", 800, 400))))
    assert set(bit.convert("L").getdata()) <= {0, 255}
    webp = Image.open(io.BytesIO(render.render(path, params.parse("square", "100,100", "45", "default.webp", 800, 400))))
    assert webp.format == "WEBP"


# --- the HTTP door -----------------------------------------------------------------------------

def test_info_json(client, archive):
    r = client.get("/iiif/3/img-open-1/info.json")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/ld+json")
    assert r["Access-Control-Allow-Origin"] == "*"
    assert "public" in r["Cache-Control"]
    info = r.json()
    assert info["id"] == "http://testserver/iiif/3/img-open-1"
    assert info["type"] == "ImageService3" and info["profile"] == "level2"
    assert (info["width"], info["height"]) == (1200, 900)
    assert info["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4, 8]}]
    etag = r["ETag"]
    again = client.get("/iiif/3/img-open-1/info.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_image_errors_and_headers(client, archive):
    r = client.get("/iiif/3/img-open-1/0,0,256,256/256,/0/default.jpg")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert _decode(r.content).size == (256, 256)
    assert 'rel="canonical"' in r["Link"] and r["Access-Control-Allow-Origin"] == "*"
    assert client.get("/iiif/3/img-open-1/0,0,256,256/256,/0/default.jpg", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304
    assert client.get("/iiif/3/nope/full/max/0/default.jpg").status_code == 404
    assert client.get("/iiif/3/img-open-1/full/max/0/default.jp2").status_code == 501
    assert client.get("/iiif/3/img-open-1/full/max/0/default.bmp").status_code == 400
    assert client.get("/iiif/3/img-open-1/full/2000,/0/default.jpg").status_code == 400
    assert client.get("/iiif/3/img-open-1/full/max/0").status_code == 400
    r = client.get("/iiif/3/img-open-1")
    assert r.status_code == 303 and r["Location"].endswith("/iiif/3/img-open-1/info.json")


@pytest.mark.parametrize("which", ["closed", "embargo", "researchers"])
def test_restricted_images_refused_to_the_public(client, archive, which):
    for url in (f"/iiif/3/img-{which}/info.json", f"/iiif/3/img-{which}/full/max/0/default.jpg",
                f"/iiif/3/img-{which}/0,0,256,256/256,/0/default.jpg"):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "Access-Control-Allow-Origin" not in r


def test_researcher_reads_researchers_only_privately_and_is_audited(client, archive, researcher):
    from qoima.accounts.models import AuditEntry

    client.force_login(researcher)
    r = client.get("/iiif/3/img-researchers/info.json")
    assert r.status_code == 200
    assert r["Cache-Control"] == "private, no-store" and "Access-Control-Allow-Origin" not in r
    assert client.get("/iiif/3/img-researchers/full/max/0/default.jpg").status_code == 200
    assert client.get("/iiif/3/img-closed/info.json").status_code == 403
    doors = list(AuditEntry.objects.filter(ref=archive["researchers"].ref).values_list("door", "username"))
    assert ("iiif-info", "reader") in doors and ("iiif-image", "reader") in doors


def test_archivist_sees_closed(client, archive, archivist):
    client.force_login(archivist)
    assert client.get("/iiif/3/img-closed/full/100,/0/default.jpg").status_code == 200
