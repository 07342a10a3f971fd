"""Add the virtual cameras that `make run` starts (simulator/demo.yaml) as devices."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cameras.models import Device
from cameras.services import add_device


class Command(BaseCommand):
    help = "Add the simulator's demo cameras (127.0.0.1, base port 18080) to the VMS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Only when no device exists yet."
        )
        parser.add_argument("--base-port", type=int, default=18080)

    def handle(self, *args: Any, if_empty: bool, base_port: int, **options: Any) -> None:
        from simulator import config  # the demo set is described there, and only there

        if if_empty and Device.objects.exists():
            return
        added = 0
        for camera in config.load(base_port=base_port):
            if Device.objects.filter(host=camera.host, port=camera.port).exists():
                continue
            admin = next(u for u in camera.users if u.level == "Administrator")
            add_device(
                host=camera.host, port=camera.port, username=admin.name, password=admin.password
            )
            added += 1
        self.stdout.write(
            f"Added {added} demo camera(s); they sync once the worker and simulator run."
        )
