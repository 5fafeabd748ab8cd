"""METS/PREMIS written streaming: schema-valid for odd names, every file in fileSec and structMap."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from lxml import etree

from qoima.ingest.mets import Agent, Event, write_mets
from tests.conftest import ROOT

NS = {"mets": "http://www.loc.gov/METS/", "premis": "http://www.loc.gov/premis/v3",
      "xlink": "http://www.w3.org/1999/xlink"}


def _records(n: int):
    for i in range(n):
        yield {"uuid": f"00000000-0000-4000-8000-{i:012d}", "rel": f"папка/бет {i}.tif",
               "original": "ctl\x01name" if i == 0 else f"папка/бет {i}.tif",
               "bag_path": f"data/objects/папка/бет {i}.tif" if i else "data/objects/ctl\\x01name",
               "sha256": "a" * 64, "size": i, "puid": "fmt/353", "format": "TIFF", "mime": "image/tiff",
               "group": "original", "tech": {"width": 10, "height": 20},
               "events": [{"type": "message digest calculation", "datetime": "2026-01-01T00:00:00Z",
                           "detail": "sha256", "outcome": "pass", "outcome_note": "a" * 64,
                           "agents": ["Qoima-0.1.0"], "objects": [f"00000000-0000-4000-8000-{i:012d}"],
                           "uuid": f"10000000-0000-4000-8000-{i:012d}"}]}


def _write(path, n):
    items = [{"id": "item-1", "label": "بەت", "dc": {"title": ["رسالة"]},
              "pages": [[f"00000000-0000-4000-8000-{i:012d}"] for i in range(n)]}]
    write_mets(path, aip_uuid="6b1f2d4e-0000-4000-8000-000000000000", label="تجربة", created="2026-01-01T00:00:00Z",
               agents=[Agent("preservation system", "Qoima-0.1.0", "Qoima", "software", "0.1.0"),
                       Agent("repository code", "KZ-APRK", "KZ-APRK", "organization")],
               aip_events=[Event("ingestion", "2026-01-01T00:00:00Z", "test", objects=["x"])],
               records=lambda: _records(n), items=lambda: items, groups=["original"])


def test_mets_is_schema_valid_and_complete(tmp_path, standards):
    os.environ["XML_CATALOG_FILES"] = str(standards / "schemas" / "catalog.xml")
    schema = etree.XMLSchema(etree.parse(str(standards / "schemas" / "mets" / "mets-with-premis3.xsd")))
    path = tmp_path / "METS.xml"
    _write(path, 50)
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    assert len(doc.findall(".//mets:fileGrp[@USE='original']/mets:file", NS)) == 50
    assert len(doc.findall(".//mets:structMap//mets:div[@TYPE='page']", NS)) == 50
    names = [e.text for e in doc.iterfind(".//premis:originalName", NS)]
    assert "ctl\\x01name" in names  # a control character cannot be in XML 1.0: kept visibly escaped


@pytest.mark.slow
def test_mets_memory_stays_flat(tmp_path):
    """Measured in a fresh process: a long-lived test worker's earlier peak would hide growth."""
    code = (
        "import resource, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
        "from tests.test_ingest_mets import _write\n"
        "t = Path(sys.argv[2]); _write(t / 'small.xml', 1000)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "_write(t / 'big.xml', 50_000)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path)], capture_output=True, text=True,
                         check=True)
    grown_mb = float(out.stdout.strip())
    assert (tmp_path / "big.xml").stat().st_size > 40 * (tmp_path / "small.xml").stat().st_size
    assert grown_mb < 30, f"peak memory grew by {grown_mb:.0f} MB writing 50,000 file sections"
