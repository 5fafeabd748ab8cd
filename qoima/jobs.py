"""The job queue: SqliteHuey in the home by default, RedisHuey when QOIMA_QUEUE_URL is redis://.

Parts define their long-running work with `from huey.contrib.djhuey import db_task` so every
worker on every machine that shares the database and the queue can run it.
"""

from __future__ import annotations

import os
from pathlib import Path


def huey_settings(home: Path) -> dict:
    url = os.environ.get("QOIMA_QUEUE_URL", "")
    immediate = os.environ.get("QOIMA_QUEUE_IMMEDIATE", "") in {"1", "true", "yes"}
    common = {"name": "qoima", "immediate": immediate, "results": True, "store_none": False,
              "consumer": {"workers": int(os.environ.get("QOIMA_WORKERS", "2")), "worker_type": "process"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {**common, "huey_class": "huey.RedisHuey", "url": url}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(home / "queue.sqlite3")}
