"""`qoima user add`, `qoima access set`, and logging in at /accounts/login/."""

from __future__ import annotations

from datetime import date

import pytest
from access_fixtures import *  # noqa: F403 - fixtures
from typer.testing import CliRunner

from qoima.cli import app


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def test_user_add_reads_password_from_stdin(qoima):
    ok = qoima("user", "add", "aigerim", "--role", "researcher", input="a long passphrase\n")
    assert ok.returncode == 0, ok.stderr
    assert "aigerim" in ok.stdout and "a long passphrase" not in ok.stdout + ok.stderr
    again = qoima("user", "add", "aigerim", "--role", "researcher", input="a long passphrase\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    weak = qoima("user", "add", "bolat", "--role", "researcher", input="short\n")
    assert weak.returncode == 1 and "password refused" in weak.stderr
    bad = qoima("user", "add", "c", "--role", "emperor", input="a long passphrase\n")
    assert bad.returncode == 1 and "unknown role" in bad.stderr


def test_user_add_in_database_and_login(client, archive):
    from qoima.accounts.models import User

    r = run("user", "add", "dana", "--role", "researcher", input="a long passphrase\n")
    assert r.exit_code == 0, r.output
    u = User.objects.get(username="dana")
    assert u.role == "researcher" and u.check_password("a long passphrase") and not u.is_staff
    assert run("user", "add", "dana", "--role", "archivist", "--update", input="another passphrase\n").exit_code == 0
    u.refresh_from_db()
    assert u.role == "archivist" and u.is_staff
    run("user", "add", "erlan", "--role", "researcher", input="a long passphrase\n")
    assert client.get("/iiif/3/img-researchers/info.json").status_code == 403
    r = client.post("/accounts/login/", {"username": "erlan", "password": "a long passphrase"})
    assert r.status_code == 302
    assert client.get("/iiif/3/img-researchers/info.json").status_code == 200
    assert client.get("/iiif/3/img-closed/info.json").status_code == 403


def test_access_set(archive):
    from qoima.catalogue.models import Description

    series, item = archive["series"], archive["item"]
    r = run("access", "set", series.ref, "--status", "closed", "--reason", "personal data")
    assert r.exit_code == 0, r.output
    item.refresh_from_db()
    assert (item.effective_access, item.effective_reason) == ("closed", "personal data")
    assert Description.objects.get(pk=archive["researchers"].pk).effective_access == "researchers"  # own rule kept
    r = run("access", "set", item.ref, "--status", "embargo", "--until", "2040-01-31")
    assert r.exit_code == 0, r.output
    item.refresh_from_db()
    assert (item.effective_access, item.effective_until) == ("embargo", date(2040, 1, 31))
    r = run("access", "set", item.ref, "--status", "inherit")
    item.refresh_from_db()
    assert r.exit_code == 0 and item.effective_access == "closed"
    assert "set on " + series.ref in run("access", "show", item.ref).output


@pytest.mark.parametrize("args, message", [
    (["--status", "embargo"], "end date"),
    (["--status", "open", "--until", "2040-01-01"], "embargo only"),
    (["--status", "embargo", "--until", "31.01.2040"], "not a date"),
    (["--status", "secret"], "unknown status"),
])
def test_access_set_refuses_bad_input(archive, args, message):
    from qoima.cli import QoimaError

    r = run("access", "set", archive["item"].ref, *args)
    assert isinstance(r.exception, QoimaError) and message in str(r.exception)
    assert isinstance(run("access", "set", "NO-SUCH-REF", "--status", "open").exception, QoimaError)
