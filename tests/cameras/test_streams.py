"""Where a gateway pulls a stream from, with which credentials, and what its figures show."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis
from django.conf import settings

from cameras.media.rtsp_auth import Credentials
from cameras.models import Device, MediaProfile
from cameras.streams import publish_stats, pull_target, read_stats

pytestmark = pytest.mark.django_db


def profile(host: str, stream_uri: str, *, allow_plaintext: bool = False) -> MediaProfile:
    device = Device(host=host, port=80, username="admin", allow_plaintext=allow_plaintext)
    device.password = "pa:ss@word"
    device.save()
    return device.profiles.create(token="main", name="Main", stream_uri=stream_uri)


def test_the_stream_comes_from_the_host_the_admin_entered_whatever_the_camera_says() -> None:
    url, credentials = pull_target(profile("127.0.0.1", "rtsp://127.0.0.2:8554/main?x=1"))
    assert url == "rtsp://127.0.0.1:8554/main?x=1"  # the camera's port, path and query
    assert credentials == Credentials("admin", "pa:ss@word", allow_plaintext=False)


def test_credentials_the_camera_put_in_its_uri_are_dropped_and_ours_kept_apart() -> None:
    url, credentials = pull_target(
        profile("cam.example", "rtsp://other:theirs@10.0.0.9/live", allow_plaintext=True)
    )
    assert url == "rtsp://cam.example/live"
    assert credentials == Credentials("admin", "pa:ss@word", allow_plaintext=True)


def test_an_ipv6_host_is_bracketed() -> None:
    url, _ = pull_target(profile("::1", "rtsp://[fe80::1]:554/main"))
    assert url == "rtsp://[::1]:554/main"


async def test_the_figures_never_show_credentials() -> None:
    client = aioredis.Redis.from_url(settings.REDIS_URL)
    try:
        error = "Connection refused: 'rtsp://admin:hunter2@127.0.0.1:554/main'"
        await publish_stats(client, "gw-redact", {"1:main": {"state": "reconnecting",
                                                           "last_error": error}})  # fmt: skip
        raw = await client.get("vms:gateway:stats:gw-redact")
    finally:
        await client.aclose()
    assert b"hunter2" not in raw
    assert read_stats()["1:main"]["last_error"] == (
        "Connection refused: 'rtsp://***@127.0.0.1:554/main'"
    )
