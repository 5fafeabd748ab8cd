"""OCR of ingested items end to end: ingest -> OCR -> AIP version 2 with ALTO, text, enhanced copies
and PREMIS events (bag and METS still valid) -> pages in the database -> API, CLI, auto-OCR."""

from __future__ import annotations

import json
import os

import pytest
from lxml import etree
from recognize_fixtures import assert_valid_alto

from qoima.recognize.quality import cer
from qoima.recognize.testpages import degrade, make_page
from tests.conftest import shared_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_home(tmp_path, settings, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    settings.QOIMA_HOME = home
    monkeypatch.delenv("QOIMA_STORAGE_LOCATIONS", raising=False)
    monkeypatch.setenv("QOIMA_OCR_WORKERS", "1")
    return home


@pytest.fixture
def fonds(repository):
    from qoima.catalogue import hierarchy

    return hierarchy.create(identifier="F7", level="fonds", repository=repository, title="Хаттар", lang="kk")


def write_pages(folder, cases_seeds):
    """Small degraded pages (PNG) plus their ground truth, in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    for n, (case, seed) in enumerate(cases_seeds, start=1):
        page = make_page(case, seed=seed, dpi=300, a4=False, n_sentences=2)
        degrade(page.image, seed=seed).save(folder / f"page_{n}.png", dpi=(300, 300))
        truth.append(page.text)
    return truth


def test_ocr_item_adds_version_and_pages(tmp_path, archive_home, fonds):
    from qoima.ingest import audit, service
    from qoima.ingest.bags import validate_bag
    from qoima.ingest.models import Aip, AipEvent, AipFile
    from qoima.recognize import service as rec
    from qoima.recognize.models import RecognizedPage

    truth = write_pages(tmp_path / "src" / "хат_1921", [("kk-Cyrl", 11), ("fa", 12)])
    result = service.ingest(tmp_path / "src", fonds.ref, derivatives=False)
    item_ref = result["items"][0]["ref"]

    out = rec.ocr(fonds.ref, workers=1)
    assert out["recognized"] == 2 and not out["errors"]
    pages = rec.pages_of(item_ref)
    assert [p.page for p in pages] == [1, 2]
    assert [p.lang for p in pages] == ["kk-Cyrl", "fa"]
    assert cer(truth[0], pages[0].text) <= 0.02 and cer(truth[1], pages[1].text) <= 0.08
    assert pages[1].dir == "rtl" and pages[0].model == "kaz" and pages[1].model == "fas"
    for p in pages:
        assert_valid_alto(p.alto.encode())
        assert p.aip_version == 2 and p.alto_path.startswith("data/ocr/") and p.enhanced_path.endswith(".png")
        # word offsets point into the text
        for start, end, *_box in p.index_words():
            assert p.text[start:end] and " " not in p.text[start:end]

    aip = Aip.objects.get()
    assert aip.version == 2
    assert AipFile.objects.filter(aip=aip, group="ocr").count() == 4       # ALTO + text per page
    assert AipFile.objects.filter(aip=aip, group="enhanced").count() == 2
    originals = AipFile.objects.filter(aip=aip, group="original")
    assert all(f.version == 1 for f in originals)                          # originals untouched
    for loc in ("primary", "replica"):
        bag = archive_home / "storage" / loc / "aips" / str(aip.uuid) / "v2"
        assert validate_bag(bag).valid
    mets = etree.parse(str(archive_home / "storage" / "primary" / "aips" / str(aip.uuid) / "v2" / aip.mets_path))
    ns = {"premis": "http://www.loc.gov/premis/v3"}
    details = [e.findtext("premis:eventDetailInformation/premis:eventDetail", namespaces=ns)
               for e in mets.iterfind(".//premis:event", ns)
               if e.findtext("premis:eventType", namespaces=ns) == "transcription"]
    assert len(details) == 2 and all("model=" in d and "version=5" in d and "cleanup=v1" in d for d in details)
    root = shared_standards()
    if root is not None:
        os.environ["XML_CATALOG_FILES"] = str(root / "schemas" / "catalog.xml")
        schema = etree.XMLSchema(etree.parse(str(root / "schemas" / "mets" / "mets-with-premis3.xsd")))
        assert schema.validate(mets), schema.error_log
    assert AipEvent.objects.filter(aip=aip, type="modification").exists()
    assert audit.audit()["ok"]

    # Nothing to do a second time; --force reads again into a new version.
    assert rec.ocr(fonds.ref, workers=1)["recognized"] == 0
    assert rec.ocr(item_ref, workers=1, force=True, lang="kk-Cyrl")["recognized"] == 2
    assert Aip.objects.get().version == 3 and RecognizedPage.objects.count() == 2

    # The archivist chooses the enhanced copy for readers.
    p = rec.choose_copy(item_ref, 1, True)
    assert p.show_enhanced and rec.enhanced_file(p).is_file()


def test_api_text_and_alto(tmp_path, archive_home, fonds, client):
    from ninja import NinjaAPI

    from qoima.ingest import service
    from qoima.recognize import service as rec
    from qoima.recognize.api import router

    write_pages(tmp_path / "src" / "item", [("ru", 21)])
    item_ref = service.ingest(tmp_path / "src", fonds.ref, derivatives=False)["items"][0]["ref"]
    rec.ocr(item_ref, workers=1)
    api = NinjaAPI(urls_namespace="rec-test")
    api.add_router("/", router)
    from django.test import RequestFactory

    rf = RequestFactory()
    view = {p.name: p for p in api.urls[0]}
    req = rf.get(f"/api/v1/descriptions/{item_ref}/text", {"words": "true"})
    from django.contrib.auth.models import AnonymousUser

    req.user = AnonymousUser()
    resp = view["description-text"].callback(req, ref=item_ref)
    data = json.loads(resp.content)
    assert data["ref"] == item_ref and data["pages"][0]["lang"] == "ru"
    assert data["pages"][0]["confidence"] > 80 and data["pages"][0]["lines"][0]["words"][0]["box"]
    req = rf.get(data["pages"][0]["alto"])
    req.user = AnonymousUser()
    resp = view["page-alto"].callback(req, ref=item_ref, page=1)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/xml")
    assert_valid_alto(resp.content)
    resp = view["page-alto"].callback(req, ref=item_ref, page=9)
    assert resp.status_code == 404


def test_auto_ocr_after_ingest(tmp_path, archive_home, fonds, django_capture_on_commit_callbacks):
    from qoima.ingest import service
    from qoima.recognize import service as rec
    from qoima.recognize.models import RecognizedPage

    rec.configure(fonds.ref, lang="en", auto=True)
    truth = write_pages(tmp_path / "src" / "item", [("en", 31)])
    with django_capture_on_commit_callbacks(execute=True):
        service.ingest(tmp_path / "src", fonds.ref, derivatives=False)
    from qoima.ingest.models import Job
    from qoima.recognize.tasks import run_ocr_job

    job = Job.objects.get(kind="ocr")  # queued for a worker; run it here as the worker would
    assert job.args == {"ref": fonds.ref, "lang": "en", "force": False, "user": "auto-ocr"}
    if job.status == "queued":
        job = run_ocr_job(job.pk)
    assert job.status == "done" and job.result["recognized"] == 1
    page = RecognizedPage.objects.get()
    assert page.lang == "en" and page.model == "eng" and cer(truth[0], page.text) <= 0.02


def test_errors_are_clear(archive_home, fonds):
    from qoima.recognize import service as rec
    from qoima.recognize.languages import UnknownLanguage

    with pytest.raises(rec.RecognizeError, match="no description"):
        rec.ocr("KZ-NOPE")
    with pytest.raises(UnknownLanguage):
        rec.configure(fonds.ref, lang="klingon")
    assert rec.ocr(fonds.ref)["pages"] == 0


def test_ocr_is_linked_from_the_iiif_manifest_and_served_as_alto(client, tmp_path, archive_home, fonds):
    """After OCR, each canvas's seeAlso points to its page's ALTO, and that ALTO is served."""
    from urllib.parse import quote, urlparse

    from qoima.ingest import service
    from qoima.ingest.models import AipFile
    from qoima.recognize import service as rec

    write_pages(tmp_path / "src" / "хат_1921", [("ru", 21)])
    result = service.ingest(tmp_path / "src", fonds.ref, derivatives=True)
    item_ref = result["items"][0]["ref"]
    rec.ocr(fonds.ref, workers=1)
    original = AipFile.objects.get(group="original")
    assert AipFile.objects.filter(source=original, bag_path__endswith=".alto.xml").exists()

    manifest = client.get(f"/iiif/manifest/{quote(item_ref)}").json()
    see_also = manifest["items"][0]["seeAlso"]
    assert see_also[0]["format"] == "application/xml" and see_also[0]["id"].endswith(".xml")
    alto = client.get(urlparse(see_also[0]["id"]).path)
    assert alto.status_code == 200
    body = b"".join(alto.streaming_content) if alto.streaming else alto.content
    assert_valid_alto(body)
    assert rec.pages_of(item_ref)[0].text.split()[0].encode() in body
