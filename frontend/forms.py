from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from frontend.roles import Role

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class UserCreateForm(UserCreationForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.VIEWER.value)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


class UserEditForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    is_active = forms.BooleanField(required=False, label="Active (may sign in)")
    new_password = forms.CharField(
        required=False,
        strip=False,
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave empty to keep the current one. Disabling the account or setting a new "
        "password signs the user out everywhere at once.",
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["role"].widget.attrs["autofocus"] = True

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data.get("new_password", "")
        if password:
            password_validation.validate_password(password, self.user)
        return password
