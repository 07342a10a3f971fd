"""Access declarations for views.

Every view states who may use it with one of these decorators; the URL walk test checks
that each URL pattern has a declaration and that it is enforced. Login itself is enforced
for everything but `public` views by Django's LoginRequiredMiddleware.
"""

from __future__ import annotations

import hmac
import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

View = Callable[..., Any]  # sync or async Django views

PUBLIC = "public"
LOGIN = "login"


def public(view: View) -> View:
    """Open to anonymous users (the login page; a view that checks a token itself)."""
    view = login_not_required(view)
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def login_only(view: View) -> View:
    """Any signed-in user, whatever the role."""
    view.access = LOGIN  # type: ignore[attr-defined]
    return view


def requires(permission: str) -> Callable[[View], View]:
    """A signed-in user whose role grants `permission`; others get 403."""

    def refuse() -> PermissionDenied:
        return PermissionDenied(f"Your role does not allow this ({permission}).")

    def decorator(view: View) -> View:
        if inspect.iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                user = await request.auser()
                if not await sync_to_async(user.has_perm)(permission):
                    raise refuse()
                return await view(request, *args, **kwargs)

            async_wrapper.access = permission  # type: ignore[attr-defined]
            return async_wrapper

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise refuse()
            return view(request, *args, **kwargs)

        wrapper.access = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def monitoring_allowed(request: HttpRequest) -> bool:
    """A signed-in user, or `Authorization: Bearer <VMS_MONITORING_TOKEN>` (health, metrics)."""
    if request.user.is_authenticated:
        return True
    token = settings.VMS_MONITORING_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header, f"Bearer {token}")
