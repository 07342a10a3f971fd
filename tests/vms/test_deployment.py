"""compose.yaml, the Dockerfile's build step and production start-up rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.processes import ROOT
from vms.keys import new_credentials_key

COMPOSE = ROOT / "compose.yaml"


def test_docker_compose_accepts_the_compose_file() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_process_against_postgres_and_redis() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["VMS_DATABASE_URL"].startswith("postgres://")
        assert env["VMS_REDIS_URL"] == "redis://redis:6379/0"
        assert env["VMS_PRODUCTION"] == "true"
    worker = services["worker"]["command"]
    assert worker[worker.index("-Q") + 1] == "default,onvif,events"
    assert services["gateway"]["command"] == ["python", "manage.py", "gateway"]
    assert services["events"]["command"] == ["python", "manage.py", "events"]
    assert services["simulator"]["profiles"] == ["demo"]  # only when asked for


def test_every_variable_in_compose_is_one_the_settings_read() -> None:
    names = set(re.findall(r"^\s+(VMS_[A-Z_]+):", COMPOSE.read_text(), re.MULTILINE))
    settings_source = "\n".join(p.read_text() for p in (ROOT / "vms").glob("*.py"))
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= {f"{name}_FILE" for name in read} | {"SECRET_KEY", "CREDENTIALS_KEY"}
    read |= {"SECRET_KEY_FILE", "CREDENTIALS_KEY_FILE"}
    unknown = {name for name in names if name.removeprefix("VMS_") not in read}
    assert unknown == set()


def test_the_image_build_step_collects_static_files_in_production_mode(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "VMS_PRODUCTION": "true",
        "VMS_SECRET_KEY": "collectstatic",
        "VMS_CREDENTIALS_KEY": "collectstatic",
        "VMS_STATIC_ROOT": str(tmp_path / "static"),
        "VMS_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "static/frontend/vendor").glob("htmx-2.0.11.min.*.js"))
    assert (tmp_path / "static/staticfiles.json").exists()


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_keys_stops_with_a_clear_error(tmp_path: Path) -> None:
    result = run_check({"VMS_PRODUCTION": "true", "VMS_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "VMS_SECRET_KEY is required in production" in result.stderr
    assert not (tmp_path / "keys").exists()


def test_a_bad_credentials_key_is_reported_by_the_system_check(tmp_path: Path) -> None:
    result = run_check({"VMS_VAR_DIR": str(tmp_path), "VMS_CREDENTIALS_KEY": "too-short"})
    assert result.returncode != 0
    assert "vms.E001" in result.stderr
    good = run_check({"VMS_VAR_DIR": str(tmp_path), "VMS_CREDENTIALS_KEY": new_credentials_key()})
    assert good.returncode == 0, good.stderr


def test_bad_ice_servers_are_reported_by_the_system_check(tmp_path: Path) -> None:
    result = run_check({"VMS_VAR_DIR": str(tmp_path), "VMS_ICE_SERVERS": '["stun:x"]'})
    assert result.returncode != 0
    assert "vms.E002" in result.stderr


def test_the_readme_documents_every_variable_the_settings_read() -> None:
    settings_source = "\n".join(p.read_text() for p in (ROOT / "vms").glob("*.py"))
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= {"SECRET_KEY", "CREDENTIALS_KEY"}
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in read if f"`VMS_{name}`" not in readme}
    assert missing == set()
