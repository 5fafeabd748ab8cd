"""Ingest end to end with the database: items under a reference code, AIPs in every location,
re-runs recognized by content, crashes leave nothing listed, audit and repair, versions, IIIF."""

from __future__ import annotations

import hashlib
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from qoima.ingest import service
from qoima.ingest.bags import validate_bag
from tests.conftest import shared_standards
from tests.ingest_fixtures import make_transfer, s3_bucket, s3_server, zip_with  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_home(tmp_path, settings, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    settings.QOIMA_HOME = home
    monkeypatch.delenv("QOIMA_STORAGE_LOCATIONS", raising=False)
    return home


@pytest.fixture
def fonds(repository):
    from qoima.catalogue import hierarchy

    return hierarchy.create(identifier="F1", level="fonds", repository=repository, title="Жеке қор", lang="kk")


def _bag_dirs(home: Path, uuid: str, version: int = 1) -> list[Path]:
    return [home / "storage" / loc / "aips" / uuid / f"v{version}" for loc in ("primary", "replica")]


def _mets_schema():
    root = shared_standards()
    if root is None:
        return None
    os.environ["XML_CATALOG_FILES"] = str(root / "schemas" / "catalog.xml")
    return etree.XMLSchema(etree.parse(str(root / "schemas" / "mets" / "mets-with-premis3.xsd")))


def test_ingest_folder(tmp_path, archive_home, fonds):
    from qoima.catalogue.models import Description
    from qoima.ingest.models import Aip, AipCopy, AipFile

    src = make_transfer(tmp_path / "src")
    result = service.ingest(src, fonds.ref)
    assert set(result) == {"aip", "items"}
    for item in result["items"]:
        assert set(item) == {"ref", "files"}
        for f in item["files"]:
            assert set(f) == {"path", "uuid", "puid", "sha256", "size", "iiif"}
            original = src / unicodedata.normalize("NFC", f["path"])
            if not original.exists():
                original = src / unicodedata.normalize("NFD", f["path"])
            assert f["sha256"] == hashlib.sha256(original.read_bytes()).hexdigest()
            assert f["size"] == original.stat().st_size
    by_path = {f["path"]: (item, f) for item in result["items"] for f in item["files"]}
    letters, page1 = by_path["хаттар_1921/бет_1.jpg"]
    assert [f["path"] for f in letters["files"]] == ["хаттар_1921/бет_1.jpg", "хаттар_1921/бет_2.jpg",
                                                     "хаттар_1921/бет_10.jpg"]
    assert page1["puid"] == "fmt/43" and page1["iiif"]
    text_item, text = by_path["رسالة_قديمة.txt"]
    assert text["iiif"] is None and len(text_item["files"]) == 1
    assert len(result["items"]) == 3

    item = Description.objects.get(ref=letters["ref"])
    assert item.parent_id == fonds.pk and item.level == "item" and item.has_digital_objects
    assert item.text("title").value == "Хаттар 1921 жыл"
    assert item.date_start and item.date_start.year == 1921
    assert list(AipFile.objects.filter(description=item, group="original").values_list("page", flat=True)) == [1, 2, 3]
    f1 = AipFile.objects.get(uuid=page1["uuid"])
    assert f1.tech["width"] == 600 and f1.tech["x_dpi"] == pytest.approx(300, abs=1)
    assert f1.derivative_path.startswith("data/access/")

    aip = Aip.objects.get(uuid=result["aip"])
    assert aip.status == "stored"
    assert sorted(AipCopy.objects.filter(aip=aip).values_list("location", flat=True)) == ["primary", "replica"]
    bagit = pytest.importorskip("bagit")
    for bag in _bag_dirs(archive_home, result["aip"]):
        assert validate_bag(bag).valid
        assert bagit.Bag(str(bag)).validate()
        assert (bag / "data" / "objects" / "хаттар_1921" / "бет_10.jpg").exists()
    mets = etree.parse(str(_bag_dirs(archive_home, result["aip"])[0] / aip.mets_path))
    schema = _mets_schema()
    if schema is not None:
        assert schema.validate(mets), schema.error_log
    ns = {"premis": "http://www.loc.gov/premis/v3", "mets": "http://www.loc.gov/METS/"}
    types = {e.text for e in mets.iterfind(".//premis:eventType", ns)}
    assert {"ingestion", "message digest calculation", "format identification", "normalization",
            "replication", "fixity check", "filename change"} <= types
    names = {e.text for e in mets.iterfind(".//premis:originalName", ns)}
    assert unicodedata.normalize("NFD", "Жүсіпбек Аймауытұлы/сурет.tif") in names
    assert not any((archive_home / "storage" / "primary" / "staging").iterdir())
    assert not (archive_home / "tmp" / "ingest").exists() or not any((archive_home / "tmp" / "ingest").iterdir())


def test_same_content_is_recognized(tmp_path, archive_home, fonds):
    from qoima.catalogue.models import Description
    from qoima.ingest.models import Aip

    src = make_transfer(tmp_path / "src")
    first = service.ingest(src, fonds.ref, derivatives=False)
    n_desc = Description.objects.count()
    again = service.ingest(src, fonds.ref, derivatives=False)
    assert again == first
    # the same files arriving as a zip are the same transfer
    archive = tmp_path / "same.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", src)
    assert service.ingest(archive, fonds.ref, derivatives=False)["aip"] == first["aip"]
    assert Aip.objects.count() == 1 and Description.objects.count() == n_desc


