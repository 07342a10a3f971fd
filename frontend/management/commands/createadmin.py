"""Create the first admin with a generated password, printed once."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontend.accounts import active_admins, create_user
from frontend.roles import Role


class Command(BaseCommand):
    help = "Create an admin user with a generated password (printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when an active admin already exists.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Give the existing user a new generated password."
        )

    def handle(
        self, *args: Any, username: str, if_missing: bool, reset: bool, **options: Any
    ) -> None:
        existing = User.objects.filter(username=username).first()
        password = secrets.token_urlsafe(12)
        if reset:
            if existing is None:
                raise CommandError(f"No user named {username!r}.")
            existing.set_password(password)
            existing.save(update_fields=["password"])
            self._print(username, password, "New password for")
            return
        if if_missing and active_admins():
            self.stdout.write(
                "An admin account already exists: sign in with it "
                "(forgotten password: python manage.py createadmin --reset --username NAME)."
            )
            return
        if existing is not None:
            raise CommandError(f"User {username!r} exists; use --reset to give it a new password.")
        create_user(username, password, Role.ADMIN)
        self._print(username, password, "Created admin")

    def _print(self, username: str, password: str, what: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"{what} {username!r}. Password (shown once): {password}")
        )
