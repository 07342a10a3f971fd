from django.db import models


class CameraPermissions(models.Model):  # noqa: DJ008  (no rows, no str)
    """Holds the camera-wide permissions that roles grant; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_live", "Watch live video and events"),
            ("acknowledge_events", "Acknowledge events"),
            ("configure_cameras", "Add, configure and remove cameras"),
        ]
