"""User accounts and their roles: the rules the user pages and commands share.

Disabling an account, deleting it or giving it a new password signs the user out everywhere
at once (sessions and open sockets: frontend/signout.py).
"""

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


def _only_active_admin(user: User) -> bool:
    return [admin.pk for admin in active_admins()] == [user.pk]


@transaction.atomic
def update_user(
    user: User, *, role: Role, is_active: bool, acting: User, password: str = ""
) -> None:
    """Change a user's role and state, and their password when one is given; the last active
    admin cannot lose admin rights."""
    losing_admin = role_of(user) == Role.ADMIN and (role != Role.ADMIN or not is_active)
    if losing_admin and _only_active_admin(user):
        raise AccountError("This is the only active admin: make another user admin first.")
    if user.pk == acting.pk and not is_active:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = is_active
    fields = ["is_active"]
    if password:
        user.set_password(password)
        fields.append("password")
    user.save(update_fields=fields)
    if user.is_superuser and role != Role.ADMIN:
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    assign_role(user, role)


@transaction.atomic
def delete_user(user: User, *, acting: User) -> None:
    """Delete an account (its layouts and views go with it); not one's own, not the last admin."""
    if user.pk == acting.pk:
        raise AccountError("You cannot delete your own account.")
    if role_of(user) == Role.ADMIN and user.is_active and _only_active_admin(user):
        raise AccountError("This is the only active admin: make another user admin first.")
    user.delete()
