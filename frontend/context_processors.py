from typing import Any

from django.http import HttpRequest

from frontend.roles import MANAGE_USERS, role_of


def role(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "vms_role": role_of(user),
        "vms_can_manage_users": user.has_perm(MANAGE_USERS),
    }
