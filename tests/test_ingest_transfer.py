"""Receiving transfers: every hostile or broken input is refused, and nothing lands outside the work folder."""

from __future__ import annotations

import os
import unicodedata
import zipfile
from pathlib import Path

import pytest

from qoima.ingest.transfer import Limits, TransferRefused, iter_folders, receive
from tests.ingest_fixtures import make_transfer, tar_with, zip_with


def _files_outside(tmp_path: Path, work: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p.is_file() and work not in p.parents and "src" not in p.parts
            and p.suffix not in (".zip", ".tar", ".gz", ".tgz")]


def test_folder_transfer_keeps_names_and_orders_pages(tmp_path):
    src = make_transfer(tmp_path / "src")
    t = receive(src, tmp_path / "work")
    rels = {f.rel for f in t.files}
    assert "хаттар_1921/бет_10.jpg" in rels and "رسالة_قديمة.txt" in rels
    nfd = [f for f in t.files if f.original != f.rel]
    assert len(nfd) == 1 and nfd[0].rel == unicodedata.normalize("NFC", nfd[0].original)
    assert t.metadata_csv is not None and not any(r.startswith("metadata/") for r in rels)
    folders = dict(iter_folders(t.files))
    assert [Path(f.rel).name for f in folders["хаттар_1921"]] == ["бет_1.jpg", "бет_2.jpg", "бет_10.jpg"]


def test_zip_and_tar_transfers(tmp_path):
    entries = [("папка/бет 1.txt", b"1"), ("папка/бет 2.txt", b"2"), ("ملف.txt", "عربي".encode())]
    for archive in (zip_with(tmp_path / "t.zip", entries), tar_with(tmp_path / "t.tar.gz", entries),
                    tar_with(tmp_path / "t.tar", entries, mode="w")):
        work = tmp_path / f"work-{archive.name}"
        t = receive(archive, work)
        assert sorted(f.rel for f in t.files) == sorted(n for n, _ in entries)
        assert all(work in f.path.parents for f in t.files)


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "/tmp/qoima-evil.txt", "C:\\evil.txt",
                                  "a\\..\\..\\evil.txt"])
@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_escaping_paths_are_refused(tmp_path, name, kind):
    entries = [("ok.txt", b"ok"), (name, b"evil")]
    archive = zip_with(tmp_path / "t.zip", entries) if kind == "zip" else tar_with(tmp_path / "t.tar.gz", entries)
    with pytest.raises(TransferRefused) as exc:
        receive(archive, tmp_path / "work")
    assert "evil" in str(exc.value)
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/qoima-evil.txt").exists()
    assert not _files_outside(tmp_path, tmp_path / "work")


@pytest.mark.parametrize("kind", ["zip", "tar"])
@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside", "../sub/../../x"])
def test_symlinks_leaving_the_transfer_are_refused(tmp_path, kind, target):
    entries = [("sub/ok.txt", b"ok")]
    links = [("sub/link", target)]
    archive = (zip_with(tmp_path / "t.zip", entries, links) if kind == "zip"
               else tar_with(tmp_path / "t.tar.gz", entries, links))
    with pytest.raises(TransferRefused, match="outside the transfer"):
        receive(archive, tmp_path / "work")


def test_symlink_inside_archive_becomes_a_copy(tmp_path):
    archive = tar_with(tmp_path / "t.tar.gz", [("a/page.txt", b"content")], [("b/same.txt", "../a/page.txt")])
    t = receive(archive, tmp_path / "work")
    by_rel = {f.rel: f for f in t.files}
    assert by_rel["b/same.txt"].path.read_bytes() == b"content" and not by_rel["b/same.txt"].path.is_symlink()


def test_folder_with_symlink_outside_is_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("ok")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, src / "link.txt")
    with pytest.raises(TransferRefused, match="link.txt"):
        receive(src, tmp_path / "work")


def test_zip_bomb_ratio_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (50 << 20))
    with pytest.raises(TransferRefused, match="bomb"):
        receive(archive, tmp_path / "work", limits=Limits(max_ratio=20))
    assert not any((tmp_path / "work").rglob("zeros.bin"))


