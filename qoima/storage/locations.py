"""Storage locations: one interface over a local filesystem and S3-compatible object stores.

Keys are '/'-separated relative paths (Unicode kept as given, NFC by the caller). A filesystem
location never writes outside its root and writes every file atomically (temp file, fsync,
rename), so a crash leaves either the old bytes or the new ones. An S3 location hands the SHA-256
to the server, which refuses the upload when the bytes it received differ.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlparse

CHUNK = 1 << 20


class StorageError(Exception):
    """A location refused or failed an operation (the message names the location and key)."""


def check_key(key: str) -> str:
    """Refuse keys that could leave the location: absolute, empty segments, '.' or '..'."""
    if not key or key.startswith("/") or "\\" in key or "\x00" in key:
        raise StorageError(f"unsafe storage key {key!r}")
    for part in key.split("/"):
        if part in ("", ".", ".."):
            raise StorageError(f"unsafe storage key {key!r}")
    return key


@dataclass
class ObjectInfo:
    key: str
    size: int


class Location:
    """A place that holds copies of packages. Subclasses implement the primitive operations."""

    name: str
    url: str

    def put_file(self, key: str, src: Path, sha256: str | None = None) -> None:
        raise NotImplementedError

    def put_bytes(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def open(self, key: str) -> BinaryIO:
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def delete_prefix(self, prefix: str) -> None:
        for info in list(self.list(prefix)):
            self.delete(info.key)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object under `prefix` ('a/b/' lists the folder a/b), keys relative to the root."""
        raise NotImplementedError

    def local_path(self, key: str) -> Path | None:
        """The file's path when the location is a local filesystem (for fast local reads)."""
        return None

    def sha256(self, key: str) -> str:
        h = hashlib.sha256()
        with self.open(key) as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
        return h.hexdigest()

    def copy_tree(self, src_dir: Path, prefix: str, digests: dict[str, str] | None = None) -> None:
        """Upload every file under a local folder to `prefix` (used by replication)."""
        for path in sorted(p for p in src_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(src_dir).as_posix()
            self.put_file(f"{prefix}{rel}", path, (digests or {}).get(rel))

    def describe(self) -> str:
        return f"{self.name} ({self.url})"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FilesystemLocation(Location):
    """A folder on a local or mounted disk."""

    def __init__(self, name: str, root: Path | str):
        self.name = name
        self.root = Path(root).resolve()
        self.url = self.root.as_uri()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = self.root / check_key(key)
        # Refuse a key that resolves outside the root through a symlinked folder.
        parent = path.parent.resolve()
        if parent != self.root and self.root not in parent.parents:
            raise StorageError(f"{self.name}: key {key!r} leaves the location root")
        return path

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def _write_atomic(self, key: str, chunks: Iterable[bytes]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name[:60]}.{uuid.uuid4().hex}.tmp")
        try:
            with open(tmp, "wb") as f:
                for chunk in chunks:
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(path.parent)

    def put_file(self, key: str, src: Path, sha256: str | None = None) -> None:
        def chunks() -> Iterator[bytes]:
            h = hashlib.sha256()
            with open(src, "rb") as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
                    yield chunk
            if sha256 and h.hexdigest() != sha256:
                raise StorageError(f"{self.name}: {src} changed while copying to {key!r}")

        self._write_atomic(key, chunks())

    def put_bytes(self, key: str, data: bytes) -> None:
        self._write_atomic(key, [data])

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError as exc:
            raise StorageError(f"{self.name}: {key!r} is missing") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        path = self._path(prefix.rstrip("/"))
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        base = self._path(prefix.rstrip("/")) if prefix.strip("/") else self.root
        if not base.is_dir():
            return
        stack = [base]
        while stack:
            folder = stack.pop()
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    else:
                        rel = Path(entry.path).relative_to(self.root).as_posix()
                        yield ObjectInfo(rel, entry.stat(follow_symlinks=False).st_size)

    def rename_prefix(self, src: str, dst: str) -> None:
        """Atomically move a folder into place (the last step of storing a package)."""
        s, d = self._path(src.rstrip("/")), self._path(dst.rstrip("/"))
        d.parent.mkdir(parents=True, exist_ok=True)
        os.rename(s, d)
        fsync_dir(d.parent)


class S3Location(Location):
    """A bucket (and key prefix) on any S3-compatible store: AWS, Ceph, MinIO, moto."""

    def __init__(self, name: str, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, access_key: str | None = None, secret_key: str | None = None,
                 client=None):
        import boto3
        from botocore.config import Config

        self.name = name
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.url = f"s3://{bucket}/{self.prefix}" + (f"?endpoint={endpoint_url}" if endpoint_url else "")
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region or os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}))

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put_file(self, key: str, src: Path, sha256: str | None = None) -> None:
        if sha256 is None:
            h = hashlib.sha256()
            with open(src, "rb") as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
            sha256 = h.hexdigest()
        with open(src, "rb") as f:
            self._put(key, f, sha256)

    def put_bytes(self, key: str, data: bytes) -> None:
        self._put(key, data, hashlib.sha256(data).hexdigest())

    def _put(self, key: str, body, sha256: str) -> None:
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=body,
                                   ChecksumAlgorithm="SHA256", ChecksumSHA256=checksum,
                                   Metadata={"sha256": sha256})
        except Exception as exc:  # botocore raises many classes; name the object in one message
            raise StorageError(f"{self.name}: upload of {key!r} failed: {exc}") from exc

    def open(self, key: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise StorageError(f"{self.name}: {key!r} is missing") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except Exception:
            return False

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for obj in page.get("Contents", []):
                yield ObjectInfo(obj["Key"][len(self.prefix):], obj["Size"])


def location_from_url(name: str, url: str) -> Location:
    """`/path` or `file:///path` → filesystem; `s3://bucket/prefix?endpoint=http://host:port` → S3.

    S3 credentials come from the usual AWS environment variables or the query (key=, secret=)."""
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return FilesystemLocation(name, parsed.path if parsed.scheme else url)
    if parsed.scheme == "s3":
        q = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        return S3Location(name, parsed.netloc, parsed.path, endpoint_url=q.get("endpoint"),
                          region=q.get("region"), access_key=q.get("key"), secret_key=q.get("secret"))
    raise StorageError(f"storage location {name!r}: unsupported URL {url!r} (use a path or s3://)")


def configured_locations(home: Path) -> list[Location]:
    """The archive's locations: storage/primary and storage/replica under the home, plus any in
    QOIMA_STORAGE_LOCATIONS ("name=url;name=url"); QOIMA_STORAGE_ONLY=1 drops the two defaults."""
    locs: list[Location] = []
    if os.environ.get("QOIMA_STORAGE_ONLY", "") not in {"1", "true", "yes"}:
        locs = [FilesystemLocation("primary", home / "storage" / "primary"),
                FilesystemLocation("replica", home / "storage" / "replica")]
    for spec in filter(None, (s.strip() for s in os.environ.get("QOIMA_STORAGE_LOCATIONS", "").split(";"))):
        name, sep, url = spec.partition("=")
        if not sep or not name.strip():
            raise StorageError(f"QOIMA_STORAGE_LOCATIONS entry {spec!r}: expected name=url")
        locs.append(location_from_url(name.strip(), url.strip()))
    if len({loc.name for loc in locs}) != len(locs):
        raise StorageError("storage location names must be unique")
    if not locs:
        raise StorageError("no storage location configured")
    return locs
