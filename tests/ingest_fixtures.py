"""Helpers for ingest/storage tests: scans generated with Pillow, hostile archives, a moto S3 server."""

from __future__ import annotations

import io
import os
import socket
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest


def scan(path: Path, size=(600, 800), colour=(235, 225, 200), mode="RGB", dpi=300) -> Path:
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new(mode, size, colour if mode == "RGB" else 220)
    ImageDraw.Draw(img).rectangle([40, 40, size[0] - 40, 120], fill=(20, 20, 20) if mode == "RGB" else 20)
    img.save(path, dpi=(dpi, dpi))
    return path


def make_transfer(root: Path) -> Path:
    """A small multilingual transfer: a folder of Kazakh-named pages (natural order), an Arabic-named
    text, a decomposed-Unicode folder, and metadata/metadata.csv describing the letters."""
    import unicodedata

    for n in (1, 2, 10):
        scan(root / "хаттар_1921" / f"бет_{n}.jpg")
    scan(root / unicodedata.normalize("NFD", "Жүсіпбек Аймауытұлы") / "сурет.tif", mode="L")
    (root / "رسالة_قديمة.txt").write_text("رسالة من الأرشيف", encoding="utf-8")
    (root / "metadata").mkdir()
    (root / "metadata" / "metadata.csv").write_text(
        "filename,dc.title,dc.date,dc.language,dc.description\n"
        "objects/хаттар_1921,Хаттар 1921 жыл,1921,kk,Жеке хаттар\n", encoding="utf-8")
    return root


def zip_with(path: Path, entries: list[tuple[str, bytes]], symlinks: list[tuple[str, str]] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def tar_with(path: Path, entries: list[tuple[str, bytes]], symlinks: list[tuple[str, str]] = (),
             mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as tf:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in symlinks:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto in server mode); yields its endpoint URL."""
    server_mod = pytest.importorskip("moto.server")
    port = free_port()
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    import uuid

    import boto3

    name = f"qoima-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1").create_bucket(Bucket=name)
    return s3_server, name