def test_crash_before_recording_then_rerun(tmp_path, archive_home, fonds, monkeypatch):
    from qoima.ingest.models import Aip

    src = make_transfer(tmp_path / "src")
    real_record = service.record

    def crash(*a, **k):
        raise KeyboardInterrupt("killed")
    monkeypatch.setattr(service, "record", crash)
    with pytest.raises(KeyboardInterrupt):
        service.ingest(src, fonds.ref, derivatives=False)
    assert Aip.objects.count() == 0  # stored on disk, but not listed: not an AIP yet
    monkeypatch.setattr(service, "record", real_record)
    result = service.ingest(src, fonds.ref, derivatives=False)
    assert Aip.objects.count() == 1
    for bag in _bag_dirs(archive_home, result["aip"]):
        assert validate_bag(bag).valid
    assert len(list((archive_home / "storage" / "primary" / "aips").iterdir())) == 1


def test_crash_while_copying_leaves_nothing(tmp_path, archive_home, fonds, monkeypatch):
    from qoima.ingest.models import Aip
    from qoima.storage.packages import PackageWriter

    src = make_transfer(tmp_path / "src")

    def crash(self, *a, **k):
        raise OSError("disk vanished")
    monkeypatch.setattr(PackageWriter, "verify", crash)
    with pytest.raises(OSError):
        service.ingest(src, fonds.ref, derivatives=False)
    assert Aip.objects.count() == 0
    assert not (archive_home / "storage" / "primary" / "aips").exists()
    monkeypatch.undo()
    service.ingest(src, fonds.ref, derivatives=False)
    assert Aip.objects.count() == 1


def test_refused_transfer_stores_nothing(tmp_path, archive_home, fonds):
    from qoima.ingest.models import Aip

    archive = zip_with(tmp_path / "evil.zip", [("ok.txt", b"ok"), ("../../evil.txt", b"x")])
    with pytest.raises(service.IngestError, match="evil"):
        service.ingest(archive, fonds.ref)
    assert Aip.objects.count() == 0
    assert not (archive_home / "storage" / "primary" / "aips").exists()
    assert not list(tmp_path.rglob("evil.txt"))
    with pytest.raises(service.IngestError, match="no description"):
        service.ingest(tmp_path, "NOPE-1")


def test_audit_and_repair(tmp_path, archive_home, fonds):
    from qoima.ingest import audit
    from qoima.ingest.models import Aip, AipEvent

    result = service.ingest(make_transfer(tmp_path / "src"), fonds.ref)
    primary, replica = _bag_dirs(archive_home, result["aip"])
    page = primary / "data/objects/хаттар_1921/бет_2.jpg"
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x10
    page.write_bytes(bytes(data))
    (replica / "data" / "objects" / "رسالة_قديمة.txt").unlink()
    report = audit.audit()
    assert not report["ok"]
    copies = {c["location"]: c for c in report["aips"][0]["copies"]}
    assert copies["primary"]["changed"] == ["data/objects/хаттар_1921/бет_2.jpg"]
    assert copies["replica"]["missing"] == ["data/objects/رسالة_قديمة.txt"]
    assert Aip.objects.get().status == "damaged"
    assert audit.audit(repair=True)["ok"]
    assert audit.audit()["ok"] and Aip.objects.get().status == "stored"
    assert validate_bag(primary).valid and validate_bag(replica).valid
    assert AipEvent.objects.filter(type="replication", detail__startswith="repair").count() == 2
    assert AipEvent.objects.filter(type="fixity check", outcome="fail").count() >= 2


