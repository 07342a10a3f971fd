"""User management for admins: list, create, change role or password, deactivate, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from frontend.access import requires
from frontend.accounts import AccountError, create_user, delete_user, update_user
from frontend.forms import UserCreateForm, UserEditForm
from frontend.roles import MANAGE_USERS, Role, role_of


@requires(MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_user(
            form.cleaned_data["username"],
            form.cleaned_data["password1"],
            Role(form.cleaned_data["role"]),
        )
        messages.success(request, f"User {user.username} created.")
        return redirect("users")
    users = [
        (user, role_of(user))
        for user in User.objects.order_by("username").prefetch_related("groups")
    ]
    return render(request, "frontend/users.html", {"nav": "settings", "users": users, "form": form})


@requires(MANAGE_USERS)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    current = role_of(user) or Role.VIEWER
    form = UserEditForm(
        request.POST or None,
        initial={"role": current.value, "is_active": user.is_active},
        user=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_user(
                user,
                role=Role(form.cleaned_data["role"]),
                is_active=form.cleaned_data["is_active"],
                acting=request.user,  # type: ignore[arg-type]
                password=form.cleaned_data["new_password"],
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"User {user.username} updated.")
            return redirect("users")
    return render(
        request, "frontend/user_edit.html", {"nav": "settings", "subject": user, "form": form}
    )


@requires(MANAGE_USERS)
@require_POST
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        delete_user(user, acting=request.user)  # type: ignore[arg-type]
    except AccountError as exc:
        messages.error(request, str(exc))
        return redirect("user_edit", pk=pk)
    messages.success(request, f"User {user.username} deleted and signed out everywhere.")
    return redirect("users")
