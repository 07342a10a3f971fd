from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vms.keys import new_credentials_key, secret_or_generated


def test_it_generates_a_missing_key_once_and_reuses_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VMS_CREDENTIALS_KEY", raising=False)
    first = secret_or_generated(
        "CREDENTIALS_KEY", key_dir=tmp_path, production=False, generate=new_credentials_key
    )
    again = secret_or_generated(
        "CREDENTIALS_KEY", key_dir=tmp_path, production=False, generate=new_credentials_key
    )
    assert first == again
    key_file = tmp_path / "credentials_key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_the_environment_wins_over_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "secret_key").write_text("from-file\n")
    monkeypatch.setenv("VMS_SECRET_KEY", "from-env")
    value = secret_or_generated("SECRET_KEY", key_dir=tmp_path, production=False, generate=str)
    assert value == "from-env"


def test_production_refuses_to_start_without_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VMS_SECRET_KEY", raising=False)
    monkeypatch.delenv("VMS_SECRET_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="VMS_SECRET_KEY is required in production"):
        secret_or_generated("SECRET_KEY", key_dir=tmp_path, production=True, generate=str)
    assert not (tmp_path / "secret_key").exists()


def test_an_existing_key_directory_and_key_file_are_made_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VMS_SECRET_KEY", raising=False)
    monkeypatch.delenv("VMS_SECRET_KEY_FILE", raising=False)
    key_dir = tmp_path / "keys"
    key_dir.mkdir(mode=0o755)
    key_dir.chmod(0o755)  # as an older version (or a umask of 022) left it
    (key_dir / "secret_key").write_text("old\n")
    (key_dir / "secret_key").chmod(0o644)
    value = secret_or_generated("SECRET_KEY", key_dir=key_dir, production=False, generate=str)
    assert value == "old"
    assert key_dir.stat().st_mode & 0o777 == 0o700
    assert (key_dir / "secret_key").stat().st_mode & 0o777 == 0o600
