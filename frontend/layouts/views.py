"""Saving live layouts and named views (JSON bodies, answered with JSON)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from frontend.access import requires
from frontend.layouts.models import LiveView
from frontend.layouts.services import save_layout
from frontend.roles import VIEW_LIVE


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


@requires(VIEW_LIVE)
@require_POST
def layout_save(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    view = save_layout(request.user, body.get("grid"), body.get("cells"))
    return JsonResponse({"grid": view.grid, "cells": view.cells})


@requires(VIEW_LIVE)
@require_POST
def view_save(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return JsonResponse({"error": "Give the view a name."}, status=400)
    view = save_layout(
        request.user,
        body.get("grid"),
        body.get("cells"),
        name.strip()[:100],
        shared=body.get("shared") is True,
    )
    return JsonResponse({"id": view.pk, "name": view.name, "grid": view.grid, "cells": view.cells})


@requires(VIEW_LIVE)
@require_POST
def view_delete(request: HttpRequest, pk: int) -> JsonResponse:
    deleted, _ = LiveView.objects.filter(pk=pk, owner_id=request.user.pk).exclude(name="").delete()
    if not deleted:
        return JsonResponse(
            {"error": "No such view of yours (only its owner may delete it)."}, status=404
        )
    return JsonResponse({"deleted": pk})
