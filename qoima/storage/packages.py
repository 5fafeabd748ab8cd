"""Write one package (a folder of files) into every storage location, verify it, then commit it.

Files are streamed once from their source and written to every filesystem location's staging
folder at the same time (the SHA-256 is computed in the same pass). S3-compatible locations get
their copy afterwards, uploaded from the first filesystem stage to the final keys and read back.
Before commit each file system is synced once (not one fsync per file) and every copy is re-read
and compared with the manifest (from the medium itself with QOIMA_VERIFY_DISK=1). Commit renames each staging
folder into place; until then nothing is visible under the package's final prefix on a
filesystem location, and the database lists nothing. A crash leaves only a staging folder, which
the next attempt with the same staging key removes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from qoima.storage.locations import CHUNK, FilesystemLocation, Location, StorageError, fsync_dir
from qoima.storage.syncing import drop_cache, syncfs


@dataclass(slots=True)
class Entry:
    rel: str
    sha256: str
    size: int
    linked_from: str | None = None  # key of an identical file in an earlier version


class PackageWriter:
    """Stage a package under `staging/<key>/` in each location, then commit it to `final`."""

    def __init__(self, locations: list[Location], staging_key: str, final: str, work: Path):
        if not locations:
            raise StorageError("no storage locations")
        self.locations = locations
        self.fs = [loc for loc in locations if isinstance(loc, FilesystemLocation)]
        self.remote = [loc for loc in locations if not isinstance(loc, FilesystemLocation)]
        self.final = final.rstrip("/") + "/"
        self.staging = f"staging/{staging_key}/"
        work.mkdir(parents=True, exist_ok=True)
        if not self.fs:  # object stores only: stage locally in the work folder
            self.fs_stage_only = FilesystemLocation("stage", work / "stage")
            self.fs = [self.fs_stage_only]
        else:
            self.fs_stage_only = None
        self.entries: dict[str, Entry] = {}
        # Re-read copies from the medium rather than the page cache (slower; audits always read the disk
        # once the cache has moved on). QOIMA_VERIFY_DISK=1 turns it on.
        self.from_disk = os.environ.get("QOIMA_VERIFY_DISK", "") in {"1", "true", "yes"}
        for loc in self.fs:
            loc.delete_prefix(self.staging)  # leftovers of an interrupted attempt
            (loc.root / self.staging).mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------- staging

    def stage_root(self, loc: FilesystemLocation | None = None) -> Path:
        return (loc or self.fs[0]).local_path(self.staging.rstrip("/"))

    def stage_path(self, rel: str, loc: FilesystemLocation | None = None) -> Path:
        return (loc or self.fs[0]).local_path(self.staging + rel)

    def _open_targets(self, rel: str) -> list:
        files = []
        for loc in self.fs:
            path = self.stage_path(rel, loc)
            path.parent.mkdir(parents=True, exist_ok=True)
            files.append(open(path, "wb"))
        return files

    def add_stream(self, rel: str, chunks: Iterable[bytes]) -> Entry:
        """Write one file to every stage in one pass; return its SHA-256 and size."""
        if rel in self.entries:
            raise StorageError(f"package file {rel!r} written twice")
        h = hashlib.sha256()
        size = 0
        outs = self._open_targets(rel)
        try:
            for chunk in chunks:
                h.update(chunk)
                size += len(chunk)
                for out in outs:
                    out.write(chunk)
        finally:
            for out in outs:
                out.close()
        entry = Entry(rel, h.hexdigest(), size)
        self.entries[rel] = entry
        return entry

    def add_file(self, rel: str, src: Path) -> Entry:
        def chunks():
            with open(src, "rb") as f:
                while chunk := f.read(CHUNK):
                    yield chunk
        return self.add_stream(rel, chunks())

    def add_bytes(self, rel: str, data: bytes) -> Entry:
        return self.add_stream(rel, [data])

    def add_produced(self, rel: str, produce: Callable[[Path], object]) -> tuple[Entry, object]:
        """Let `produce(path)` write a file (e.g. a derivative) into the first stage; copy it to the others."""
        first = self.stage_path(rel)
        first.parent.mkdir(parents=True, exist_ok=True)
        result = produce(first)
        h = hashlib.sha256()
        size = 0
        others = []
        for loc in self.fs[1:]:
            self.stage_path(rel, loc).parent.mkdir(parents=True, exist_ok=True)
            others.append(open(self.stage_path(rel, loc), "wb"))
        try:
            with open(first, "rb") as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    for out in others:
                        out.write(chunk)
        finally:
            for out in others:
                out.close()
        entry = Entry(rel, h.hexdigest(), size)
        self.entries[rel] = entry
        return entry, result

    def link(self, rel: str, previous_key: str, sha256: str, size: int) -> Entry:
        """Reuse an identical file of an earlier version: a hard link on disks (object stores get it uploaded)."""
        for loc in self.fs:
            dest = self.stage_path(rel, loc)
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = loc.local_path(previous_key) if loc is not self.fs_stage_only else None
            if src is None or not src.exists():
                src = self._fetch_previous(previous_key)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)
        entry = Entry(rel, sha256, size, linked_from=previous_key)
        self.entries[rel] = entry
        return entry

    def _fetch_previous(self, key: str) -> Path:
        for loc in self.locations:
            if loc.exists(key):
                tmp = self.stage_path(f".prev/{uuid.uuid4().hex}")
                tmp.parent.mkdir(parents=True, exist_ok=True)
                with loc.open(key) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out, CHUNK)
                return tmp
        raise StorageError(f"earlier version of {key!r} is in no location")

    # ------------------------------------------------------------- verification and commit

    def _verify_fs(self, loc: FilesystemLocation, rels: list[str]) -> list[str]:
        problems = []
        for rel in rels:
            e = self.entries[rel]
            path = self.stage_path(rel, loc)
            try:
                if self.from_disk:
                    drop_cache(path)
                h = hashlib.sha256()
                size = 0
                with open(path, "rb") as f:
                    while chunk := f.read(CHUNK):
                        h.update(chunk)
                        size += len(chunk)
            except OSError as exc:
                problems.append(f"{loc.name}: {rel}: {exc}")
                continue
            if h.hexdigest() != e.sha256 or size != e.size:
                problems.append(f"{loc.name}: {rel}: copy differs from the source")
        return problems

    def verify(self, rels: list[str] | None = None) -> None:
        """Sync each location, then re-read every staged copy and compare with the manifest."""
        rels = sorted(self.entries) if rels is None else rels
        for loc in self.fs:
            syncfs(loc.root)
        with ThreadPoolExecutor(max_workers=max(1, len(self.fs))) as ex:
            results = list(ex.map(lambda loc: self._verify_fs(loc, rels), self.fs))
        problems = [p for r in results for p in r]
        if problems:
            raise StorageError("verification failed:\n  " + "\n  ".join(problems[:20]))

    def replicate_remote(self, rels: list[str] | None = None) -> None:
        """Upload staged files to the object-store locations (final keys), then read each back and hash it:
        the server is sent the SHA-256 too, but not every S3-compatible store enforces it."""
        rels = sorted(self.entries) if rels is None else rels
        for loc in self.remote:
            bad = []
            for rel in rels:
                e = self.entries[rel]
                loc.put_file(self.final + rel, self.stage_path(rel), e.sha256)
                if loc.sha256(self.final + rel) != e.sha256:
                    bad.append(rel)
            if bad:
                raise StorageError(f"{loc.name}: {len(bad)} objects differ after upload, e.g. {bad[0]!r}")

    def commit(self) -> None:
        """Move each staging folder to the final prefix (replacing an orphan left by a crash)."""
        for loc in self.fs:
            if loc is self.fs_stage_only:
                continue
            shutil.rmtree(self.stage_path(".prev", loc), ignore_errors=True)
            syncfs(loc.root)
            target = loc.local_path(self.final.rstrip("/"))
            if target.exists():
                trash = loc.local_path(f"staging/trash-{uuid.uuid4().hex}")
                os.rename(target, trash)
                loc.rename_prefix(self.staging, self.final)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                loc.rename_prefix(self.staging, self.final)
            fsync_dir(target.parent)
        if self.fs_stage_only is not None:
            shutil.rmtree(self.fs_stage_only.root, ignore_errors=True)

    def abort(self) -> None:
        for loc in self.fs:
            loc.delete_prefix(self.staging)
