from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vms.env import env_bool, env_int, env_json, env_list, env_secret, parse_database_url


def test_it_reads_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VMS_FLAG", "yes")
    monkeypatch.setenv("VMS_COUNT", "7")
    monkeypatch.setenv("VMS_HOSTS", "a.example, b.example,,")
    monkeypatch.setenv("VMS_ICE", '[{"urls": "stun:127.0.0.1:3478"}]')
    assert env_bool("FLAG", default=False) is True
    assert env_int("COUNT", 1) == 7
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_json("ICE", []) == [{"urls": "stun:127.0.0.1:3478"}]
    assert env_int("MISSING", 3) == 3


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FLAG", "maybe", "VMS_FLAG must be true or false"),
        ("COUNT", "seven", "VMS_COUNT must be a whole number"),
        ("ICE", "[{", "VMS_ICE is not valid JSON"),
    ],
)
def test_it_names_the_variable_when_a_value_is_bad(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(f"VMS_{name}", value)
    readers = {
        "FLAG": lambda: env_bool("FLAG", default=False),
        "COUNT": lambda: env_int("COUNT", 1),
        "ICE": lambda: env_json("ICE", []),
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        readers[name]()


def test_it_enforces_minimums(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VMS_COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("COUNT", 2, minimum=1)


def test_it_reads_secrets_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("VMS_TOKEN", raising=False)
    monkeypatch.setenv("VMS_TOKEN_FILE", str(secret))
    assert env_secret("TOKEN") == "s3cret"
    monkeypatch.setenv("VMS_TOKEN_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_secret("TOKEN")


def test_it_parses_database_urls(tmp_path: Path) -> None:
    sqlite = parse_database_url("sqlite:///var/vms.sqlite3", base_dir=tmp_path)
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == str(tmp_path / "var/vms.sqlite3")
    absolute = parse_database_url("sqlite:////srv/vms.sqlite3", base_dir=tmp_path)
    assert absolute["NAME"] == "/srv/vms.sqlite3"
    pg = parse_database_url(
        "postgres://vms:p%40ss@db.local:5433/vms?sslmode=require", base_dir=tmp_path
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "vms",
        "p@ss",
        "db.local",
        "5433",
        "vms",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://db/vms", "postgres://db.local/"])
def test_it_refuses_unusable_database_urls(url: str, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="VMS_DATABASE_URL"):
        parse_database_url(url, base_dir=tmp_path)


def test_sqlite_writers_wait_for_the_lock_in_wal_mode(tmp_path: Path) -> None:
    options = parse_database_url("sqlite:///var/vms.sqlite3", base_dir=tmp_path)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"  # the write lock at BEGIN, no upgrade
    assert options["timeout"] >= 10  # seconds a writer waits for the lock
    pragmas = [p.strip() for p in options["init_command"].split(";")]
    assert pragmas == ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"]
