"""A real uvicorn serving the VMS from a SQLite file, the way `make run` does, for tests.

The test process itself stays on PostgreSQL; the child processes (migrate, user creation,
uvicorn) get `VMS_DATABASE_URL=sqlite:////<tmp>/vms.sqlite3` and a var directory of their own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.factories import PASSWORD
from tests.processes import ROOT, child_env, free_port, stop, wait_for_port


@dataclass
class SqliteServer:
    url: str
    database: Path
    var_dir: Path
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def add_user(self, username: str, role: str) -> None:
        code = (
            "from tests.factories import UserFactory; "
            f"UserFactory(username={username!r}, role={role!r})"
        )
        self.manage("shell", "-c", code)

    def signed_in(self, username: str, password: str = PASSWORD) -> httpx.Client:
        """An HTTP client signed in through the login form, sending the CSRF header."""
        client = httpx.Client(base_url=self.url, timeout=30)
        form = client.get("/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        answer = client.post(
            "/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        )
        assert answer.status_code == 302, answer.text
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        return client


@contextmanager
def sqlite_server(tmp_path: Path, **extra_env: str) -> Iterator[SqliteServer]:
    database = tmp_path / "vms.sqlite3"
    var_dir = tmp_path / "var"
    env = child_env(VMS_DATABASE_URL=f"sqlite:///{database}", VMS_VAR_DIR=str(var_dir))
    env.update(extra_env)
    port = free_port()
    server = SqliteServer(f"http://127.0.0.1:{port}", database, var_dir, env)
    server.manage("migrate", "--noinput")
    argv = [sys.executable, "-m", "uvicorn", "vms.asgi:application", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--lifespan", "off", "--no-access-log"]
    log = (tmp_path / "uvicorn.log").open("wb")
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
        yield server
    finally:
        stop(process)
        log.close()
