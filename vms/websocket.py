"""WebSocket access control shared by every route."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.middleware import BaseMiddleware

# Close codes in the private range (4000-4999) so the browser can tell the user why.
CLOSE_LOGIN_REQUIRED = 4401
CLOSE_FORBIDDEN = 4403


class LoginRequiredMiddleware(BaseMiddleware):
    """Refuse the handshake of anonymous users before any consumer runs."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": CLOSE_LOGIN_REQUIRED})
            return None
        return await super().__call__(scope, receive, send)


class JsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON socket that answers a message it cannot parse with an error, never a crash."""

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return json.loads(text_data)
        except json.JSONDecodeError:
            return None  # receive_json gets None and says what it expected

    async def send_error(self, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "message": message, **extra})
