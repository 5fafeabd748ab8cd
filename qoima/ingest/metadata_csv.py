"""`metadata/metadata.csv` (the Archivematica convention): a `filename` column naming a folder or
file of the transfer (`objects/letters` or `letters`) and Dublin Core `dc.*` columns (repeatable)."""

from __future__ import annotations

import csv
from pathlib import Path

from qoima.ingest import naming
from qoima.ingest.transfer import TransferRefused

DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
               "format", "identifier", "source", "language", "relation", "coverage", "rights"}


def read_metadata_csv(path: Path, known: set[str]) -> dict[str, dict[str, list[str]]]:
    """{normalized filename: {dc element: [values]}}; refuse unknown columns or filenames."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TransferRefused(f"{path.name}: not UTF-8 ({exc})") from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]
    if "filename" not in header:
        raise TransferRefused(f"{path.name} line 1: no 'filename' column")
    for col, name in enumerate(header, 1):
        if name != "filename" and not (name.startswith("dc.") and name[3:] in DC_ELEMENTS):
            raise TransferRefused(f"{path.name} line 1, column {col}: {name!r} is not 'filename' or a dc.* "
                                  f"element ({', '.join(sorted(DC_ELEMENTS))})")
    result: dict[str, dict[str, list[str]]] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise TransferRefused(f"{path.name} line {line}: {len(row)} fields, header has {len(header)}")
        record: dict[str, list[str]] = {}
        fname = ""
        for name, cell in zip(header, row, strict=False):
            cell = naming.nfc(cell.strip())
            if name == "filename":
                fname = cell
            elif cell:
                record.setdefault(name[3:], []).append(cell)
        key = fname.strip("/")
        if key.startswith("objects/") and key not in known:
            key = key[len("objects/"):]
        elif key == "objects":
            key = "."
        if key not in known:
            raise TransferRefused(f"{path.name} line {line}, field filename: {fname!r} names no file or "
                                  "folder of the transfer")
        if key in result:
            raise TransferRefused(f"{path.name} line {line}, field filename: {fname!r} described twice")
        result[key] = record
    return result
