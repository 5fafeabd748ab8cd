"""Shared fixtures. The suite runs on SQLite; with QOIMA_TEST_DB=postgres (set by `make test` when
QOIMA_TEST_DATABASE_URL is given) the database tests run again on PostgreSQL. The environment itself
is isolated by the `qoima.pytest_env` plugin, before Django reads its settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_standards() -> Path | None:
    """The official standards material beside the checkout (absent on other machines)."""
    for candidate in (os.environ.get("QOIMA_SHARED"), ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate and (Path(candidate) / "standards").is_dir():
            return Path(candidate) / "standards"
    return None


@pytest.fixture(scope="session")
def standards() -> Path:
    path = shared_standards()
    if path is None:
        pytest.skip("../shared/standards is not beside this checkout (official schemas and samples)")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty archive home for CLI tests."""
    return tmp_path / "home"


@pytest.fixture
def qoima(home: Path):
    """Run the `qoima` command as a user would, in a fresh home; returns CompletedProcess."""

    def run(*args: str, input: str | None = None, check: bool = False, env: dict | None = None, timeout: int = 600):
        full_env = {**os.environ, "QOIMA_HOME": str(home), **(env or {})}
        full_env.pop("QOIMA_QUEUE_IMMEDIATE", None)
        full_env.pop("QOIMA_DATABASE_URL", None)  # a fresh SQLite home, never the PostgreSQL test server
        proc = subprocess.run([sys.executable, "-m", "qoima", *args], capture_output=True, text=True,
                              input=input, env=full_env, timeout=timeout, cwd=str(ROOT))
        if check and proc.returncode != 0:
            raise AssertionError(f"qoima {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    return run


@pytest.fixture
def repository(db):
    from qoima.catalogue.models import Repository

    return Repository.objects.create(code="APRK", country_code="KZ", name="Қазақстан Республикасы Президентінің Архиві")
