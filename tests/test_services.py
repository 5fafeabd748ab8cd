"""The scale-out services CI provides; skipped with the reason when they are not configured."""

import os

import pytest


def test_postgresql_reachable():
    url = os.environ.get("QOIMA_TEST_DATABASE_URL")
    if not url:
        pytest.skip("QOIMA_TEST_DATABASE_URL is not set: no PostgreSQL to test against")
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        assert conn.execute("select 1").fetchone() == (1,)


def test_redis_queue_settings():
    url = os.environ.get("QOIMA_TEST_REDIS_URL")
    if not url:
        pytest.skip("QOIMA_TEST_REDIS_URL is not set: no Redis to test against")
    import redis

    from qoima.jobs import huey_settings

    assert redis.Redis.from_url(url, socket_timeout=5).ping()
    os.environ["QOIMA_QUEUE_URL"] = url
    try:
        assert huey_settings(__import__("pathlib").Path("/tmp"))["huey_class"] == "huey.RedisHuey"
    finally:
        del os.environ["QOIMA_QUEUE_URL"]
