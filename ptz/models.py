from django.conf import settings
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
    max_tours = models.PositiveIntegerField(default=0)  # preset tours the camera can hold
    geo_move = models.BooleanField(default=False)
    home_supported = models.BooleanField(default=False)
    aux_commands = models.JSONField(default=list, blank=True)
    spaces = models.JSONField(default=list, blank=True)
    # Every space with its group and ranges: [{"group", "uri", "x": [min, max], "y": ...}]
    space_ranges = models.JSONField(default=list, blank=True)

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


class PtzAction(models.Model):
    """The audit log: one row per PTZ action or preset change (who, when, camera, what)."""

    class Action(models.TextChoices):
        MOVE = "move", "Move"
        STOP = "stop", "Stop"
        CENTER = "center", "Click to center"
        AREA_ZOOM = "area_zoom", "Area zoom"
        GOTO_PRESET = "goto_preset", "Go to preset"
        SET_PRESET = "set_preset", "Save preset"
        RENAME_PRESET = "rename_preset", "Rename preset"
        REMOVE_PRESET = "remove_preset", "Remove preset"
        GOTO_HOME = "goto_home", "Go home"
        SET_HOME = "set_home", "Set home"
        AUX = "aux", "Auxiliary command"
        FOCUS = "focus", "Focus"
        FOCUS_STOP = "focus_stop", "Stop focus"
        AUTO_FOCUS = "auto_focus", "Auto focus"
        ABSOLUTE_MOVE = "absolute_move", "Move to a position"
        RELATIVE_MOVE = "relative_move", "Move by a step"
        GEO_MOVE = "geo_move", "Point at a place"
        TOUR_START = "tour_start", "Start tour"
        TOUR_PAUSE = "tour_pause", "Pause tour"
        TOUR_STOP = "tour_stop", "Stop tour"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept when the user is deleted
    device = models.ForeignKey(
        "cameras.Device", on_delete=models.SET_NULL, null=True, related_name="ptz_actions"
    )
    camera = models.CharField(max_length=200)  # the device's name then; kept when it is deleted
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)  # a move's top speeds, preset, ...
    error = models.CharField(max_length=500, blank=True)  # the camera's refusal, in words

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.camera} {self.action}"
