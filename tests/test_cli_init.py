import pytest

pytestmark = pytest.mark.nopg


def test_init_creates_home_and_database(qoima, home):
    proc = qoima("init", check=True)
    assert "Qoima home" in proc.stdout
    assert (home / "qoima.sqlite3").exists()
    assert (home / "storage" / "primary").is_dir() and (home / "storage" / "replica").is_dir()
    again = qoima("init", check=True)
    assert "up to date" in again.stdout


def test_home_flag_wins_over_environment(qoima, tmp_path):
    other = tmp_path / "elsewhere"
    qoima("--home", str(other), "init", check=True)
    assert (other / "qoima.sqlite3").exists()


def test_help_lists_commands(qoima):
    proc = qoima("--help", check=True)
    for command in ("init", "serve", "worker"):
        assert command in proc.stdout
