from typing import Any

import pytest
from django.contrib.auth.models import Group

from frontend.roles import ROLE_PERMISSIONS, Role, assign_role, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrations_create_one_group_per_role_with_its_permissions() -> None:
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(perms)


@pytest.mark.parametrize(
    ("role", "can_ptz", "can_ack", "can_configure", "can_manage_users"),
    [
        (Role.VIEWER, False, False, False, False),
        (Role.OPERATOR, True, True, False, False),
        (Role.ADMIN, True, True, True, True),
    ],
)
def test_roles_grant_what_the_product_promises(
    role: Role, can_ptz: bool, can_ack: bool, can_configure: bool, can_manage_users: bool
) -> None:
    user = UserFactory(role=role)
    assert user.has_perm("cameras.view_live")
    assert user.has_perm("ptz.operate_ptz") is can_ptz
    assert user.has_perm("cameras.acknowledge_events") is can_ack
    assert user.has_perm("cameras.configure_cameras") is can_configure
    assert user.has_perm("frontend.manage_users") is can_manage_users


def test_assigning_a_role_replaces_the_previous_one(operator: Any) -> None:
    assign_role(operator, Role.VIEWER)
    assert role_of(operator) == Role.VIEWER
    assert list(operator.groups.values_list("name", flat=True)) == ["viewer"]


def test_a_user_without_a_group_has_no_role_and_sees_no_video(client_for: Any) -> None:
    nobody = UserFactory()
    assert role_of(nobody) is None
    assert client_for(nobody).get("/").status_code == 403
    assert "No role" in client_for(nobody).get("/settings/").content.decode()
