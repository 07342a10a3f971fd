from django.db import models


class PtzPermissions(models.Model):  # noqa: DJ008  (no rows, no str)
    """Holds the PTZ permissions that roles grant; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("operate_ptz", "Move PTZ cameras, use presets and aux commands")]


class PtzNode(models.Model):
    device = models.ForeignKey("cameras.Device", on_delete=models.CASCADE, related_name="ptz_nodes")
    token = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    max_presets = models.PositiveIntegerField(default=0)
    home_supported = models.BooleanField(default=False)
    aux_commands = models.JSONField(default=list, blank=True)
    spaces = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["token"]
        constraints = [models.UniqueConstraint(fields=["device", "token"], name="unique_ptz_node")]

    def __str__(self) -> str:
        return f"{self.device} {self.name}"


class PtzPreset(models.Model):
    node = models.ForeignKey(PtzNode, on_delete=models.CASCADE, related_name="presets")
    token = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    pan = models.FloatField(null=True, blank=True)
    tilt = models.FloatField(null=True, blank=True)
    zoom = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name", "token"]
        constraints = [models.UniqueConstraint(fields=["node", "token"], name="unique_ptz_preset")]

    def __str__(self) -> str:
        return self.name
