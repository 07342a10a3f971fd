"""`manage.py events`: hold the event subscriptions of every camera.

With VMS_EVENTS_PROCESSES above one it starts that many shard processes (`--shard K/N`),
each following the cameras whose id modulo N is K."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from cameras.onvif.wsdl import preload
from events import shards
from events.subscriptions import Manager

PERSISTENT_CONNECTION_SECONDS = 600


class Command(BaseCommand):
    help = "Subscribe to every camera's events and keep the subscriptions alive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--shard", help="K/N: follow only the cameras whose id modulo N is K (one process)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["shard"]:
            try:
                shard, count = shards.parse(options["shard"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        elif settings.VMS_EVENTS_PROCESSES > 1:
            count = settings.VMS_EVENTS_PROCESSES
            self.stdout.write(f"Following camera events in {count} processes; Ctrl-C stops.")
            shards.supervise(count)
            return
        else:
            shard, count = 0, 1
        # A long-running process: keep each pool thread's database connection (health-checked
        # before reuse) instead of opening one per batch of events.
        for alias in connections:
            connections[alias].settings_dict["CONN_MAX_AGE"] = PERSISTENT_CONNECTION_SECONDS
        preload()
        asyncio.run(self.serve(shard, count))

    async def serve(self, shard: int, count: int) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        part = f" (shard {shard}/{count})" if count > 1 else ""
        self.stdout.write(f"Following camera events{part}; Ctrl-C stops (and unsubscribes).")
        await Manager(shard, count).run(stop)
