"""Every WebSocket route goes through the shared JsonConsumer (framing, error handling,
signing out), behind the Origin check and the login check."""

from __future__ import annotations

import pytest

from vms.routing import websocket_urlpatterns
from vms.websocket import JsonConsumer


@pytest.mark.parametrize("route", websocket_urlpatterns, ids=lambda r: str(r.pattern))
def test_every_websocket_consumer_is_a_json_consumer(route: object) -> None:
    consumer = route.callback.consumer_class  # type: ignore[attr-defined]
    assert issubclass(consumer, JsonConsumer), f"{consumer.__module__}.{consumer.__name__}"
