from django.db import models


class PtzPermissions(models.Model):  # noqa: DJ008  (no rows, no str)
    """Holds the PTZ permissions that roles grant; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("operate_ptz", "Move PTZ cameras, use presets and aux commands")]
