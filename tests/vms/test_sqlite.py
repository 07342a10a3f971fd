"""`make run` on SQLite: concurrent writers wait their turn, odd dates are refused, the file is
private. Each test runs a real uvicorn on a SQLite file of its own (tests/vms/sqlite_server.py)."""

from __future__ import annotations

import sqlite3
import stat
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import httpx

from tests.vms.sqlite_server import sqlite_server

USERS = ("ann", "bob", "cyd", "dee")


def save_layouts(client: httpx.Client, count: int) -> list[int]:
    codes = []
    for n in range(count):
        body = {"grid": 4 if n % 2 else 9, "cells": []}
        codes.append(client.post("/live/layout/", json=body).status_code)
    return codes


def test_concurrent_layout_saves_on_sqlite_all_succeed(tmp_path: Path) -> None:
    with sqlite_server(tmp_path) as server:
        for name in USERS:
            server.add_user(name, "viewer")
        clients = [server.signed_in(name) for name in USERS for _ in range(2)]
        with ThreadPoolExecutor(len(clients)) as pool:
            results = list(pool.map(lambda c: save_layouts(c, 15), clients))
        for client in clients:
            client.close()
    codes = [code for result in results for code in result]
    log = (tmp_path / "uvicorn.log").read_text()
    assert codes == [200] * len(codes), log
    assert "database is locked" not in log


def test_the_sqlite_database_runs_in_wal_mode(tmp_path: Path) -> None:
    with sqlite_server(tmp_path) as server:
        server.add_user("ann", "viewer")
        with closing(server.signed_in("ann")) as client:
            assert client.post("/live/layout/", json={"grid": 4, "cells": []}).status_code == 200
        # WAL mode is kept in the file itself (the -wal file comes and goes with connections).
        with closing(sqlite3.connect(server.database)) as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_of_existing(paths: list[Path]) -> dict[str, int]:
    """The -wal and -shm files go away when the server closes its last connection, possibly between
    listing and reading them; a file that is gone has nothing left to leak."""
    found = {}
    for path in paths:
        try:
            found[path.name] = mode(path)
        except FileNotFoundError:
            continue
    return found


def test_the_sqlite_file_and_the_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    with sqlite_server(tmp_path) as server:
        server.add_user("ann", "viewer")
        with closing(server.signed_in("ann")) as client:
            assert client.post("/live/layout/", json={"grid": 4, "cells": []}).status_code == 200
        modes = modes_of_existing([server.database, *server.database.parent.glob("vms.sqlite3-*")])
        assert server.database.name in modes
        assert {name: value & 0o077 for name, value in modes.items()} == dict.fromkeys(modes, 0)
        assert mode(server.var_dir / "keys") == 0o700
        assert {mode(key) for key in (server.var_dir / "keys").iterdir()} == {0o600}


OUT_OF_RANGE = [
    "from=9999-12-31T23:00:00-05:00",
    "to=0001-01-01T00:00:00%2B05:00",
    "offset=9223372036854775808",
    "camera=99999999999999999999",
    "page=99999999999999999999",
]


def test_out_of_range_api_filters_on_sqlite_are_refused_with_a_message(tmp_path: Path) -> None:
    with sqlite_server(tmp_path) as server:
        server.add_user("ann", "viewer")
        with closing(server.signed_in("ann")) as client:
            api = {query: client.get(f"/api/events?{query}") for query in OUT_OF_RANGE[:4]}
    for query, answer in api.items():
        assert answer.status_code == 422, (query, answer.text)
        assert query.split("=")[0] in answer.text, answer.text


def test_the_events_page_on_sqlite_answers_out_of_range_filters(tmp_path: Path) -> None:
    """The HTML page shows the events, or says what is wrong: never a 500."""
    with sqlite_server(tmp_path) as server:
        server.add_user("ann", "viewer")
        with closing(server.signed_in("ann")) as client:
            pages = {query: client.get(f"/events/?{query}").status_code for query in OUT_OF_RANGE}
    assert {query: code for query, code in pages.items() if code not in (200, 400)} == {}
