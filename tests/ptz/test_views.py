"""The PTZ audit log page: admins read who did what to which camera."""

from __future__ import annotations

from typing import Any

import pytest

from ptz.models import PtzAction

pytestmark = pytest.mark.django_db


def test_admins_read_the_audit_log_and_filter_it_by_camera(admin: Any, client_for: Any) -> None:
    PtzAction.objects.create(
        username="olga", camera="Gate dome", action="goto_preset", detail="Entrance"
    )
    PtzAction.objects.create(
        username="olga",
        camera="Lobby",
        action="aux",
        detail="tt:Wiper|On",
        error="The camera refused",
    )
    page = client_for(admin).get("/ptz/audit/").content.decode()
    assert "Go to preset" in page and "Entrance" in page and "The camera refused" in page
    filtered = client_for(admin).get("/ptz/audit/", {"camera": "gate"}).content.decode()
    assert "Gate dome" in filtered and "Lobby" not in filtered


def test_operators_may_not_read_the_audit_log(operator: Any, client_for: Any) -> None:
    assert client_for(operator).get("/ptz/audit/").status_code == 403
