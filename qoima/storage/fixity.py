"""Fixity audit of one package copy in one location, and its repair from a good copy elsewhere."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from qoima.storage.locations import CHUNK, Location, StorageError


@dataclass
class CopyReport:
    location: str
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    checked: int = 0
    repaired: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unrepaired: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.unreadable)

    @property
    def intact_after_repair(self) -> bool:
        return self.intact or not self.unrepaired

    def as_dict(self) -> dict:
        return {"location": self.location, "intact": self.intact, "checked": self.checked,
                "missing": self.missing, "changed": self.changed, "extra": self.extra,
                "unreadable": self.unreadable, "repaired": self.repaired, "removed": self.removed,
                "unrepaired": self.unrepaired}


def _digest(loc: Location, key: str) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with loc.open(key) as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def check_copy(loc: Location, prefix: str, expected: dict[str, tuple[str, int]]) -> CopyReport:
    """Re-read every file of the copy under `prefix` and compare with `expected` {rel: (sha256, size)}."""
    report = CopyReport(loc.name)
    present = {}
    for info in loc.list(prefix):
        rel = info.key[len(prefix):]
        present[rel] = info.size
    for rel in sorted(expected):
        sha, size = expected[rel]
        if rel not in present:
            report.missing.append(rel)
            continue
        report.checked += 1
        if present[rel] != size:
            report.changed.append(rel)
            continue
        try:
            actual, _ = _digest(loc, prefix + rel)
        except (OSError, StorageError):
            report.unreadable.append(rel)
            continue
        if actual != sha:
            report.changed.append(rel)
    report.extra = sorted(rel for rel in present if rel not in expected)
    return report


def repair_copy(target: Location, sources: list[Location], prefix: str, expected: dict[str, tuple[str, int]],
                report: CopyReport) -> CopyReport:
    """Restore missing/changed files of `target` from the first source whose copy verifies; remove extras."""
    for rel in report.missing + report.changed + report.unreadable:
        sha, size = expected[rel]
        for src in sources:
            if src is target:
                continue
            try:
                if _digest(src, prefix + rel) != (sha, size):
                    continue
                local = src.local_path(prefix + rel)
                if local is not None:
                    target.put_file(prefix + rel, local, sha)
                else:
                    with src.open(prefix + rel) as f:
                        target.put_bytes(prefix + rel, f.read())
                if _digest(target, prefix + rel) == (sha, size):
                    report.repaired.append(rel)
                    break
            except (OSError, StorageError):
                continue
        else:
            report.unrepaired.append(rel)
    for rel in report.extra:
        target.delete(prefix + rel)
        report.removed.append(rel)
    return report
