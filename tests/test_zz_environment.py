"""The test run uses the database it was asked for and a private home (guards the PostgreSQL pass)."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_one_requested():
    want = "postgresql" if os.environ.get("QOIMA_TEST_DB") == "postgres" else "sqlite"
    assert connection.vendor == want


def test_home_is_private():
    assert str(settings.QOIMA_HOME) == os.environ["QOIMA_HOME"]
    assert "qoima-test-home-" in str(settings.QOIMA_HOME)
