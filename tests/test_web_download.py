"""Downloads of preserved originals and the sitemap: the same access rule as every other door."""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def scans(tmp_path, settings):
    from qoima.catalogue.models import Description
    from qoima.ingest.demo import load

    settings.QOIMA_HOME = tmp_path / "home"
    result = load(settings.QOIMA_HOME, derivatives=False)
    abai = next(i for i in result["items"] if "Абайдың" in i["ref"])
    return {"item": Description.objects.get(ref=abai["ref"]), "files": abai["files"]}


def _bytes(r) -> bytes:
    return b"".join(r.streaming_content)


def test_download_gives_the_preserved_original_under_its_unicode_name(client, scans):
    item, files = scans["item"], scans["files"]
    r = client.get(f"/download/{quote(item.ref)}", {"page": 2})
    assert r.status_code == 200
    data = _bytes(r)
    assert hashlib.sha256(data).hexdigest() == files[1]["sha256"] and len(data) == files[1]["size"]
    assert "filename*=utf-8''" + quote("бет_2.jpg") in r["Content-Disposition"]
    assert r["Content-Type"] == "image/jpeg" and r["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/download/{quote(item.ref)}", {"page": 9}).status_code == 404
    assert client.get(f"/download/{quote(item.ref)}", {"page": "x"}).status_code == 404
    # the record page links to it
    assert f"/download/{quote(item.ref)}?page=1" in client.get(f"/records/{quote(item.ref)}").content.decode()


def test_download_follows_the_access_rule(client, scans, django_user_model):
    from qoima.accounts.models import AuditEntry
    from qoima.catalogue import hierarchy

    item = scans["item"]
    hierarchy.set_access(item, "closed", reason="personal data")
    closed = client.get(f"/download/{quote(item.ref)}")
    missing = client.get("/download/KZ-QOIMA-SCANS-nothing")
    assert closed.status_code == missing.status_code == 404
    assert item.ref not in closed.content.decode()

    hierarchy.set_access(item, "researchers")
    assert client.get(f"/download/{quote(item.ref)}").status_code == 403
    reader = django_user_model.objects.create_user("reader", password="x", role="researcher")
    client.force_login(reader)
    r = client.get(f"/download/{quote(item.ref)}")
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    _bytes(r)
    assert AuditEntry.objects.filter(door="download").exists()


def test_sitemap_lists_public_records_only(client, scans):
    from qoima.catalogue import hierarchy

    item = scans["item"]
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-records.xml" in index and "/sitemap-authorities.xml" in index
    listed = client.get("/sitemap-records.xml").content.decode()
    assert quote(item.ref) in listed
    hierarchy.set_access(item, "embargo", until=date(2099, 1, 1))
    assert quote(item.ref) not in client.get("/sitemap-records.xml").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
