"""The demo cameras added, synced and served by a gateway, for the live page's browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import connection

from cameras.models import Device
from simulator.camera import Camera
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced

DEMO = ("ptz-dome", "bullet-analytics", "audio-cam", "dual-sensor")


@contextmanager
def live_fleet(
    gateway_id: str, names: tuple[str, ...] = DEMO
) -> Iterator[tuple[ThreadedFleet, dict[str, Camera], dict[str, Device]]]:
    """`names` of the demo set added and synced (each from a thread of its own: Playwright's
    event loop runs in the test's), and a gateway serving their streams."""
    fleet = ThreadedFleet()
    with fleet as cameras:
        with ThreadPoolExecutor(len(names)) as pool:
            futures = {name: pool.submit(in_thread, add_synced, cameras[name]) for name in names}
            devices = {name: future.result(60) for name, future in futures.items()}
        with processes.gateway(gateway_id):
            yield fleet, cameras, devices


def in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run Django code from a thread of its own: Playwright's event loop runs in the test's
    thread, where Django refuses async_to_sync (signal receivers use it)."""

    def call() -> Any:
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result(60)


def sign_in_as(page: Any, url: str, username: str, role: str = "") -> None:
    """Sign in as `username`, a new user of `role` if one is given."""
    from tests.factories import PASSWORD, UserFactory

    if role:
        in_thread(UserFactory, username=username, role=role)
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
