"""Access declarations for views.

Every view states who may use it with one of these decorators; the URL walk test checks
that each URL pattern has a declaration and that it is enforced. Login itself is enforced
for everything but `public` views by Django's LoginRequiredMiddleware.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]

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

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"Your role does not allow this ({permission}).")
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
