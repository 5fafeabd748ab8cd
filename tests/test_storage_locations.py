"""Storage locations: atomic filesystem writes inside the root, S3 against moto, fixity check and repair."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from qoima.storage.fixity import check_copy, repair_copy
from qoima.storage.locations import (
    FilesystemLocation,
    S3Location,
    StorageError,
    configured_locations,
    location_from_url,
)
from qoima.storage.packages import PackageWriter
from tests.ingest_fixtures import s3_bucket, s3_server  # noqa: F401


def test_filesystem_put_get_list(tmp_path):
    loc = FilesystemLocation("p", tmp_path / "p")
    loc.put_bytes("aips/x/data/Қазақ ә.txt", b"hello")
    assert loc.exists("aips/x/data/Қазақ ә.txt")
    with loc.open("aips/x/data/Қазақ ә.txt") as f:
        assert f.read() == b"hello"
    assert [(o.key, o.size) for o in loc.list("aips/x/")] == [("aips/x/data/Қазақ ә.txt", 5)]
    assert loc.sha256("aips/x/data/Қазақ ә.txt") == hashlib.sha256(b"hello").hexdigest()
    # no temp files left behind by the atomic write
    assert sorted(p.name for p in (tmp_path / "p" / "aips/x/data").iterdir()) == ["Қазақ ә.txt"]


@pytest.mark.parametrize("key", ["../escape", "/abs", "a/../../b", "a//b", "", "a\\b", "./a"])
def test_filesystem_refuses_unsafe_keys(tmp_path, key):
    loc = FilesystemLocation("p", tmp_path / "p")
    with pytest.raises(StorageError):
        loc.put_bytes(key, b"x")
    assert not (tmp_path / "escape").exists() and not Path("/abs").exists()


def test_filesystem_refuses_symlinked_folder_leaving_root(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    loc = FilesystemLocation("p", tmp_path / "p")
    os.symlink(outside, tmp_path / "p" / "link")
    with pytest.raises(StorageError):
        loc.put_bytes("link/file", b"x")
    assert not (outside / "file").exists()


def test_put_file_detects_source_changing(tmp_path):
    src = tmp_path / "src"
    src.write_bytes(b"abc")
    loc = FilesystemLocation("p", tmp_path / "p")
    with pytest.raises(StorageError):
        loc.put_file("k", src, sha256="0" * 64)
    assert not loc.exists("k")


def test_configured_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("QOIMA_STORAGE_LOCATIONS", f"offsite={tmp_path / 'off'}")
    names = [loc.name for loc in configured_locations(tmp_path)]
    assert names == ["primary", "replica", "offsite"]
    monkeypatch.setenv("QOIMA_STORAGE_LOCATIONS", "bad")
    with pytest.raises(StorageError):
        configured_locations(tmp_path)


def test_s3_location_roundtrip_and_checksum(s3_bucket):  # noqa: F811
    endpoint, bucket = s3_bucket
    loc = location_from_url("cloud", f"s3://{bucket}/archive?endpoint={endpoint}")
    assert isinstance(loc, S3Location)
    loc.put_bytes("aips/u/v1/data/ә.txt", b"payload")
    assert loc.exists("aips/u/v1/data/ә.txt")
    assert [o.key for o in loc.list("aips/u/")] == ["aips/u/v1/data/ә.txt"]
    assert loc.sha256("aips/u/v1/data/ә.txt") == hashlib.sha256(b"payload").hexdigest()
    with pytest.raises(StorageError):
        loc.open("aips/u/v1/data/missing.txt")


def _package(tmp_path, locs):
    w = PackageWriter(locs, "k1", "aips/a/v1/", tmp_path / "work")
    w.add_bytes("data/one.txt", b"one")
    w.add_bytes("data/папка/two.txt", b"two" * 1000)
    w.verify()
    w.replicate_remote()
    w.commit()
    return {rel: (e.sha256, e.size) for rel, e in w.entries.items()}


def test_package_writer_commits_verified_copies_everywhere(tmp_path, s3_bucket):  # noqa: F811
    endpoint, bucket = s3_bucket
    locs = [FilesystemLocation("primary", tmp_path / "p"), FilesystemLocation("replica", tmp_path / "r"),
            location_from_url("cloud", f"s3://{bucket}/x?endpoint={endpoint}")]
    expected = _package(tmp_path, locs)
    for loc in locs:
        report = check_copy(loc, "aips/a/v1/", expected)
        assert report.intact, report
    assert not any((tmp_path / "p" / "staging").iterdir())


def test_package_writer_interrupted_attempt_leaves_nothing_visible(tmp_path):
    locs = [FilesystemLocation("primary", tmp_path / "p"), FilesystemLocation("replica", tmp_path / "r")]
    w = PackageWriter(locs, "k1", "aips/a/v1/", tmp_path / "work")
    w.add_bytes("data/one.txt", b"one")
    # "crash": no commit. Nothing under aips/, and the next attempt clears the leftovers.
    assert not (tmp_path / "p" / "aips").exists()
    PackageWriter(locs, "k1", "aips/a/v1/", tmp_path / "work")
    assert not (tmp_path / "p" / "staging" / "k1" / "data").exists()


def test_fixity_check_and_repair(tmp_path, s3_bucket):  # noqa: F811
    endpoint, bucket = s3_bucket
    locs = [FilesystemLocation("primary", tmp_path / "p"), FilesystemLocation("replica", tmp_path / "r"),
            location_from_url("cloud", f"s3://{bucket}/x?endpoint={endpoint}")]
    expected = _package(tmp_path, locs)
    flipped = tmp_path / "p" / "aips/a/v1/data/папка/two.txt"
    data = bytearray(flipped.read_bytes())
    data[7] ^= 0x01
    flipped.write_bytes(bytes(data))
    (tmp_path / "r" / "aips/a/v1/data/one.txt").unlink()
    locs[2].delete("aips/a/v1/data/one.txt")
    locs[2].put_bytes("aips/a/v1/data/intruder", b"?")
    reports = {loc.name: check_copy(loc, "aips/a/v1/", expected) for loc in locs}
    assert reports["primary"].changed == ["data/папка/two.txt"]
    assert reports["replica"].missing == ["data/one.txt"]
    assert reports["cloud"].missing == ["data/one.txt"] and reports["cloud"].extra == ["data/intruder"]
    for loc in locs:
        repair_copy(loc, locs, "aips/a/v1/", expected, reports[loc.name])
        assert check_copy(loc, "aips/a/v1/", expected).intact
