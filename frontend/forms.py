from __future__ import annotations

from typing import Any

from django import forms
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.attrs["autofocus"] = True