def test_tar_bomb_ratio_is_enforced_on_actual_bytes(tmp_path):
    archive = tar_with(tmp_path / "bomb.tar.gz", [("zeros.bin", b"\0" * (60 << 20))])
    with pytest.raises(TransferRefused, match="ratio"):
        receive(archive, tmp_path / "work", limits=Limits(max_ratio=20))


def test_entry_count_and_total_size_limits(tmp_path):
    many = zip_with(tmp_path / "many.zip", [(f"f{i}.txt", b"x") for i in range(30)])
    with pytest.raises(TransferRefused, match="entries"):
        receive(many, tmp_path / "w1", limits=Limits(max_entries=10))
    big = tar_with(tmp_path / "big.tar", [("a.bin", os.urandom(3000)), ("b.bin", os.urandom(3000))], mode="w")
    with pytest.raises(TransferRefused, match="expands beyond"):
        receive(big, tmp_path / "w2", limits=Limits(max_total_bytes=4000))


def test_special_files_in_tar_are_refused(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "dev.tar"
    with tarfile.open(archive, "w") as tf:
        info = tarfile.TarInfo("dev/null")
        info.type = tarfile.CHRTYPE
        tf.addfile(info, io.BytesIO())
    with pytest.raises(TransferRefused, match="special"):
        receive(archive, tmp_path / "work")


def test_names_differing_only_by_normalization_are_refused(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "Әйгерім.txt"), unicodedata.normalize("NFD", "Әйгерім.txt")
    assert nfc != nfd
    archive = zip_with(tmp_path / "t.zip", [(nfc, b"1"), (nfd, b"2")])
    with pytest.raises(TransferRefused, match="normalization"):
        receive(archive, tmp_path / "work")


def test_names_differing_only_by_case(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "Хат.txt").write_text("1")
    (src / "хат.txt").write_text("2")
    assert len(receive(src, tmp_path / "w1").files) == 2  # a case-sensitive target holds both
    with pytest.raises(TransferRefused, match="case"):
        receive(src, tmp_path / "w2", case_insensitive_target=True)


def test_empty_transfers_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "sub").mkdir()
    with pytest.raises(TransferRefused, match="empty"):
        receive(tmp_path / "empty", tmp_path / "w1")
    with pytest.raises(TransferRefused, match="empty"):
        receive(zip_with(tmp_path / "e.zip", []), tmp_path / "w2")


def test_unreadable_files_are_refused(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("ok")
    locked = src / "locked.txt"
    locked.write_text("no")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads whatever the mode: make the open fail as it would for others
        real_open = os.open

        def refusing_open(path, flags, *args):
            if str(path).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, *args)
        monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(TransferRefused, match="locked.txt"):
        receive(src, tmp_path / "work")


def test_fifo_in_folder_is_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("ok")
    os.mkfifo(src / "pipe")
    with pytest.raises(TransferRefused, match="pipe"):
        receive(src, tmp_path / "work")


def test_damaged_zip_is_refused(tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TransferRefused):
        receive(archive, tmp_path / "work")


def _bag(root: Path) -> Path:
    bagit = pytest.importorskip("bagit")
    (root / "папка").mkdir(parents=True)
    (root / "папка" / "бет.txt").write_text("page")
    bagit.make_bag(str(root), checksums=["sha256"])
    return root


def test_valid_bag_is_received_by_its_payload(tmp_path):
    t = receive(_bag(tmp_path / "bag"), tmp_path / "work")
    assert [f.rel for f in t.files] == ["папка/бет.txt"]
    assert t.bag_info and "Payload-Oxum" in t.bag_info


def test_bag_whose_manifest_lies_is_refused(tmp_path):
    root = _bag(tmp_path / "bag")
    (root / "data" / "папка" / "бет.txt").write_text("changed")
    with pytest.raises(TransferRefused, match="бет.txt"):
        receive(root, tmp_path / "work")


def test_zipped_bag_whose_manifest_lies_is_refused(tmp_path):
    root = _bag(tmp_path / "bag")
    (root / "data" / "папка" / "бет.txt").write_text("changed")
    archive = tmp_path / "bag.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in root.rglob("*"):
            if p.is_file():
                zf.write(p, "bag/" + p.relative_to(root).as_posix())
    with pytest.raises(TransferRefused, match="invalid"):
        receive(archive, tmp_path / "work")
