"""The reading room in a real Chromium: a record page, the language switch to Arabic (dir=rtl),
and the lazily loaded tree of fonds."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web_fixtures are redefined as arguments)

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.web_fixtures import FONDS_TITLES, compiled_messages, tree  # noqa: F401

CHROMIUM = os.environ.get("QOIMA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    # Playwright's sync API runs an event loop in this thread; the database work of the test is
    # done before and after it, never concurrently.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
        yield context.new_page()
        context.close()
        browser.close()


def test_record_page_and_switch_to_arabic(page, live_server, tree):
    page.goto(f"{live_server.url}/records/{tree['fonds'].ref}")
    assert page.locator("html").get_attribute("dir") == "ltr"
    heading = page.locator("#record-title")
    assert heading.inner_text() == FONDS_TITLES["en"]
    assert page.locator(".area h2").first.inner_text().endswith("Identity statement")

    with page.expect_navigation():
        page.locator('form.languages button[value="ar"]').click()
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert heading.inner_text() == FONDS_TITLES["ar"]
    assert heading.get_attribute("dir") == "rtl"
    # the page really is laid out right to left: the side column is on the left of the main one
    main_box = page.locator(".record-main").bounding_box()
    side_box = page.locator(".record-side").bounding_box()
    assert side_box["x"] < main_box["x"]
    # a Kazakh value keeps its own direction inside the Arabic page
    assert page.locator('.value[lang="kk"]').first.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_tree_of_fonds_expands_in_place(page, live_server, tree):
    page.goto(f"{live_server.url}/browse/")
    page.locator(f'details[data-src="/browse/node/{tree["fonds"].ref}"] > summary').click(position={"x": 4, "y": 10})  # the marker, not the title link
    series = page.locator(f'details[data-src="/browse/node/{tree["series"].ref}"]')
    series.wait_for()
    series.locator("summary").click(position={"x": 4, "y": 10})
    page.locator(f'a[href="/records/{tree["items"][24].ref}"]').wait_for()
    assert page.locator(f'a[href="/records/{tree["items"][25].ref}"]').count() == 0
    series.locator("a[data-more]").click()  # the next page of the level, loaded in place
    page.locator(f'a[href="/records/{tree["items"][29].ref}"]').wait_for()
    assert page.url.endswith("/browse/")
