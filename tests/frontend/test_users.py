from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from frontend.roles import Role, role_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_admin_creates_an_operator_who_can_then_sign_in(admin: Any, client_for: Any) -> None:
    response = client_for(admin).post(
        "/settings/users/",
        {
            "username": "olga",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
            "role": "operator",
        },
    )
    assert response.status_code == 302
    olga = User.objects.get(username="olga")
    assert role_of(olga) == Role.OPERATOR
    assert Client().login(username="olga", password="a long pass phrase")


def test_a_bad_form_keeps_what_was_typed_and_says_why(admin: Any, client_for: Any) -> None:
    response = client_for(admin).post(
        "/settings/users/",
        {"username": "olga", "password1": "abc", "password2": "abd", "role": "operator"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "didn\u2019t match" in page or "didn't match" in page
    assert 'value="olga"' in page
    assert not User.objects.filter(username="olga").exists()


def test_an_admin_changes_a_role(admin: Any, viewer: Any, client_for: Any) -> None:
    response = client_for(admin).post(
        f"/settings/users/{viewer.pk}/", {"role": "operator", "is_active": "on"}
    )
    assert response.status_code == 302
    assert role_of(User.objects.get(pk=viewer.pk)) == Role.OPERATOR


def test_the_last_admin_cannot_lose_admin_rights(admin: Any, client_for: Any) -> None:
    response = client_for(admin).post(
        f"/settings/users/{admin.pk}/", {"role": "viewer", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "only active admin" in response.content.decode()
    assert role_of(User.objects.get(pk=admin.pk)) == Role.ADMIN


def test_sign_in_with_a_wrong_password_says_so(viewer: Any) -> None:
    response = Client().post("/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    response = Client().post("/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_requires_post_and_ends_the_session(viewer: Any, client_for: Any) -> None:
    client = client_for(viewer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_forms(viewer: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 403


def test_createadmin_prints_a_generated_password_once_and_it_works() -> None:
    out = StringIO()
    call_command("createadmin", "--if-missing", stdout=out)
    password = out.getvalue().strip().rsplit(" ", 1)[1]
    assert Client().login(username="admin", password=password)
    assert role_of(User.objects.get(username="admin")) == Role.ADMIN
    again = StringIO()
    call_command("createadmin", "--if-missing", stdout=again)
    assert "already exists" in again.getvalue()
    assert password not in again.getvalue()


def test_createadmin_reset_gives_a_new_password() -> None:
    call_command("createadmin", stdout=StringIO())
    out = StringIO()
    call_command("createadmin", "--reset", stdout=out)
    password = out.getvalue().strip().rsplit(" ", 1)[1]
    assert Client().login(username="admin", password=password)
    with pytest.raises(CommandError, match="exists"):
        call_command("createadmin", stdout=StringIO())


def test_the_edit_page_offers_deleting_other_users_only(
    admin: Any, viewer: Any, client_for: Any
) -> None:
    admin_client = client_for(admin)
    other = admin_client.get(f"/settings/users/{viewer.pk}/").content.decode()
    assert f'action="/settings/users/{viewer.pk}/delete/"' in other
    assert 'data-confirm="Delete viewer?' in other
    mine = admin_client.get(f"/settings/users/{admin.pk}/").content.decode()
    assert "/delete/" not in mine
    assert admin_client.post(f"/settings/users/{viewer.pk}/delete/").status_code == 302
    assert not User.objects.filter(pk=viewer.pk).exists()
