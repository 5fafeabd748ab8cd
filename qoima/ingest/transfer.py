"""Receive a transfer safely: a folder, a .zip, a .tar/.tar.gz or a BagIt bag.

Everything hostile is refused before anything is stored: paths with '..' or absolute paths,
symbolic links leaving the transfer, special files, archive bombs (entry count, total size and
expansion ratio are limited and enforced on the bytes actually produced, not on what the archive
declares), unreadable files, names that collide once normalized to NFC (or case-folded when a
storage location cannot hold both), empty transfers, and bags that fail validation. Archives are
unpacked only under the given work folder (inside the archive's home).
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qoima.ingest import naming
from qoima.ingest.bags import validate_bag

IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx", ".spotlight-v100", ".trashes"}
CHUNK = 1 << 20


class TransferRefused(Exception):
    """The transfer cannot be ingested; the message names the file(s) and the problem."""


@dataclass
class Limits:
    max_entries: int = 1_000_000
    max_total_bytes: int = 4 << 40
    max_ratio: float = 200.0

    @classmethod
    def from_env(cls) -> Limits:
        env = os.environ
        return cls(int(env.get("QOIMA_INGEST_MAX_ENTRIES", cls.max_entries)),
                   int(env.get("QOIMA_INGEST_MAX_BYTES", cls.max_total_bytes)),
                   float(env.get("QOIMA_INGEST_MAX_RATIO", cls.max_ratio)))


@dataclass(slots=True)
class TransferFile:
    rel: str        # NFC path relative to the objects root, '/'-separated
    original: str   # the path exactly as received (may be decomposed Unicode)
    location: str   # where to read it (a str: a Path object per file costs ~0.5 KB at 100,000 files)
    size: int

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass
class Transfer:
    source: Path
    objects_root: Path
    files: list[TransferFile]
    metadata_csv: Path | None = None
    bag_info: dict[str, list[str]] | None = None
    ignored: list[str] = field(default_factory=list)
    unpacked_to: Path | None = None

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def _refuse(problems: list[str], what: str) -> None:
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise TransferRefused(f"{what} refused:\n  {shown}{more}")


def safe_member_name(name: str) -> str:
    """A relative, '/'-separated archive member name, or TransferRefused."""
    if "\x00" in name:
        raise TransferRefused(f"archive entry {name!r}: NUL byte in the name")
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        raise TransferRefused(f"archive entry {name!r}: absolute path")
    parts = [p for p in clean.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise TransferRefused(f"archive entry {name!r}: '..' would leave the transfer")
    if not parts:
        raise TransferRefused(f"archive entry {name!r}: empty name")
    return "/".join(parts)


def _link_inside(member: str, target: str) -> str:
    """Resolve a link target relative to its member; refuse targets outside the transfer."""
    if target.startswith("/") or "\\" in target:
        raise TransferRefused(f"archive entry {member!r}: symbolic link to {target!r} points outside the transfer")
    parts: list[str] = list(PurePosixPath(member).parent.parts)
    for p in target.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if not parts:
                raise TransferRefused(
                    f"archive entry {member!r}: symbolic link to {target!r} points outside the transfer")
            parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


class _Budget:
    def __init__(self, limits: Limits, archive: Path, archive_size: int):
        self.limits, self.archive, self.archive_size = limits, archive, max(archive_size, 1)
        self.entries = 0
        self.total = 0

    def entry(self, name: str) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise TransferRefused(f"{self.archive.name}: more than {self.limits.max_entries} entries "
                                  "(archive bomb limit; QOIMA_INGEST_MAX_ENTRIES)")

    def grow(self, n: int, name: str, consumed: int | None = None) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            raise TransferRefused(f"{self.archive.name}: expands beyond {self.limits.max_total_bytes} bytes "
                                  f"at {name!r} (archive bomb limit; QOIMA_INGEST_MAX_BYTES)")
        base = max(consumed if consumed is not None else self.archive_size, 1 << 20)
        if self.total > self.limits.max_ratio * base:
            raise TransferRefused(f"{self.archive.name}: expansion ratio above {self.limits.max_ratio:g}:1 "
                                  f"at {name!r} (archive bomb; QOIMA_INGEST_MAX_RATIO)")


def _create(dest_root: Path, rel: str) -> int:
    path = dest_root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    real_parent = path.parent.resolve()
    if real_parent != dest_root and dest_root not in real_parent.parents:
        raise TransferRefused(f"archive entry {rel!r} would be written outside the transfer")
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    except FileExistsError as exc:
        raise TransferRefused(f"archive entry {rel!r} appears twice") from exc


def _copy_stream(src, fd: int, budget: _Budget, name: str, consumed=None) -> None:
    with os.fdopen(fd, "wb") as out:
        while chunk := src.read(CHUNK):
            budget.grow(len(chunk), name, consumed() if consumed else None)
            out.write(chunk)


def _zip_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("utf-8")  # many tools write UTF-8 without setting the flag
    except UnicodeDecodeError:
        return info.filename


def unpack_zip(archive: Path, dest: Path, limits: Limits) -> None:
    budget = _Budget(limits, archive, archive.stat().st_size)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TransferRefused(f"{archive.name}: not a readable zip archive: {exc}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise TransferRefused(f"{archive.name}: {len(infos)} entries, more than {limits.max_entries} "
                                  "(archive bomb limit)")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_bytes or declared > limits.max_ratio * max(archive.stat().st_size, 1 << 20):
            raise TransferRefused(f"{archive.name}: declares {declared} bytes from "
                                  f"{archive.stat().st_size} (archive bomb limits)")
        if shutil.disk_usage(dest).free < declared * 1.05:
            raise TransferRefused(f"{archive.name}: not enough free space to unpack {declared} bytes")
        links: list[tuple[str, str]] = []
        for info in infos:
            name = safe_member_name(_zip_name(info))
            budget.entry(name)
            mode = info.external_attr >> 16
            if info.is_dir():
                (dest / name).mkdir(parents=True, exist_ok=True)
                continue
            if stat.S_ISLNK(mode):
                target = zf.read(info).decode("utf-8", "replace")
                links.append((name, _link_inside(name, target)))
                continue
            if mode and not (stat.S_ISREG(mode) or stat.S_IFMT(mode) == 0):
                raise TransferRefused(f"{archive.name}: entry {name!r} is a special file")
            fd = _create(dest, name)
            try:
                with zf.open(info) as src:
                    _copy_stream(src, fd, budget, name)
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
                raise TransferRefused(f"{archive.name}: entry {name!r} is damaged: {exc}") from exc
        _materialize_links(dest, links, budget, archive)


class _Counting:
    def __init__(self, raw):
        self.raw, self.n = raw, 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.n += len(data)
        return data


def unpack_tar(archive: Path, dest: Path, limits: Limits) -> None:
    budget = _Budget(limits, archive, archive.stat().st_size)
    with open(archive, "rb") as raw:
        counter = _Counting(raw)
        try:
            tf = tarfile.open(fileobj=counter, mode="r|*")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise TransferRefused(f"{archive.name}: not a readable tar archive: {exc}") from exc
        links: list[tuple[str, str]] = []
        try:
            for m in tf:
                name = safe_member_name(m.name)
                budget.entry(name)
                if m.isdir():
                    (dest / name).mkdir(parents=True, exist_ok=True)
                elif m.issym():
                    links.append((name, _link_inside(name, m.linkname)))
                elif m.islnk():
                    links.append((name, safe_member_name(m.linkname)))
                elif m.isreg():
                    fd = _create(dest, name)
                    src = tf.extractfile(m)
                    _copy_stream(src, fd, budget, name, lambda: counter.n)
                else:
                    raise TransferRefused(f"{archive.name}: entry {name!r} is a device, FIFO or other special file")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise TransferRefused(f"{archive.name}: damaged tar archive: {exc}") from exc
        _materialize_links(dest, links, budget, archive)


def _materialize_links(dest: Path, links: list[tuple[str, str]], budget: _Budget, archive: Path) -> None:
    """Links inside the transfer become copies of their targets (the AIP holds no links)."""
    for name, target in links:
        src = dest / target
        if not src.is_file() or src.is_symlink():
            raise TransferRefused(f"{archive.name}: link {name!r} points to {target!r}, which is not a file "
                                  "in the transfer")
        fd = _create(dest, name)
        with open(src, "rb") as f:
            _copy_stream(f, fd, budget, name)


def archive_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        return "tar"
    return None


def _find_bag(root: Path) -> Path | None:
    if (root / "bagit.txt").is_file():
        return root
    children = [c for c in root.iterdir() if c.name.lower() not in IGNORED_NAMES]
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink() \
            and (children[0] / "bagit.txt").is_file():
        return children[0]
    return None


def _scan(root: Path, transfer_root: Path) -> tuple[list[TransferFile], list[str], list[str]]:
    files: list[TransferFile] = []
    problems: list[str] = []
    ignored: list[str] = []
    real_root = transfer_root.resolve()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(f"{folder}: folder cannot be read ({exc.strerror})")
            continue
        for entry in entries:
            p = Path(entry.path)
            rel = p.relative_to(root).as_posix()
            if entry.name.lower() in IGNORED_NAMES or entry.name.startswith("._"):
                ignored.append(rel)
                continue
            if entry.is_symlink():
                target = p.resolve()
                if target != real_root and real_root not in target.parents:
                    problems.append(f"{rel}: symbolic link to {os.readlink(p)!r} points outside the transfer")
                    continue
                if target.is_dir():
                    problems.append(f"{rel}: symbolic link to a folder (not followed)")
                    continue
            try:
                st = p.stat()
            except OSError as exc:
                problems.append(f"{rel}: cannot be read ({exc.strerror})")
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(p)
                continue
            if not stat.S_ISREG(st.st_mode):
                problems.append(f"{rel}: not a regular file (device, FIFO or socket)")
                continue
            try:
                fd = os.open(p, os.O_RDONLY)
                os.read(fd, 1)
                os.close(fd)
            except OSError as exc:
                problems.append(f"{rel}: cannot be read ({exc.strerror})")
                continue
            files.append(TransferFile(naming.nfc(rel), rel, str(p), st.st_size))
    return files, problems, ignored


def check_names(files: list[TransferFile], case_insensitive_target: bool) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for f in files:
        if f.rel in seen:
            problems.append(f"{seen[f.rel]!r} and {f.original!r} differ only by Unicode normalization "
                            "(both would be stored as the same NFC name)")
            continue
        seen[f.rel] = f.original
        if case_insensitive_target:
            key = naming.fold(f.rel)
            if key in folded:
                problems.append(f"{folded[key]!r} and {f.original!r} differ only by case, and a storage "
                                "location is case-insensitive")
            folded.setdefault(key, f.original)
    # A file and a folder may also collide once normalized: 'a/' vs 'a' is caught by the set of prefixes.
    folders = {str(PurePosixPath(f.rel).parent) for f in files}
    for f in files:
        if f.rel in folders:
            problems.append(f"{f.original!r} is both a file and (after normalization) a folder")
    return problems


def receive(path: Path | str, workdir: Path, *, limits: Limits | None = None,
            case_insensitive_target: bool = False) -> Transfer:
    """Check (and unpack when needed) a transfer; raise TransferRefused with every problem found.

    `workdir` must be a fresh folder inside the home; archives are unpacked there and the caller
    removes it after ingest."""
    limits = limits or Limits.from_env()
    source = Path(path)
    if not source.exists():
        raise TransferRefused(f"{source}: no such file or folder")
    root = source
    unpacked = None
    kind = archive_kind(source) if source.is_file() else None
    if source.is_file():
        if kind is None:
            raise TransferRefused(f"{source.name}: not a folder, .zip, .tar or .tar.gz")
        workdir.mkdir(parents=True, exist_ok=True)
        unpacked = workdir / "unpacked"
        if unpacked.exists():
            shutil.rmtree(unpacked)
        unpacked.mkdir()
        try:
            (unpack_zip if kind == "zip" else unpack_tar)(source, unpacked.resolve(), limits)
        except BaseException:
            shutil.rmtree(unpacked, ignore_errors=True)
            raise
        root = unpacked
    if not os.access(root, os.R_OK | os.X_OK):
        raise TransferRefused(f"{source}: folder cannot be read")

    bag_info = None
    bag = _find_bag(root)
    if bag is not None:
        report = validate_bag(bag)
        if not report.valid:
            _refuse(report.errors, f"{source.name}: the bag is invalid;")
        bag_info = report.info
        root = bag / "data"

    metadata_csv = None
    objects_root = root
    meta_dir = root / "metadata"
    if (root / "objects").is_dir() and not (root / "objects").is_symlink():
        objects_root = root / "objects"
    if (meta_dir / "metadata.csv").is_file():
        metadata_csv = meta_dir / "metadata.csv"

    files, problems, ignored = _scan(objects_root, root)
    if objects_root == root and meta_dir.is_dir():
        files = [f for f in files if not f.rel.startswith("metadata/")]
    problems += check_names(files, case_insensitive_target)
    _refuse(problems, f"{source.name}:")
    if not files:
        raise TransferRefused(f"{source.name}: the transfer is empty (no files to ingest)")
    if len(files) > limits.max_entries:
        raise TransferRefused(f"{source.name}: {len(files)} files, more than {limits.max_entries}")
    files.sort(key=lambda f: f.rel)
    return Transfer(source=source, objects_root=objects_root, files=files, metadata_csv=metadata_csv,
                    bag_info=bag_info, ignored=ignored, unpacked_to=unpacked)


def iter_folders(files: list[TransferFile]) -> Iterator[tuple[str, list[TransferFile]]]:
    """Files grouped by folder, folders and files in natural order."""
    groups: dict[str, list[TransferFile]] = {}
    for f in files:
        groups.setdefault(str(PurePosixPath(f.rel).parent), []).append(f)
    for folder in sorted(groups, key=naming.natural_key):
        yield folder, sorted(groups[folder], key=lambda f: naming.natural_key(PurePosixPath(f.rel).name))
