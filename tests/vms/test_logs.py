"""Credentials never reach a log line or a person: redact() and the formatter every process uses."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.test import Client

from frontend.roles import Role
from tests.factories import UserFactory
from tests.processes import ROOT, child_env, free_port, stop, wait_for_port
from vms.logs import RedactingFormatter, redact

FFMPEG = (
    "[Errno 825242872] Server returned 401 Unauthorized (authorization failed): "
    "'rtsp://admin:Wr0ng%40Secret@127.0.0.1:8554/Profile_1_main'"
)


def test_it_masks_the_credentials_ffmpeg_puts_in_its_errors() -> None:
    assert redact(FFMPEG) == (
        "[Errno 825242872] Server returned 401 Unauthorized (authorization failed): "
        "'rtsp://***@127.0.0.1:8554/Profile_1_main'"
    )


def test_it_masks_urls_inside_json_and_password_fields() -> None:
    text = json.dumps({"1:main": {"last_error": FFMPEG, "url": "http://u:p@h/x?password=p"}})
    masked = redact(text)
    assert "Wr0ng" not in masked and ":p@" not in masked and "password=p" not in masked
    assert json.loads(masked)["1:main"]["url"] == "http://***@h/x?password=***"


def test_text_without_credentials_is_left_alone() -> None:
    text = "The camera's RTSP port (127.0.0.1:554) did not answer within 5 s."
    assert redact(text) is text


def test_the_formatter_masks_arguments_and_tracebacks() -> None:
    formatter = RedactingFormatter("%(message)s")
    try:
        raise OSError(FFMPEG)
    except OSError as exc:
        record = logging.LogRecord("x", logging.INFO, "f", 1, "pull %s: %s", ("k", exc), None)
        record.exc_info = (type(exc), exc, exc.__traceback__)
    line = formatter.format(record)
    assert "Wr0ng" not in line and "rtsp://***@127.0.0.1" in line and "Traceback" in line


@pytest.fixture
def logged_server(tmp_path: Path, transactional_db: None) -> Iterator[tuple[str, Path]]:
    """uvicorn on the test database, its output (the console log handler) in a file."""
    port = free_port()
    log = tmp_path / "web.log"
    argv = [sys.executable, "-m", "uvicorn", "vms.asgi:application", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--lifespan", "off", "--no-access-log"]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=child_env(), stdout=out, stderr=out)
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}", log
        finally:
            stop(process)


def test_client_errors_log_one_line_and_no_traceback(logged_server: tuple[str, Path]) -> None:
    url, log = logged_server
    viewer = Client()
    viewer.force_login(UserFactory(role=Role.VIEWER))
    cookies = {"sessionid": viewer.cookies["sessionid"].value}
    with httpx.Client(base_url=url, cookies=cookies, timeout=10) as client:
        answers = {
            "Forbidden (Permission denied): /settings/users/": client.get(
                "/settings/users/"
            ).status_code,
            "Not Found: /no/such/page/": client.get("/no/such/page/").status_code,
            "Not Found: /api/devices/999999": client.get("/api/devices/999999").status_code,
            "Forbidden (CSRF token missing.): /settings/users/": client.post(
                "/settings/users/", data={}
            ).status_code,
            "Invalid HTTP_HOST header: 'evil.example'": client.get(
                "/", headers={"Host": "evil.example"}
            ).status_code,
        }
    assert list(answers.values()) == [403, 404, 404, 403, 400]
    text = log.read_text()
    for line in answers:
        assert len([row for row in text.splitlines() if line in row]) == 1, (line, text)
    assert "Traceback" not in text, text
