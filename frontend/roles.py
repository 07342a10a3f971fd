"""The three roles (viewer, operator, admin) as groups with permissions.

The groups are (re)created after every migration from `ROLE_PERMISSIONS`, so the
permissions of a role are defined here and nowhere else.
"""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction


class Role(enum.StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


VIEW_LIVE = "cameras.view_live"
ACKNOWLEDGE_EVENTS = "cameras.acknowledge_events"
CONFIGURE_CAMERAS = "cameras.configure_cameras"
TALK = "cameras.talk"
SWITCH_OUTPUTS = "cameras.switch_outputs"
OPERATE_PTZ = "ptz.operate_ptz"
MANAGE_USERS = "frontend.manage_users"

ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.VIEWER: (VIEW_LIVE,),
    Role.OPERATOR: (VIEW_LIVE, OPERATE_PTZ, ACKNOWLEDGE_EVENTS, TALK, SWITCH_OUTPUTS),
    Role.ADMIN: (
        VIEW_LIVE,
        OPERATE_PTZ,
        ACKNOWLEDGE_EVENTS,
        TALK,
        SWITCH_OUTPUTS,
        CONFIGURE_CAMERAS,
        MANAGE_USERS,
    ),
}
# Highest first: a user in several groups has the highest of their roles.
ROLE_ORDER = (Role.ADMIN, Role.OPERATOR, Role.VIEWER)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles() -> None:
    with transaction.atomic():
        for role, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role.value)
            group.permissions.set([_permission(p) for p in perms])


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate fires once per app; act once every permission the roles need exists.
    needed = {perm.split(".")[1] for perms in ROLE_PERMISSIONS.values() for perm in perms}
    if Permission.objects.filter(codename__in=needed).count() >= len(needed):
        sync_roles()


def role_of(user: Any) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in ROLE_ORDER if role.value in names), None)


def assign_role(user: Any, role: Role | str) -> None:
    """Make `role` the user's only role."""
    role = Role(role)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=[r.value for r in Role]))
        user.groups.add(Group.objects.get(name=role.value))
