"""Reading a CSV file the way archivists produce them: UTF-8 (with or without BOM), comma-separated as
AtoM writes them, or semicolon/tab-separated as spreadsheets in many locales save them.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2. Text is
NFC-normalized. Anything else (another encoding, ragged rows) is refused with the place it happens.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qoima.catalogue import languages
from qoima.catalogue.importing import CatalogueImportError

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
MAX_FIELD = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass
class CsvRow:
    number: int  # spreadsheet row: header is 1
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "") or ""


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[CsvRow]
    delimiter: str


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); other encodings are refused naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CatalogueImportError(
            name, f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start} cannot be decoded; "
                  "save the file as CSV UTF-8", line=line) from None


def sniff_delimiter(header_line: str, known: Iterable[str] = ()) -> str:
    """The delimiter that splits the header into the most known (else the most) columns."""
    known = set(known)

    def score(d: str) -> tuple[int, int]:
        cols = next(csv.reader([header_line], delimiter=d), [])
        return (sum(1 for c in cols if c.strip() in known), len(cols))

    return max(DELIMITERS, key=score)


def read(path: str | Path, known_columns: Iterable[str] = ()) -> CsvTable:
    path = Path(path)
    name = path.name
    limit = int(os.environ.get("QOIMA_MAX_CSV_BYTES", DEFAULT_MAX_BYTES))
    if path.stat().st_size > limit:
        raise CatalogueImportError(name, f"refused: {path.stat().st_size:,} bytes is over the limit of {limit:,} "
                                         "(set QOIMA_MAX_CSV_BYTES to raise it)")
    text = decode(path.read_bytes(), name)
    if "\x00" in text:
        raise CatalogueImportError(name, "contains NUL characters: this is not a text CSV file",
                                   line=text[: text.index("\x00")].count("\n") + 1)
    if not text.strip():
        raise CatalogueImportError(name, "the file is empty")
    first_line = text.splitlines()[0]
    delimiter = sniff_delimiter(first_line, known_columns)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [languages.nfc(h).strip() for h in next(reader)]
    except csv.Error as e:
        raise CatalogueImportError(name, f"unreadable header: {e}", row=1) from None
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise CatalogueImportError(name, f"column {h!r} appears twice in the header", row=1, column=h)
        seen.add(h)
    rows: list[CsvRow] = []
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise CatalogueImportError(name, f"malformed CSV: {e}", row=number + 1, line=reader.line_num) from None
        number += 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                raise CatalogueImportError(
                    name, f"{len(cells)} cells but the header has {len(header)} columns (a delimiter or quote "
                          f"out of place?); first extra value: {extra[0][:60]!r}", row=number)
        values = {h: languages.nfc(c).strip() for h, c in zip(header, cells, strict=False) if h}
        rows.append(CsvRow(number, values))
    return CsvTable(name, header, rows, delimiter)