def test_add_version_keeps_bags_valid(tmp_path, archive_home, fonds):
    from qoima.ingest import aip as aips
    from qoima.ingest import audit
    from qoima.ingest.models import Aip, AipFile

    result = service.ingest(make_transfer(tmp_path / "src"), fonds.ref)
    page = result["items"][0]["files"][0] if result["items"][0]["files"][0]["iiif"] else \
        next(f for i in result["items"] for f in i["files"] if f["iiif"])
    alto = b"<?xml version='1.0'?><alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'/>"
    version = aips.add_version(result["aip"], {f"ocr/{page['uuid']}.alto.xml": alto},
                               [{"type": "transcription", "detail": "tesseract kaz", "file": f"ocr/{page['uuid']}.alto.xml"}],
                               attach={f"ocr/{page['uuid']}.alto.xml": page["uuid"]})
    assert version == 2
    aip = Aip.objects.get()
    assert aip.version == 2
    new = AipFile.objects.get(group="ocr")
    assert new.page is not None and new.description_id == AipFile.objects.get(uuid=page["uuid"]).description_id
    bagit = pytest.importorskip("bagit")
    for v in (1, 2):
        for bag in _bag_dirs(archive_home, result["aip"], v):
            assert validate_bag(bag).valid and bagit.Bag(str(bag)).validate()
    v2 = _bag_dirs(archive_home, result["aip"], 2)[0]
    mets = (v2 / aip.mets_path).read_text(encoding="utf-8")
    assert "transcription" in mets and f"ocr/{page['uuid']}.alto.xml" in mets
    schema = _mets_schema()
    if schema is not None:
        assert schema.validate(etree.parse(str(v2 / aip.mets_path))), schema.error_log
    assert audit.audit()["ok"]
    with pytest.raises(aips.AipError):
        aips.add_version(result["aip"], {f"ocr/{page['uuid']}.alto.xml": b"again"})
    with pytest.raises(aips.AipError):
        aips.add_version(result["aip"], {"../escape.txt": b"x"})


def test_iiif_lookup_and_export(tmp_path, archive_home, fonds):
    import pyvips

    from qoima.catalogue.models import Description
    from qoima.ingest import aip as aips

    result = service.ingest(make_transfer(tmp_path / "src"), fonds.ref)
    item = next(i for i in result["items"] if len(i["files"]) == 3)
    ref = aips.image_for_iiif(item["files"][1]["iiif"])
    assert ref is not None and Description.objects.get(pk=ref.description_id).ref == item["ref"] and ref.page == 2
    img = pyvips.Image.new_from_file(str(ref.path))
    assert img.width == 600 and img.get("n-pages") >= 1
    assert aips.image_for_iiif("no-such-id") is None
    out = aips.export(result["aip"], tmp_path / "export")
    bagit = pytest.importorskip("bagit")
    assert bagit.Bag(str(out)).validate()


def test_s3_location(tmp_path, archive_home, fonds, monkeypatch, s3_bucket):  # noqa: F811
    from qoima.ingest import audit
    from qoima.ingest.models import AipCopy
    from qoima.storage.locations import location_from_url

    endpoint, bucket = s3_bucket
    url = f"s3://{bucket}/qoima?endpoint={endpoint}"
    monkeypatch.setenv("QOIMA_STORAGE_LOCATIONS", f"offsite={url}")
    result = service.ingest(make_transfer(tmp_path / "src"), fonds.ref)
    assert AipCopy.objects.filter(location="offsite", status="ok").exists()
    s3 = location_from_url("offsite", url)
    keys = {o.key for o in s3.list(f"aips/{result['aip']}/v1/")}
    assert f"aips/{result['aip']}/v1/bagit.txt" in keys
    assert f"aips/{result['aip']}/v1/data/objects/хаттар_1921/бет_10.jpg" in keys
    s3.delete(f"aips/{result['aip']}/v1/data/objects/хаттар_1921/бет_10.jpg")
    assert not audit.audit()["ok"]
    assert audit.audit(repair=True)["ok"]
    assert s3.exists(f"aips/{result['aip']}/v1/data/objects/хаттар_1921/бет_10.jpg")


@pytest.fixture
def immediate_queue():
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True  # the task runs at once, in this process, as a worker would run it
    yield HUEY
    HUEY.immediate = was


def test_jobs_run_through_the_queue(tmp_path, archive_home, fonds, immediate_queue):
    from qoima.ingest.tasks import submit

    job = submit("ingest", {"path": str(make_transfer(tmp_path / "src")), "into": fonds.ref, "derivatives": False})
    job.refresh_from_db()
    assert job.status == "done" and job.total == 5 and job.done == 5
    assert set(job.result) == {"aip", "items"}
    refused = submit("ingest", {"path": str(tmp_path / "missing"), "into": fonds.ref})
    refused.refresh_from_db()
    assert refused.status == "failed" and "no such file" in refused.error
    audit_job = submit("audit", {"repair": False})
    audit_job.refresh_from_db()
    assert audit_job.status == "done" and audit_job.result["ok"] is True
