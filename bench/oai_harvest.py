"""OAI-PMH: a full ListRecords (oai_dc) harvest of 100,000 records from `qoima serve`.

Target (issue 5): at least 2,000 records/s. The catalogue is built in a temporary home (a fonds,
100 series, 100,000 items with a Kazakh title, an English translation and a scope note), then
harvested over HTTP on loopback by a plain client following resumption tokens. The first harvest
also records what harvesters were shown (the deleted-record bookkeeping); later ones are steady
state. The machine is shared: figures are medians of several runs.

    python bench/oai_harvest.py [--records 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
OAI = "{http://www.openarchives.org/OAI/2.0/}"
TARGET = 2000.0


def build(home: Path, n: int) -> None:
    os.environ["QOIMA_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    from qoima.cli import django_setup

    django_setup()
    from django.db import transaction

    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Description, DescriptionText, Repository

    repo = Repository.objects.create(code="APRK", country_code="KZ", name="Архив Президента")
    fonds = hierarchy.create(identifier="F1", level="fonds", repository=repo, title="Қор 1", lang="kk")
    series = [hierarchy.create(identifier=f"S{i}", level="series", parent=fonds, title=f"Топ {i}", lang="kk")
              for i in range(100)]
    next_pk = Description.objects.order_by("-pk").first().pk + 1
    per = n // len(series)
    with transaction.atomic():
        rows, texts = [], []
        for s in series:
            for k in range(per):
                pk = next_pk
                next_pk += 1
                ident = str(k + 1)
                rows.append(Description(
                    pk=pk, parent=s, repository=repo, identifier=ident, level="item", ref=f"{s.ref}-{ident}",
                    sort_key=hierarchy.sort_key(ident), depth=2, path=s.path + hierarchy._segment(pk),
                    title=f"Хат № {k + 1}", original_lang="kk", languages=["kk"], scripts=["Cyrl"],
                    effective_access=s.effective_access))
                texts += [
                    DescriptionText(description_id=pk, element="title", value=f"Хат № {k + 1}", lang="kk", script="Cyrl"),
                    DescriptionText(description_id=pk, element="title", value=f"Letter no. {k + 1}", lang="en",
                                    script="Latn", is_original=False, method="human"),
                    DescriptionText(description_id=pk, element="scope_and_content",
                                    value="Алаш қозғалысы қайраткерлерінің хаты, 1917 ж.", lang="kk", script="Cyrl"),
                ]
            if len(rows) >= 20000:
                Description.objects.bulk_create(rows, batch_size=2000)
                DescriptionText.objects.bulk_create(texts, batch_size=2000)
                rows, texts = [], []
        Description.objects.bulk_create(rows, batch_size=2000)
        DescriptionText.objects.bulk_create(texts, batch_size=2000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def harvest(base: str) -> tuple[int, float]:
    url = base + "?verb=ListRecords&metadataPrefix=oai_dc"
    count = 0
    start = time.perf_counter()
    while url:
        with urllib.request.urlopen(url, timeout=120) as r:
            token = None
            for _, el in etree.iterparse(r, events=("end",), tag=(f"{OAI}record", f"{OAI}resumptionToken", f"{OAI}error")):
                if el.tag == f"{OAI}record":
                    count += 1
                elif el.tag == f"{OAI}resumptionToken":
                    token = el.text
                else:
                    raise SystemExit(f"OAI error: {el.get('code')} {el.text}")
                el.clear()
        url = base + "?" + urllib.parse.urlencode({"verb": "ListRecords", "resumptionToken": token}) if token else None
    return count, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="qoima-bench-oai-") as tmp:
        home = Path(tmp) / "home"
        t0 = time.perf_counter()
        build(home, args.records)
        print(f"catalogue of {args.records:,} items built in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        env = {**os.environ, "QOIMA_HOME": str(home), "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "qoima", "serve", "--port", str(port), "--workers", "2"],
                                  env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/oai"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "?verb=Identify", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            rates = []
            for run in range(args.runs + 1):
                count, secs = harvest(base)
                rate = count / secs
                label = "first (records exposures)" if run == 0 else f"run {run}"
                print(f"{label}: {count:,} records in {secs:.1f} s = {rate:,.0f} records/s")
                if run:
                    rates.append(rate)
            med = statistics.median(rates)
            print(f"median steady-state harvest: {med:,.0f} records/s; target {TARGET:,.0f}: ratio {med / TARGET:.2f}x "
                  f"(shared 2-core machine, medians of {args.runs})")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
