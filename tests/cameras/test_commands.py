from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from cameras.models import Device

pytestmark = pytest.mark.django_db


def test_the_demo_cameras_are_added_once_with_encrypted_passwords(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("add_demo_cameras", "--if-empty", stdout=StringIO())
    devices = list(Device.objects.order_by("port"))
    assert [d.port for d in devices] == [18080, 18081, 18082, 18083]
    assert all(d.username == "admin" and d.password == "admin" for d in devices)
    assert all("admin" not in d.password_encrypted for d in devices)
    assert len(callbacks) == 4  # one sync each
    call_command("add_demo_cameras", "--if-empty", stdout=StringIO())
    assert Device.objects.count() == 4
