from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator

from cameras.models import Device

host_validator = RegexValidator(
    r"^[A-Za-z0-9]([A-Za-z0-9.\-:]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:]+\]$",
    "Enter an IP address or a host name, without http:// or a path.",
)


class DeviceAddForm(forms.Form):
    host = forms.CharField(max_length=255, validators=[host_validator], label="Address")
    port = forms.IntegerField(
        initial=80, validators=[MinValueValidator(1), MaxValueValidator(65535)], label="HTTP port"
    )
    username = forms.CharField(max_length=100)
    password = forms.CharField(max_length=200, widget=forms.PasswordInput(render_value=False))
    name = forms.CharField(
        max_length=100, required=False, help_text="Leave empty to use the camera's own."
    )
    allow_plaintext = forms.BooleanField(
        required=False,
        label="Allow sending the password in clear text if the camera refuses digests",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        existing = Device.objects.filter(
            host=data.get("host", ""), port=data.get("port") or 0
        ).first()
        if existing is not None:
            raise forms.ValidationError(f"This camera is already added as “{existing}”.")
        return data


class CredentialsForm(forms.Form):
    username = forms.CharField(max_length=100)
    password = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the stored password.",
    )
    allow_plaintext = forms.BooleanField(
        required=False,
        label="Allow sending the password in clear text if the camera refuses digests",
    )
