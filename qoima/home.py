"""The archive's home folder: database, storage locations and job queue live under it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_HOME = "qoima-data"


def home_dir() -> Path:
    """Resolve the home from QOIMA_HOME (set by `--home`), defaulting to ./qoima-data."""
    return Path(os.environ.get("QOIMA_HOME") or DEFAULT_HOME).resolve()


def ensure_home(home: Path | None = None) -> Path:
    home = home or home_dir()
    for sub in ("", "storage/primary", "storage/replica", "tmp", "static"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return home


def secret_key(home: Path) -> str:
    """A per-archive secret, created once and kept in the home so sessions survive restarts."""
    if os.environ.get("QOIMA_SECRET_KEY"):
        return os.environ["QOIMA_SECRET_KEY"]
    path = home / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        ensure_home(home)
        key = secrets.token_urlsafe(50)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(key)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # first writer wins when several processes start at once
        except FileExistsError:
            pass
        tmp.unlink()
        return path.read_text().strip()
