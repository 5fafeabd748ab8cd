"""The `qoima` commands as a user runs them, including `kill -9` at random moments and a rerun."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from qoima.ingest.bags import validate_bag
from tests.conftest import ROOT
from tests.ingest_fixtures import make_transfer, scan

pytestmark = pytest.mark.nopg  # the CLI runs in its own SQLite home; nothing here differs on PostgreSQL

MAKE_FONDS = """
import django; django.setup()
from qoima.catalogue.models import Repository
from qoima.catalogue import hierarchy
r = Repository.objects.create(code="NAQ", country_code="QA", name="Qatar National Archive")
print(hierarchy.create(identifier="F7", level="fonds", repository=r, title="الأرشيف", lang="ar").ref)
"""


@pytest.fixture
def fonds_ref(qoima, home):
    qoima("init", check=True)
    env = {**os.environ, "QOIMA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "qoima.settings"}
    env.pop("QOIMA_DATABASE_URL", None)  # the same SQLite home the `qoima` fixture uses
    out = subprocess.run([sys.executable, "-c", MAKE_FONDS], env=env, cwd=str(ROOT), capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_cli_ingest_json_list_show_export_audit(qoima, home, fonds_ref, tmp_path):
    src = make_transfer(tmp_path / "src")
    proc = qoima("ingest", str(src), "--into", fonds_ref, "--json", check=True)
    result = json.loads(proc.stdout)
    assert set(result) == {"aip", "items"} and len(result["items"]) == 3
    listed = json.loads(qoima("aip", "list", "--json", check=True).stdout)
    assert [a["aip"] for a in listed] == [result["aip"]]
    shown = json.loads(qoima("aip", "show", result["aip"], "--json", check=True).stdout)
    assert {c["location"] for c in shown["copies"]} == {"primary", "replica"}
    qoima("aip", "export", result["aip"], str(tmp_path / "out"), check=True)
    assert qoima("bag", "validate", str(tmp_path / "out")).returncode == 0
    assert qoima("audit").returncode == 0
    (home / "storage/replica/aips" / result["aip"] / "v1/data/objects/رسالة_قديمة.txt").unlink()
    damaged = qoima("audit", "--json")
    assert damaged.returncode == 1 and json.loads(damaged.stdout)["ok"] is False
    assert qoima("audit", "--repair").returncode == 0
    assert qoima("audit").returncode == 0
    refused = qoima("ingest", str(tmp_path / "nothing-here"), "--into", fonds_ref)
    assert refused.returncode == 1 and "no such file" in " ".join(refused.stderr.split())


@pytest.mark.slow
def test_kill_9_at_random_moments_then_rerun(qoima, home, fonds_ref, tmp_path):
    src = tmp_path / "src"
    for n in range(1, 41):
        scan(src / "قائمة" / f"صفحة_{n}.png", size=(900, 1200))
    (src / "ledger.bin").write_bytes(os.urandom(40 << 20))
    env = {**os.environ, "QOIMA_HOME": str(home)}
    env.pop("QOIMA_QUEUE_IMMEDIATE", None)
    env.pop("QOIMA_DATABASE_URL", None)
    rng = random.Random(6)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "qoima", "ingest", str(src), "--into", fonds_ref, "--json"],
                                env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for aip in json.loads(qoima("aip", "list", "--json", check=True).stdout):  # listed means complete
            for loc in ("primary", "replica"):
                assert validate_bag(home / "storage" / loc / "aips" / aip["aip"] / "v1").valid
    result = json.loads(qoima("ingest", str(src), "--into", fonds_ref, "--json", check=True).stdout)
    listed = json.loads(qoima("aip", "list", "--json", check=True).stdout)
    assert [a["aip"] for a in listed] == [result["aip"]]
    assert sum(len(i["files"]) for i in result["items"]) == 41
    for loc in ("primary", "replica"):
        assert [p.name for p in (home / "storage" / loc / "aips").iterdir()] == [result["aip"]]
        assert validate_bag(home / "storage" / loc / "aips" / result["aip"] / "v1").valid
        assert not any((home / "storage" / loc / "staging").iterdir())
    assert qoima("audit").returncode == 0
