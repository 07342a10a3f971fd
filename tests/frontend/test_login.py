"""Sign-in throttling: repeated failures lock a username, and an address, for a while (counted in
the real Redis), with a message that says how long; a successful sign-in resets the count."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from frontend import throttle
from frontend.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-ins; try again in"


def unique_user() -> User:
    return UserFactory(username=f"u-{uuid.uuid4().hex[:10]}", role=Role.VIEWER)


def unique_address() -> str:
    return f"2001:db8::{uuid.uuid4().hex[:4]}"


def sign_in(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def test_five_failures_lock_the_username_even_for_the_right_password() -> None:
    user = unique_user()
    for _ in range(5):
        answer = sign_in(unique_address(), user.username, "wrong")
        assert "Wrong username or password" in answer.content.decode()
    locked = sign_in(unique_address(), user.username, PASSWORD)
    assert locked.status_code == 429
    assert f"{LOCKED} 15 minutes." in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_a_successful_sign_in_resets_the_count() -> None:
    user, address = unique_user(), unique_address()
    for _ in range(2):
        for _ in range(4):
            assert sign_in(address, user.username, "wrong").status_code == 200
        assert sign_in(address, user.username, PASSWORD).status_code == 302


def test_failures_from_one_address_lock_that_address_for_every_username() -> None:
    address, user = unique_address(), unique_user()
    for n in range(20):
        sign_in(address, f"nobody-{n}-{uuid.uuid4().hex[:6]}", "guess")
    locked = sign_in(address, user.username, PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert sign_in(unique_address(), user.username, PASSWORD).status_code == 302


def test_the_lock_ends_by_itself(settings: Any) -> None:
    settings.VMS_LOGIN_LOCK_SECONDS = 2
    user, address = unique_user(), unique_address()
    for _ in range(5):
        sign_in(address, user.username, "wrong")
    locked = sign_in(address, user.username, PASSWORD)
    assert f"{LOCKED} 1 minute." in locked.content.decode()
    time.sleep(2.5)
    assert sign_in(address, user.username, PASSWORD).status_code == 302


def test_an_empty_password_is_not_counted_as_a_guess() -> None:
    user, address = unique_user(), unique_address()
    for _ in range(6):
        sign_in(address, user.username, "")
    assert sign_in(address, user.username, PASSWORD).status_code == 302


def test_the_username_is_locked_whatever_its_case() -> None:
    user = unique_user()
    for n in range(5):
        name = user.username.upper() if n % 2 else user.username
        sign_in(unique_address(), name, "wrong")
    assert sign_in(unique_address(), user.username, PASSWORD).status_code == 429


def test_forget_all_clears_every_count() -> None:
    user, address = unique_user(), unique_address()
    for _ in range(5):
        sign_in(address, user.username, "wrong")
    throttle.forget_all()
    assert sign_in(address, user.username, PASSWORD).status_code == 302
