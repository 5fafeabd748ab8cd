"""IIIF deep zoom: 256 px JPEG tiles of a 10,000 x 10,000 scan from `qoima serve`, 8 clients on loopback.

Targets (issue): served tiles/s at least 0.5x what pyvips alone produces in-process for the same
tiles, at least 3x the PyPI `iiif` reference server on the same image, and p95 tile latency under
100 ms.

The scan is synthetic but scan-like (paper tone with vignetting, sensor noise, a page of Kazakh and
English text) and stored as ingest stores access copies: a pyramidal, tiled, JPEG-compressed TIFF
(qoima/ingest/derivatives.py). It is served as a public image from QOIMA_IIIF_DIR in a fresh
temporary home. The tile URLs are the ones OpenSeadragon (and so Mirador) derives from info.json's
`tiles` entry for API 3.0 (region x,y,w,h; size w,h): each run takes a horizontal band of the page
at full resolution (scale factor 1) and the same band at scale factors 2 and 4, a different band
per run, and deals the tiles out round-robin to the clients, so every tile is requested once per
run. Clients keep their connection alive and send no If-None-Match: Qoima has no tile cache and
only answers 304 to conditional requests, so every response is a fresh render (checked: status
200, image/jpeg, the expected pixel size).

Baselines, measured in the same runs:
- pyvips in-process: the same tiles cut from the same pyramid page and JPEG-encoded with the same
  settings as Qoima's renderer (qoima/access/iiif/render.py), on a thread pool in this process
  (libvips releases the GIL); the better of 2 and --clients threads counts.
- the `iiif` package's reference server (iiif_testserver.py: Flask's threaded development server,
  PIL manipulator, API 3.0 prefix /3.0_pil/) on the same TIFF file (PIL reads its full-resolution
  page; it decodes the whole 100-megapixel image for every tile, so it gets a subset of each
  run's tiles, spread over the three levels, with a time cap).

The machine is shared (2 cores): figures are medians of --runs runs, ratios are medians of the
ratios within each run, and the load average is printed. Each run also reports CPU time per tile
(the server's process tree, read from /proc; this process for pyvips), which says where the time
goes whatever the load. Exit status 0 when every target is met.

    python bench/iiif_tiles.py [--runs 5] [--band-rows 8] [--clients 8] [--workers 2 --threads 4]
                               [--ref-tiles 24] [--ref-cap 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyvips

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qoima.access.iiif.render import JPEG_Q, TILE  # noqa: E402
from qoima.ingest.derivatives import make_access_tiff  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZE = 10_000
FACTORS = (1, 2, 4)
MIN_VS_VIPS = 0.5
MIN_VS_REF = 3.0
MAX_P95_MS = 100.0


@dataclass(frozen=True)
class Tile:
    factor: int
    x: int  # region in full-resolution pixels
    y: int
    w: int
    h: int
    sw: int  # requested size
    sh: int

    @property
    def suffix(self) -> str:
        return f"{self.x},{self.y},{self.w},{self.h}/{self.sw},{self.sh}/0/default.jpg"


def make_scan(path: Path) -> None:
    """A scan-like page: warm paper with vignetting and noise, dark text, as a pyramidal JPEG TIFF."""
    rnd = random.Random(7)
    words = ("Алаш қозғалысы қайраткерлерінің хаты архив қоры тізімдеме іс парақ 1917 жыл Семей Орынбор "
             "letter protocol minutes Ақмола губерниясы съезд қаулы").split()
    text = "\n".join(" ".join(rnd.choice(words) for _ in range(rnd.randint(26, 34))) for _ in range(90))
    ink = pyvips.Image.text(text, dpi=300, width=SIZE - 1600, spacing=30).embed(800, 1000, SIZE, SIZE)
    xyz = pyvips.Image.xyz(SIZE, SIZE)
    dx, dy = xyz[0] - SIZE / 2, xyz[1] - SIZE / 2
    vignette = (dx * dx + dy * dy) / (SIZE * SIZE / 2)  # 0 in the centre, 1 in the corners
    noise = pyvips.Image.gaussnoise(SIZE, SIZE, sigma=7) - 128
    lum = 236 - 40 * vignette - 6 * (xyz[1] / SIZE) + noise - ink * 0.72
    rgb = lum.bandjoin([lum * 0.97, lum * 0.86]).cast("uchar").copy(interpretation="srgb")
    raw = path.with_suffix(".v")  # vips' own format: written and read back at disk speed
    rgb.write_to_file(str(raw))
    try:
        make_access_tiff(raw, path, quality=JPEG_Q)  # exactly as ingest makes access copies
    finally:
        raw.unlink(missing_ok=True)


def osd_tiles(info: dict, factor: int, rows: list[int]) -> list[Tile]:
    """The tiles OpenSeadragon requests at `factor` for the given tile rows (IIIF 3: size w,h)."""
    tw = info["tiles"][0]["width"]
    th = info["tiles"][0].get("height", tw)
    if factor not in info["tiles"][0]["scaleFactors"]:
        raise SystemExit(f"info.json offers no scale factor {factor}: {info['tiles']}")
    width, height = info["width"], info["height"]
    rw, rh = tw * factor, th * factor
    out = []
    for row in rows:
        for col in range(math.ceil(width / rw)):
            x, y = col * rw, row * rh
            w, h = min(rw, width - x), min(rh, height - y)
            out.append(Tile(factor, x, y, w, h, math.ceil(w / factor), math.ceil(h / factor)))
    return out


def band(info: dict, run: int, band_rows: int) -> list[Tile]:
    """Run `run`'s band: `band_rows` full-resolution tile rows and the same band at factors 2 and 4."""
    nrows = math.ceil(info["height"] / info["tiles"][0].get("height", info["tiles"][0]["width"]))
    start = (nrows // 2 - band_rows // 2 + run * band_rows) // 4 * 4
    full_rows = [(start + i) % nrows for i in range(band_rows)]
    tiles = []
    for f in FACTORS:
        tiles += osd_tiles(info, f, list(dict.fromkeys(r // f for r in full_rows)))
    return tiles


def warm_tiles(clients: int) -> list[Tile]:
    """Off-grid tiles at every measured level and at 8 (not requested in any run): open the file and
    its pyramid pages in every server worker before the clock starts."""
    return [Tile(f, (TILE // 2 + k * TILE) * f, TILE // 2 * f, TILE * f, TILE * f, TILE, TILE)
            for f in (*FACTORS, 8) for k in range(min(clients, SIZE // (TILE * f) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(port: int, path: str, wait: float = 90.0, proc: subprocess.Popen | None = None) -> dict:
    """GET a JSON document, waiting for the server to come up."""
    end = time.monotonic() + wait
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            conn.close()
            if r.status != 200:
                raise SystemExit(f"GET {path} on port {port}: {r.status} {body[:300]!r}")
            return json.loads(body)
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise SystemExit(f"server on port {port} exited with status {proc.returncode}") from None
            if time.monotonic() > end:
                raise SystemExit(f"no server on port {port} after {wait:.0f} s") from None
            time.sleep(0.3)


@dataclass
class Result:
    done: int
    seconds: float
    latencies: list[float]
    errors: list[str]
    client_cpu: float  # CPU seconds of this process (the clients) while they ran

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def pct(self, q: float) -> float:
        lat = sorted(self.latencies)
        return 1000 * lat[min(len(lat) - 1, max(0, math.ceil(q * len(lat)) - 1))]


def fetch(port: int, prefix: str, tiles: list[Tile], clients: int, cap: float | None = None) -> Result:
    """Request `tiles` from `clients` keep-alive connections, tiles dealt out round-robin; responses
    are checked after the clock stops."""
    shares = [tiles[i::clients] for i in range(clients)]
    got: list[list[tuple[Tile, float, int, str, bytes]]] = [[] for _ in range(clients)]
    errors: list[str] = []
    gate = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            conn.connect()
        finally:
            gate.wait()
        deadline = time.perf_counter() + cap if cap else math.inf
        try:
            for t in shares[i]:
                if time.perf_counter() > deadline:
                    break
                t0 = time.perf_counter()
                for attempt in (1, 2):
                    try:
                        conn.request("GET", prefix + t.suffix, headers={"Accept": "image/jpeg"})
                        r = conn.getresponse()
                        body = r.read()
                        break
                    except (http.client.RemoteDisconnected, ConnectionError):
                        conn.close()  # keep-alive connection closed by the server: reconnect once
                        if attempt == 2:
                            raise
                got[i].append((t, time.perf_counter() - t0, r.status, r.getheader("Content-Type", ""), body))
        except Exception as e:
            errors.append(f"client {i}: {e!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for th in threads:
        th.start()
    gate.wait()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for th in threads:
        th.join()
    secs, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    latencies = []
    for t, lat, status, ctype, body in (x for per in got for x in per):
        latencies.append(lat)
        path = prefix + t.suffix
        if status != 200 or not ctype.startswith("image/jpeg"):
            errors.append(f"{path}: {status} {ctype} {body[:120]!r}")
            continue
        img = pyvips.Image.new_from_buffer(body, "")  # reads the header only
        if (img.width, img.height) != (t.sw, t.sh):
            errors.append(f"{path}: {img.width}x{img.height}, expected {t.sw}x{t.sh}")
    return Result(len(latencies), secs, latencies, errors, cpu)


def vips_tiles(path: str, tiles: list[Tile], threads: int, warm: list[Tile]) -> tuple[float, float]:
    """Tiles/s and CPU seconds per tile of pyvips alone: pyramid page for the factor, crop, JPEG encode as render.py does."""
    def one(t: Tile) -> int:
        page = t.factor.bit_length() - 1
        img = pyvips.Image.tiffload(path, page=page) if page else pyvips.Image.new_from_file(path)
        tile = img.crop(t.x // t.factor, t.y // t.factor, t.sw, t.sh)
        return len(tile.jpegsave_buffer(Q=JPEG_Q, keep="none", optimize_coding=False))

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, warm[:threads]))  # threads up, off the measured tiles
        t0, cpu0 = time.perf_counter(), time.process_time()
        sizes = list(pool.map(one, tiles))
        secs, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    if min(sizes) <= 0:
        raise SystemExit("pyvips produced an empty tile")
    return len(tiles) / secs, cpu / len(tiles)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of process `pid` and its descendants (Linux /proc)."""
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        procs[int(d)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    tree, grew = {pid}, True
    while grew:
        more = {p for p, (ppid, _) in procs.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(procs[p][1] for p in tree if p in procs) / os.sysconf("SC_CLK_TCK")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def tail(log: Path, n: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--band-rows", type=int, default=8,
                    help="full-resolution tile rows per run (a multiple of 4; 40 columns each)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2, help="qoima serve --workers (2 cores)")
    ap.add_argument("--threads", type=int, default=4, help="qoima serve --threads per worker")
    ap.add_argument("--ref-tiles", type=int, default=24, help="tiles per run for the reference server")
    ap.add_argument("--ref-cap", type=float, default=30.0, help="seconds per run for the reference server")
    args = ap.parse_args()
    if args.band_rows % 4:
        ap.error("--band-rows must be a multiple of 4")
    load0 = os.getloadavg()[0]
    qoima = ref = None
    with tempfile.TemporaryDirectory(prefix="qoima-bench-iiif-") as tmp:
        tmp_path = Path(tmp)
        home, images, refdir = tmp_path / "home", tmp_path / "images", tmp_path / "ref"
        for d in (images, refdir):
            d.mkdir()
        scan = images / "scan.tif"
        t0 = time.perf_counter()
        make_scan(scan)
        print(f"scan {SIZE:,} x {SIZE:,} written in {time.perf_counter() - t0:.1f} s "
              f"({scan.stat().st_size / 1e6:.0f} MB pyramidal JPEG TIFF)", flush=True)
        env = {k: v for k, v in os.environ.items()
               if k not in ("QOIMA_DATABASE_URL", "QOIMA_DEBUG", "QOIMA_ACCESS_LOG", "QOIMA_TEST_DB_NAME")}
        env.update(QOIMA_HOME=str(home), QOIMA_IIIF_DIR=str(images), PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-m", "qoima", "--home", str(home), "init"], env=env, cwd=str(ROOT),
                       check=True, stdout=subprocess.DEVNULL)
        qport, rport = free_port(), free_port()
        qlog, rlog = tmp_path / "qoima.log", tmp_path / "ref.log"
        try:
            with open(qlog, "wb") as out:
                qoima = subprocess.Popen(
                    [sys.executable, "-m", "qoima", "serve", "--host", "127.0.0.1", "--port", str(qport),
                     "--workers", str(args.workers), "--threads", str(args.threads)],
                    env=env, cwd=str(ROOT), stdout=out, stderr=subprocess.STDOUT)
            with open(rlog, "wb") as out:
                # Its pid file goes to the working directory: keep that in the temporary folder.
                ref = subprocess.Popen(
                    [sys.executable, str(Path(sys.executable).parent / "iiif_testserver.py"),
                     "--host", "127.0.0.1", "--port", str(rport), "--image-dir", str(images),
                     "--tile-width", str(TILE), "--tile-height", str(TILE), "--api-versions", "3.0",
                     "--manipulators", "pil", "--quiet"],
                    env=env, cwd=str(refdir), stdout=out, stderr=subprocess.STDOUT)
            info = get_json(qport, "/iiif/3/scan/info.json", proc=qoima)
            rinfo = get_json(rport, "/3.0_pil/scan/info.json", proc=ref)
            qprefix = urllib.parse.urlsplit(info["id"]).path + "/"
            rprefix = urllib.parse.urlsplit(rinfo["id"]).path + "/"
            if (info["width"], info["height"]) != (SIZE, SIZE) or (rinfo["width"], rinfo["height"]) != (SIZE, SIZE):
                raise SystemExit(f"unexpected image size: qoima {info['width']}x{info['height']}, "
                                 f"reference {rinfo['width']}x{rinfo['height']}")
            warm = warm_tiles(args.clients)
            for port, prefix, tiles in ((qport, qprefix, warm), (rport, rprefix, warm[:1])):
                res = fetch(port, prefix, tiles, min(args.clients, len(tiles)))
                if res.errors:
                    raise SystemExit("warm-up failed:\n" + "\n".join(res.errors[:5]))
            vips_tiles(str(scan), warm, 2, warm)

            runs = []
            for run in range(args.runs):
                tiles = band(info, run, args.band_rows)
                cpu0 = tree_cpu(qoima.pid)
                q = fetch(qport, qprefix, tiles, args.clients)
                q_cpu = (tree_cpu(qoima.pid) - cpu0) / q.done
                if q.errors:
                    raise SystemExit(f"qoima serve: {len(q.errors)} bad tiles, e.g.\n" + "\n".join(q.errors[:5]))
                v, v_cpu = max(vips_tiles(str(scan), tiles, n, warm) for n in sorted({2, args.clients}))
                step = len(tiles) / args.ref_tiles
                subset = [tiles[int(i * step)] for i in range(min(args.ref_tiles, len(tiles)))]
                cpu0 = tree_cpu(ref.pid)
                r = fetch(rport, rprefix, subset, args.clients, cap=args.ref_cap)
                r_cpu = (tree_cpu(ref.pid) - cpu0) / max(1, r.done)
                if r.errors:
                    raise SystemExit(f"reference server: {len(r.errors)} bad tiles, e.g.\n" + "\n".join(r.errors[:5]))
                if not r.done:
                    raise SystemExit(f"reference server served no tile within {args.ref_cap:.0f} s")
                runs.append((q, v, r, q_cpu, v_cpu, r_cpu))
                print(f"run {run + 1}: {len(tiles)} tiles  qoima {q.rate:,.0f} tiles/s (p50 {q.pct(0.5):.0f} ms, "
                      f"p95 {q.pct(0.95):.0f} ms, server CPU {1000 * q_cpu:.1f} ms/tile, clients "
                      f"{q.client_cpu / q.seconds:.0%} of a core)  pyvips {v:,.0f} tiles/s ({1000 * v_cpu:.1f} ms "
                      f"CPU/tile)  reference {r.rate:.2f} tiles/s ({r.done} tiles in {r.seconds:.1f} s, "
                      f"{r_cpu:.2f} s CPU/tile)  load {os.getloadavg()[0]:.1f}", flush=True)
        except BaseException:
            for name, log in (("qoima serve", qlog), ("reference server", rlog)):
                text = tail(log)
                if text:
                    print(f"--- {name} log (tail)\n{text}", file=sys.stderr)
            raise
        finally:
            stop(qoima)
            stop(ref)

    med = statistics.median
    q_rate = med(x[0].rate for x in runs)
    p50 = med(x[0].pct(0.5) for x in runs)
    p95 = med(x[0].pct(0.95) for x in runs)
    v_rate = med(x[1] for x in runs)
    r_rate = med(x[2].rate for x in runs)
    vs_vips = med(x[0].rate / x[1] for x in runs)
    vs_ref = med(x[0].rate / x[2].rate for x in runs)
    q_cpu, v_cpu, r_cpu = (med(x[i] for x in runs) for i in (3, 4, 5))
    ntiles = len(band(info, 0, args.band_rows))
    print()
    print(f"image {SIZE}x{SIZE} pyramidal TIFF, {ntiles} tiles per run (factors 1/2/4), {args.clients} clients, "
          f"runs {args.runs}, load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end, "
          f"{os.cpu_count()} cores")
    print(f"qoima serve ({args.workers} workers x {args.threads} threads): {q_rate:,.0f} tiles/s  "
          f"p50 {p50:.0f} ms  p95 {p95:.0f} ms (median of runs); server CPU {1000 * q_cpu:.1f} ms/tile")
    print(f"pyvips in-process: {v_rate:,.0f} tiles/s; CPU {1000 * v_cpu:.1f} ms/tile")
    print(f"iiif reference server: {r_rate:.2f} tiles/s (API version 3.0, {len(subset)} tiles per run, "
          f"PIL on the same TIFF); CPU {r_cpu:.2f} s/tile")
    ok = vs_vips >= MIN_VS_VIPS and vs_ref >= MIN_VS_REF and p95 < MAX_P95_MS
    print(f"qoima / pyvips = {vs_vips:.2f}x (target >= {MIN_VS_VIPS})  qoima / reference = {vs_ref:,.0f}x "
          f"(target >= {MIN_VS_REF:g})  p95 {p95:.0f} ms (target < {MAX_P95_MS:g})  -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
