"""BagIt (RFC 8493, and the 0.93–0.97 drafts when reading): write tag files, validate bags.

The validator reads each payload file once and computes every manifest's algorithm in that pass.
It distinguishes errors (the bag is invalid) from warnings (legal but risky: duplicate lines with
one hash before 1.0, `./` or md5sum-style `*` paths, names that differ only by case or Unicode
normalization as made on a case-insensitive or normalizing file system, system files).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
CHUNK = 1 << 20
_NEWLINE = re.compile(r"\r\n|\r|\n")
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", ".spotlight-v100", ".trashes", "__macosx"}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    version: str = ""
    info: dict[str, list[str]] = field(default_factory=dict)
    payload: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"valid": self.valid, "version": self.version, "errors": self.errors, "warnings": self.warnings}


class BagError(Exception):
    pass


# ---------------------------------------------------------------- writing

def encode_path(path: str) -> str:
    """Manifest form of a path: CR and LF percent-encoded. RFC 8493 §2.1.3 also encodes '%', but
    the LoC bagit.py (what partners validate with) does not decode %25, so a literal '%' is kept;
    the validator below accepts both forms."""
    return path.replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    return re.sub(r"%(0[AaDd]|25)", lambda m: chr(int(m.group(1), 16)), path)


def manifest_line(digest: str, path: str) -> str:
    return f"{digest}  {encode_path(path)}\n"


def write_bag_declaration(bag: Path) -> None:
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")


def write_bag_info(bag: Path, info: Iterable[tuple[str, str]]) -> None:
    lines = []
    for key, value in info:
        if not key or ":" in key or _NEWLINE.search(key) or key != key.strip():
            raise BagError(f"bag-info key {key!r} is not a valid label")
        value = " ".join(_NEWLINE.split(str(value)))  # one physical line per element
        lines.append(f"{key}: {value}\n")
    (bag / "bag-info.txt").write_text("".join(lines), encoding="utf-8")


def hash_file(path: Path, algorithms: Iterable[str] = ("sha256",)) -> dict[str, str]:
    hashes = {a: hashlib.new(a) for a in algorithms}
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            for h in hashes.values():
                h.update(chunk)
    return {a: h.hexdigest() for a, h in hashes.items()}


def write_tag_manifest(bag: Path, algorithm: str = "sha256") -> dict[str, str]:
    """Hash every tag file (everything outside data/ except tag manifests) into the tag manifest."""
    digests: dict[str, str] = {}
    for path in sorted(bag.rglob("*")):
        rel = path.relative_to(bag).as_posix()
        if not path.is_file() or rel.startswith("data/") or rel.startswith("tagmanifest-"):
            continue
        digests[rel] = hash_file(path, [algorithm])[algorithm]
    text = "".join(manifest_line(d, p) for p, d in digests.items())
    (bag / f"tagmanifest-{algorithm}.txt").write_text(text, encoding="utf-8")
    digests[f"tagmanifest-{algorithm}.txt"] = hashlib.new(algorithm, text.encode()).hexdigest()
    return digests


# ---------------------------------------------------------------- reading

def _read_text(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise BagError(f"{path.name}: cannot be read as {encoding}: {exc}") from exc
    return text.lstrip("\ufeff") if encoding.lower().startswith("utf-16") else text


def _lines(text: str) -> list[str]:
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_tags(text: str, name: str, strict: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """`Label: value` lines with indented continuations; strict (bagit.txt) forbids space before ':'."""
    items: list[tuple[str, str]] = []
    errors: list[str] = []
    for n, line in enumerate(_lines(text), 1):
        if not line.strip():
            continue
        if line[0] in " \t" and items:
            items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            errors.append(f"{name} line {n}: expected 'Label: value', got {line!r}")
            continue
        if strict and (key != key.strip() or not value.startswith(" ")):
            errors.append(f"{name} line {n}: {line!r} must be exactly 'Label: value' (no whitespace before ':')")
            continue
        items.append((key.strip(), value.strip()))
    return items, errors


def _scope_error(path: str) -> str | None:
    first = path.split("/")[0]
    if (path.startswith(("/", "~")) or "\\" in path or re.match(r"^[A-Za-z]:", path)
            or re.match(r"^%[^%]+%", first)):
        return "is outside the bag"
    if any(part == ".." for part in path.split("/")):
        return "uses '..' to leave the bag"
    return None


def _read_manifest(bag: Path, name: str, encoding: str, v1: bool, report: Report,
                   payload: bool) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        text = _read_text(bag / name, encoding)
    except BagError as exc:
        report.errors.append(str(exc))
        return entries
    for n, line in enumerate(_lines(text), 1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9A-Fa-f]+)[ \t]+(.+)$", line)
        if not m:
            report.errors.append(f"{name} line {n}: expected 'checksum  path', got {line!r}")
            continue
        digest, path = m.group(1).lower(), m.group(2)
        if path.startswith("*"):
            report.warnings.append(f"{name} line {n}: md5sum-style '*' before the path {path!r}")
            path = path[1:]
        if path.startswith("./"):
            report.warnings.append(f"{name} line {n}: path {path!r} starts with './'")
            path = path[2:]
        if v1 and "%" in path:
            decoded = decode_path(path)
            if (bag / decoded).exists() or not (bag / path).exists():
                path = decoded
        problem = _scope_error(path)
        if problem:
            report.errors.append(f"{name} line {n}: path {path!r} {problem}")
            continue
        if payload and not path.startswith("data/"):
            report.errors.append(f"{name} line {n}: payload path {path!r} is not under data/")
            continue
        if path in entries:
            if entries[path] != digest:
                report.errors.append(f"{name} line {n}: {path!r} listed twice with different checksums")
            elif v1:
                report.errors.append(f"{name} line {n}: {path!r} listed twice (BagIt 1.0 forbids duplicates)")
            else:
                report.warnings.append(f"{name} line {n}: {path!r} listed twice with the same checksum")
            continue
        entries[path] = digest
    return entries


def _walk(root: Path, rel_prefix: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            for entry in it:
                rel = rel_prefix + Path(entry.path).relative_to(root).as_posix()
                if entry.is_symlink():
                    found[rel] = Path(entry.path)
                elif entry.is_dir():
                    stack.append(Path(entry.path))
                else:
                    found[rel] = Path(entry.path)
    return found


def _fold(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


def validate_bag(bag: Path | str, *, check_payload: bool = True) -> Report:
    """Validate a bag on disk: structure, tag files, manifests, completeness, every checksum."""
    bag = Path(bag)
    report = Report()
    decl = bag / "bagit.txt"
    if not bag.is_dir():
        report.errors.append(f"{bag}: not a folder")
        return report
    if not decl.is_file():
        report.errors.append("bagit.txt is missing")
        return report
    raw = decl.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        report.errors.append("bagit.txt starts with a byte order mark (RFC 8493 forbids it)")
        return report
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        report.errors.append("bagit.txt is not UTF-8")
        return report
    tags, errs = parse_tags(text, "bagit.txt", strict=True)
    report.errors.extend(errs)
    decl_tags = dict(tags)
    version = decl_tags.get("BagIt-Version", "")
    report.version = version
    vm = _VERSION.match(version)
    if not vm:
        report.errors.append(f"bagit.txt: BagIt-Version {version!r} is missing or not 'M.N'")
    encoding = decl_tags.get("Tag-File-Character-Encoding", "")
    if not encoding:
        report.errors.append("bagit.txt: Tag-File-Character-Encoding is missing")
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            report.errors.append(f"bagit.txt: unknown Tag-File-Character-Encoding {encoding!r}")
    if report.errors:
        return report
    v1 = (int(vm.group(1)), int(vm.group(2))) >= (1, 0)
    if not (bag / "data").is_dir():
        report.errors.append("the payload folder data/ is missing")
        return report

    info_path = bag / "bag-info.txt"
    if not info_path.exists() and (bag / "package-info.txt").exists():
        info_path = bag / "package-info.txt"
    if info_path.exists():
        try:
            items, errs = parse_tags(_read_text(info_path, encoding), info_path.name, strict=False)
            report.errors.extend(errs)
            for k, v in items:
                report.info.setdefault(k, []).append(v)
        except BagError as exc:
            report.errors.append(str(exc))

    manifests = sorted(p.name for p in bag.glob("manifest-*.txt"))
    tagmanifests = sorted(p.name for p in bag.glob("tagmanifest-*.txt"))
    if not manifests:
        report.errors.append("no payload manifest (manifest-<algorithm>.txt)")
        return report
    payload_manifests: dict[str, dict[str, str]] = {}
    for name in manifests:
        alg = name[len("manifest-"):-4]
        if alg not in ALGORITHMS:
            report.warnings.append(f"{name}: algorithm {alg!r} is not supported, not checked")
            continue
        payload_manifests[alg] = _read_manifest(bag, name, encoding, v1, report, payload=True)
    tag_manifests: dict[str, dict[str, str]] = {}
    for name in tagmanifests:
        alg = name[len("tagmanifest-"):-4]
        if alg in ALGORITHMS:
            tag_manifests[alg] = _read_manifest(bag, name, encoding, v1, report, payload=False)

    fetch = bag / "fetch.txt"
    fetched: set[str] = set()
    if fetch.exists():
        for n, line in enumerate(_lines(_read_text(fetch, encoding)), 1):
            if not line.strip():
                continue
            parts = line.split(None, 2)
            if len(parts) != 3:
                report.errors.append(f"fetch.txt line {n}: expected 'url length path'")
                continue
            path = decode_path(parts[2]) if v1 else parts[2]
            problem = _scope_error(path)
            if problem or not path.startswith("data/"):
                report.errors.append(f"fetch.txt line {n}: path {path!r} {problem or 'is not under data/'}")
            fetched.add(path)

    on_disk = _walk(bag / "data", "data/")
    folded: dict[str, list[str]] = {}
    for rel in on_disk:
        folded.setdefault(_fold(rel), []).append(rel)
    for rel, path in on_disk.items():
        if path.is_symlink():
            report.errors.append(f"{rel}: symbolic links are not allowed in a bag")
        if path.name.lower() in SYSTEM_FILES:
            report.warnings.append(f"{rel}: operating-system file in the payload")

    # Resolve manifest names to files on disk, tolerating case/normalization variants made elsewhere.
    by_alg: dict[str, set[str]] = {alg: set() for alg in payload_manifests}
    resolved: dict[str, dict[str, str]] = {}
    for alg, entries in payload_manifests.items():
        for rel, digest in entries.items():
            target = rel
            if rel not in on_disk:
                variants = [v for v in folded.get(_fold(rel), []) if v != rel]
                same = [v for v in variants if entries.get(v) == digest or
                        unicodedata.normalize("NFC", v) == unicodedata.normalize("NFC", rel)]
                if same:
                    report.warnings.append(
                        f"manifest-{alg}.txt: {rel!r} differs from the file {same[0]!r} only by case or "
                        "Unicode normalization (made on a file system that cannot hold both)")
                    target = same[0]
                elif rel in fetched:
                    report.errors.append(f"{rel}: listed in fetch.txt but not fetched (incomplete bag)")
                    continue
                else:
                    report.errors.append(f"manifest-{alg}.txt: {rel!r} is missing from the payload")
                    continue
            by_alg[alg].add(target)
            known = resolved.setdefault(target, {})
            if known.get(alg, digest) != digest:
                report.errors.append(f"manifest-{alg}.txt: {target!r} listed with conflicting checksums")
            known[alg] = digest
    for rel in sorted(on_disk):
        missing_from = [alg for alg, names in by_alg.items() if rel not in names]
        if len(missing_from) == len(by_alg):
            report.errors.append(f"{rel}: payload file not listed in any manifest")
        elif missing_from and v1:
            report.errors.append(f"{rel}: not listed in manifest-{missing_from[0]}.txt "
                                 "(BagIt 1.0: every manifest lists every payload file)")

    for alg, entries in tag_manifests.items():
        for rel, digest in entries.items():
            path = bag / rel
            if not path.is_file():
                report.errors.append(f"tagmanifest-{alg}.txt: tag file {rel!r} is missing")
                continue
            if rel.startswith("data/"):
                continue
            if hash_file(path, [alg])[alg] != digest:
                report.errors.append(f"tagmanifest-{alg}.txt: tag file {rel!r} has changed (checksum mismatch)")

    oxum = report.info.get("Payload-Oxum")
    if oxum:
        m = re.match(r"^(\d+)\.(\d+)$", oxum[0])
        if not m:
            report.errors.append(f"bag-info.txt: Payload-Oxum {oxum[0]!r} is not 'octets.count'")
        else:
            octets = sum(p.lstat().st_size for p in on_disk.values())
            if int(m.group(2)) != len(on_disk) or int(m.group(1)) != octets:
                report.errors.append(f"bag-info.txt: Payload-Oxum {oxum[0]} but the payload has "
                                     f"{octets}.{len(on_disk)} (octets.files)")

    report.payload = resolved
    if check_payload:
        for rel, digests in sorted(resolved.items()):
            path = on_disk[rel]
            if path.is_symlink():
                continue
            try:
                actual = hash_file(path, digests.keys())
            except OSError as exc:
                report.errors.append(f"{rel}: cannot be read: {exc}")
                continue
            for alg, digest in digests.items():
                if actual[alg] != digest:
                    report.errors.append(f"{rel}: {alg} checksum mismatch (manifest {digest}, file {actual[alg]})")
    return report
