from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from playwright.sync_api import BrowserContext, Page, sync_playwright

from frontend.roles import Role
from tests import processes
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, and at the end no session left on it: pool threads of
    async code keep their own connections, which would stop the database from being dropped."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def flush_through_deadlocks() -> Iterator[None]:
    """A transactional test ends by truncating every table. Real background writers (the
    session's Celery worker taking a snapshot, a gateway or events process finishing its last
    row) can hold a row lock that the TRUNCATE deadlocks with; PostgreSQL then cancels one of
    the two. The flush is tried again rather than failing the test's teardown."""
    from django.db import OperationalError
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self: TransactionTestCase) -> None:
        for attempt in range(5):
            try:
                return original(self)
            except Exception as exc:  # flush wraps the OperationalError in a CommandError
                cause = exc if isinstance(exc, OperationalError) else exc.__cause__
                if "deadlock detected" not in str(cause) or attempt == 4:
                    raise
                time.sleep(0.2)

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def no_sign_in_locks() -> None:
    """Failed sign-ins are counted in Redis (frontend/throttle.py): a run starts with none
    left from an earlier run."""
    from frontend.throttle import forget_all

    forget_all()


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


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # WebRTC over loopback host candidates, and video that plays without a click:
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    # A synthetic microphone (a beep), granted without a prompt, for talk-back:
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Debian's Chromium with a fresh profile (never a browser downloaded by Playwright).

    Playwright's sync API keeps an asyncio loop in this thread while it runs: Django would
    refuse ORM calls from the tests' own synchronous code (which is not on that loop), and
    async tests could not start their own loop. So it lives for this module only.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path="/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield context
        context.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(chromium: BrowserContext) -> Iterator[Page]:
    chromium.clear_cookies()
    page = chromium.new_page()
    yield page
    page.close()
