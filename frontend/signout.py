"""Signing a user out everywhere: their sessions end and their open sockets close at once.

This happens when an account is disabled or deleted, or its password changes, whoever does it
(an admin on the user page, the user on the password page, `createadmin --reset`): the
receivers below are connected to the User model in FrontendConfig.ready(). Every socket joined
its user's account group (vms.websocket.JsonConsumer); the close reaches them through Redis
after the change is committed, and the browser shows code 4401 ("Signed out").
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from vms.websocket import SIGNED_OUT, account_group

DISABLED = "Your account was disabled: ask an admin."
DELETED = "Your account was deleted."
PASSWORD_CHANGED = "Your password was changed: sign in again."
_PENDING = "_vms_sign_out"  # the reason, kept on the instance from pre_save to post_save


def end_sessions(user_id: int) -> int:
    """Delete every session row of the user; the number deleted."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user_id)
    ]
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def close_sockets(user_id: int, reason: str) -> None:
    layer = get_channel_layer()
    assert layer is not None, "CHANNEL_LAYERS is not configured"
    send = async_to_sync(layer.group_send)
    message = {"type": SIGNED_OUT, "reason": reason}
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send(account_group(user_id), message)
        return
    # Called from a thread that runs an event loop: async_to_sync needs a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(send, account_group(user_id), message).result()


def sign_out_everywhere(user_id: int, reason: str) -> None:
    end_sessions(user_id)
    transaction.on_commit(lambda: close_sockets(user_id, reason))


def note_sign_out(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    """pre_save: remember whether this save disables the account or changes its password."""
    fields = kwargs.get("update_fields")
    if (
        raw
        or instance.pk is None
        or (fields is not None and not {"password", "is_active"} & set(fields))
    ):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        setattr(instance, _PENDING, DISABLED)
    elif before["password"] and before["password"] != instance.password:  # not a first one
        setattr(instance, _PENDING, PASSWORD_CHANGED)


def sign_out_after_save(sender: Any, instance: User, **kwargs: Any) -> None:
    reason = instance.__dict__.pop(_PENDING, None)
    if reason:
        sign_out_everywhere(instance.pk, reason)


def sign_out_after_delete(sender: Any, instance: User, **kwargs: Any) -> None:
    sign_out_everywhere(instance.pk, DELETED)
