"""Print a new value for VMS_SECRET_KEY or VMS_CREDENTIALS_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vms.keys import new_credentials_key, new_secret_key

GENERATORS = {"secret_key": new_secret_key, "credentials_key": new_credentials_key}


class Command(BaseCommand):
    help = "Print a newly generated secret for VMS_SECRET_KEY or VMS_CREDENTIALS_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(GENERATORS))

    def handle(self, *args: Any, kind: str, **options: Any) -> None:
        self.stdout.write(GENERATORS[kind]())
