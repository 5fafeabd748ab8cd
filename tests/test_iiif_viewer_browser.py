"""Mirador on a record page in a real Chromium: loaded from local static files (no CDN), opened at
?page=N, and fetching real tiles from this server's IIIF Image API."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from access_fixtures import *  # noqa: F403 - fixtures

CHROMIUM = os.environ.get("QOIMA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewer_bundle():
    from qoima import assets

    try:
        return assets.fetch_viewer()
    except Exception as e:  # no npm / no registry: the viewer cannot be installed here
        pytest.skip(f"the Mirador bundle could not be fetched with npm: {e}")


@pytest.fixture
def page(monkeypatch):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="en-GB")
        yield context.new_page()
        context.close()
        browser.close()


def test_mirador_loads_real_tiles_at_the_requested_page(page, live_server, archive, viewer_bundle):
    host = urlparse(live_server.url).netloc
    responses = []
    outside = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (host, "") and
            not r.url.startswith(("data:", "blob:")) else None)
    item = archive["item"]
    page.set_viewport_size({"width": 1300, "height": 1400})  # a tall window: the viewer box is 720 px
    page.goto(f"{live_server.url}/records/{quote(item.ref)}?page=2")
    frame = page.locator("#iiif-viewer")
    assert frame.get_attribute("data-canvas").endswith("/canvas/p2")
    # Mirador renders OpenSeadragon's canvas and requests tiles of page 2 (img-open-2).
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => /\\/iiif\\/3\\/img-open-2\\/[^/]+\\/[^/]+\\/0\\/default\\.jpg/.test(e.name))",
        timeout=60000)
    page.locator("#iiif-viewer canvas").first.wait_for(timeout=30000)
    tiles = [(u, s) for u, s in responses if "/iiif/3/img-open-2/" in u and u.endswith("/default.jpg")]
    assert tiles and all(s == 200 for _, s in tiles), tiles
    assert any(u.endswith("/info.json") and s == 200 for u, s in responses)
    assert any("/static/vendor/mirador/mirador.min.js" in u and s == 200 for u, s in responses)
    assert not outside, f"requests left the server: {outside[:5]}"
    # the viewer (with its thumbnail strip) stays inside its box, above the text of the record
    box = frame.bounding_box()
    viewer = page.locator("#iiif-viewer .mirador-viewer").first.bounding_box()
    assert viewer["y"] + viewer["height"] <= box["y"] + box["height"] + 1, (viewer, box)
