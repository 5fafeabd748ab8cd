"""BagIt: our validator agrees with every case of the LoC conformance suite; bags we write validate with bagit.py."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from qoima.ingest import bags
from tests.conftest import shared_standards


def _suite_cases():
    root = shared_standards()
    if root is None:
        return []
    suite = root / "bagit-conformance-suite"
    cases = []
    for kind_dir in sorted(suite.glob("v*/*")):
        if kind_dir.is_dir():
            for case in sorted(p for p in kind_dir.iterdir() if p.is_dir()):
                cases.append(pytest.param(case, kind_dir.name, id=f"{kind_dir.parent.name}-{kind_dir.name}-{case.name}"))
    return cases or [pytest.param(None, None, marks=pytest.mark.skip(reason="conformance suite absent"))]


@pytest.mark.parametrize(("case", "kind"), _suite_cases())
def test_conformance_suite(case: Path, kind: str):
    report = bags.validate_bag(case)
    if kind in ("valid", "warning"):
        assert report.valid, report.errors
        if kind == "warning":
            assert report.warnings
    else:  # invalid, linux-only, windows-only: out-of-scope paths are refused on every platform
        assert not report.valid


def test_cli_agrees_on_suite(qoima, standards):
    suite = standards / "bagit-conformance-suite"
    valid = qoima("bag", "validate", str(suite / "v1.0/valid/basicBag"))
    assert valid.returncode == 0, valid.stderr
    invalid = qoima("bag", "validate", str(suite / "v1.0/invalid/notAllManifestsListAllFiles"))
    assert invalid.returncode == 1
    assert "missingFromManifest.txt" in invalid.stderr


def _write_bag(root: Path, files: dict[str, bytes]) -> Path:
    (root / "data").mkdir(parents=True)
    lines = []
    for rel, data in files.items():
        path = root / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        lines.append(bags.manifest_line(hashlib.sha256(data).hexdigest(), f"data/{rel}"))
    (root / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    bags.write_bag_declaration(root)
    bags.write_bag_info(root, [("Source-Organization", "Қазақстан архиві"),
                               ("Payload-Oxum", f"{sum(map(len, files.values()))}.{len(files)}")])
    bags.write_tag_manifest(root)
    return root


def test_written_bag_validates_with_loc_bagit(tmp_path):
    bagit = pytest.importorskip("bagit")
    files = {"хат/бет 1.txt": b"one", "رسالة.txt": "سلام".encode(), "100%.txt": b"percent"}
    root = _write_bag(tmp_path / "bag", files)
    assert bags.validate_bag(root).valid
    assert bagit.Bag(str(root)).validate()


@pytest.mark.parametrize("damage", ["flip", "delete", "extra", "lie"])
def test_damage_is_reported(tmp_path, damage):
    root = _write_bag(tmp_path / "bag", {"a.txt": b"alpha", "b/c.txt": b"gamma"})
    if damage == "flip":
        (root / "data/a.txt").write_bytes(b"alphA")
    elif damage == "delete":
        (root / "data/b/c.txt").unlink()
    elif damage == "extra":
        (root / "data/new.txt").write_bytes(b"new")
    else:  # a manifest that lies, with the tag manifest recomputed so only the payload check can catch it
        text = (root / "manifest-sha256.txt").read_text().replace(hashlib.sha256(b"alpha").hexdigest(), "0" * 64)
        (root / "manifest-sha256.txt").write_text(text)
        bags.write_tag_manifest(root)
    report = bags.validate_bag(root)
    assert not report.valid
    assert any(("a.txt" in e) or ("c.txt" in e) or ("new.txt" in e) or ("Oxum" in e) for e in report.errors)


def test_encode_path_roundtrip():
    name = "a%b\nc\rd"
    assert bags.decode_path(bags.encode_path(name)) == name
    assert "\n" not in bags.encode_path(name)


def test_percent_encoded_names_are_read_either_way(tmp_path):
    root = _write_bag(tmp_path / "bag", {"100%.txt": b"x"})
    text = (root / "manifest-sha256.txt").read_text().replace("100%.txt", "100%25.txt")
    (root / "manifest-sha256.txt").write_text(text)
    bags.write_tag_manifest(root)
    assert bags.validate_bag(root).valid


def test_copy_of_conformance_bag_with_flipped_bit_is_invalid(tmp_path, standards):
    src = standards / "bagit-conformance-suite/v1.0/valid/basicBag"
    dst = tmp_path / "bag"
    shutil.copytree(src, dst)
    p = dst / "data/hello.txt"
    data = bytearray(p.read_bytes())
    data[0] ^= 1
    p.write_bytes(bytes(data))
    assert not bags.validate_bag(dst).valid
