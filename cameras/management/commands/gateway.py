"""Run a stream gateway: RTSP pulls relayed to browsers over WebRTC."""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a stream gateway (one of several may run; streams are shared out among them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", default=f"{socket.gethostname()}-{os.getpid()}")

    def handle(self, *args: Any, id: str, **options: Any) -> None:
        from cameras.gateway import run

        asyncio.run(run(id))
