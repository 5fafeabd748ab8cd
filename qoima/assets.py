"""Front-end assets (`make setup`): translation catalogues compiled, viewer bundles fetched from npm.

Each step is idempotent and skipped when its output is newer than its input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENDOR = ROOT / "access" / "static" / "vendor"
# The IIIF viewer of the reading room: the ready-made UMD bundle from the npm package, no build step.
VIEWERS = {"mirador": ("mirador@4.0.0", ["dist/mirador.min.js", "LICENSE", "package.json"])}


def compile_messages() -> None:
    """Compile .po catalogues whose .mo is missing or older (needs gettext's msgfmt)."""
    for po in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")  # concurrent callers (test workers) never
            subprocess.run(["msgfmt", "--check-format", "-o", str(tmp), str(po)], check=True)  # see half a file
            os.replace(tmp, mo)


def fetch_viewer(name: str = "mirador", vendor: Path = VENDOR) -> Path:
    """`npm pack` the viewer into static/vendor/<name>/ (git-ignored); nothing to do when the
    pinned version is there already. Returns the folder."""
    spec, members = VIEWERS[name]
    dest = vendor / name
    stamp = dest / ".version"
    if stamp.exists() and stamp.read_text().strip() == spec and all((dest / Path(m).name).exists() for m in members):
        return dest
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to fetch the IIIF viewer (apt-get install npm)")
    with tempfile.TemporaryDirectory(prefix="qoima-npm-") as tmp:
        out = subprocess.run([npm, "pack", spec, "--json", "--pack-destination", tmp], check=True,
                             capture_output=True, text=True, cwd=tmp)
        tgz = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        staging = Path(tmp) / "staging"
        staging.mkdir()
        with tarfile.open(tgz) as tar:
            for m in members:
                member = tar.getmember(f"package/{m}")
                src = tar.extractfile(member)
                (staging / Path(m).name).write_bytes(src.read())
        (staging / ".version").write_text(spec + "\n")
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = dest.with_name(f".{name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        shutil.move(str(staging), str(dest))  # whole folder swapped in: never half a bundle
        shutil.rmtree(old, ignore_errors=True)
    return dest


def main() -> None:
    compile_messages()
    try:
        print(f"IIIF viewer: {fetch_viewer()}")
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"IIIF viewer not fetched ({e}); record pages fall back to a still image", file=sys.stderr)


if __name__ == "__main__":
    main()
