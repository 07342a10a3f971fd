from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from frontend.roles import Role
from tests import processes
from tests.factories import UserFactory


@pytest.fixture
def viewer(db: Any) -> User:
    return UserFactory(username="viewer", role=Role.VIEWER)


@pytest.fixture
def operator(db: Any) -> User:
    return UserFactory(username="operator", role=Role.OPERATOR)


@pytest.fixture
def admin(db: Any) -> User:
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def client_for() -> Any:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A real Celery worker process on the real Redis broker, serving every queue."""
    with django_db_blocker.unblock(), processes.celery_worker() as worker:
        yield worker


@pytest.fixture(scope="session")
def asgi_url(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The VMS served by uvicorn (HTTP and WebSockets) on the test database."""
    with django_db_blocker.unblock(), processes.asgi_server() as url:
        yield url
