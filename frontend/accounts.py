"""User accounts and their roles: the rules the user pages and commands share."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from frontend.roles import Role, assign_role, role_of


class AccountError(Exception):
    """A change that would break the rules below; the message is for the user."""


def active_admins() -> list[User]:
    users = User.objects.filter(is_active=True).prefetch_related("groups")
    return [user for user in users if role_of(user) == Role.ADMIN]


@transaction.atomic
def create_user(username: str, password: str, role: Role) -> User:
    user = User.objects.create_user(username=username, password=password)
    assign_role(user, role)
    return user


@transaction.atomic
def update_user(user: User, *, role: Role, is_active: bool, acting: User) -> None:
    """Change a user's role and state; the last active admin cannot lose admin rights."""
    losing_admin = role_of(user) == Role.ADMIN and (role != Role.ADMIN or not is_active)
    if losing_admin and [admin.pk for admin in active_admins()] == [user.pk]:
        raise AccountError("This is the only active admin: make another user admin first.")
    if user.pk == acting.pk and not is_active:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if user.is_superuser and role != Role.ADMIN:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    assign_role(user, role)
