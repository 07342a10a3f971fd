"""`manage.py events`: hold the event subscriptions of every camera (one process per host)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.core.management.base import BaseCommand

from cameras.onvif.wsdl import preload
from events.subscriptions import Manager


class Command(BaseCommand):
    help = "Subscribe to every camera's events and keep the subscriptions alive."

    def handle(self, *args: Any, **options: Any) -> None:
        preload()
        asyncio.run(self.serve())

    async def serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        self.stdout.write("Following camera events; Ctrl-C stops (and unsubscribes).")
        await Manager().run(stop)
