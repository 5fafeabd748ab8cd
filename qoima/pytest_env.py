"""pytest plugin (loaded with `-p qoima.pytest_env` from pyproject) that isolates a test run.

It must run before pytest-django imports the settings, which happens before any conftest.py is
read: a private home per test process, jobs run inline, and the database chosen by QOIMA_TEST_DB
("postgres" runs the suite against QOIMA_TEST_DATABASE_URL; anything else uses SQLite).
"""

from __future__ import annotations

import os
import tempfile

os.environ["QOIMA_HOME"] = tempfile.mkdtemp(prefix="qoima-test-home-")
os.environ["QOIMA_QUEUE_IMMEDIATE"] = "1"
os.environ.pop("QOIMA_QUEUE_URL", None)
if os.environ.get("QOIMA_TEST_DB") == "postgres":
    if not os.environ.get("QOIMA_TEST_DATABASE_URL"):
        raise RuntimeError("QOIMA_TEST_DB=postgres needs QOIMA_TEST_DATABASE_URL")
    os.environ["QOIMA_DATABASE_URL"] = os.environ["QOIMA_TEST_DATABASE_URL"]
else:
    os.environ.pop("QOIMA_DATABASE_URL", None)
