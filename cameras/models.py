"""What the VMS knows about its cameras. Written by the sync (cameras.sync), never edited
behind the camera's back: to change a camera, change the camera, then sync."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from cameras.onvif.media_capabilities import MediaCapabilities
from vms import crypto


class CameraPermissions(models.Model):  # noqa: DJ008  (no rows, no str)
    """Holds the camera-wide permissions that roles grant; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_live", "Watch live video and events"),
            ("acknowledge_events", "Acknowledge events"),
            ("configure_cameras", "Add, configure and remove cameras"),
            ("talk", "Speak through the cameras' loudspeakers"),
            ("switch_outputs", "Switch the cameras' relay outputs"),
        ]


class Device(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Adding"
        ONLINE = "online", "Online"
        OFFLINE = "offline", "Offline"
        NEEDS_CREDENTIALS = "needs_credentials", "Needs credentials"
        UNSUPPORTED = "unsupported", "Unsupported"

    name = models.CharField(max_length=100)
    host = models.CharField(max_length=255, help_text="Address or DNS name the VMS uses.")
    port = models.PositiveIntegerField(default=80)
    username = models.CharField(max_length=100)
    password_encrypted = models.TextField(editable=False)
    allow_plaintext = models.BooleanField(
        default=False, help_text="Send the password in clear text if the camera refuses digests."
    )

    manufacturer = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    firmware = models.CharField(max_length=100, blank=True)
    serial = models.CharField(max_length=100, blank=True)
    hardware_id = models.CharField(max_length=100, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    services = models.JSONField(default=dict, blank=True)  # name -> {xaddr, advertised, version}
    clock_offset = models.FloatField(default=0.0, help_text="Camera clock minus ours, seconds.")
    # The media service's GetServiceCapabilities (cameras.onvif.media_capabilities), as JSON.
    media_capabilities = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    syncing = models.BooleanField(default=False)
    sync_step = models.CharField(max_length=300, blank=True)
    # When the running sync attempt started (None when none runs): a sync whose worker died
    # is found by its age and ended (cameras.sync.end_stale_syncs).
    sync_started = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    last_synced = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["host", "port"], name="unique_device_address")
        ]

    def __str__(self) -> str:
        return self.name or f"{self.host}:{self.port}"

    @property
    def password(self) -> str:
        return crypto.decrypt(self.password_encrypted) if self.password_encrypted else ""

    @password.setter
    def password(self, value: str) -> None:
        self.password_encrypted = crypto.encrypt(value)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def has_ptz(self) -> bool:
        return "ptz" in self.services

    @property
    def has_preset_tours(self) -> bool:
        """A PTZ node of this camera keeps preset tours (MaximumNumberOfPresetTours > 0)."""
        return self.has_ptz and self.ptz_nodes.filter(max_tours__gt=0).exists()

    @property
    def media(self) -> MediaCapabilities:
        return MediaCapabilities.from_json(self.media_capabilities or {})

    def record_error(self, message: str, status: str | None = None) -> None:
        """Keep the user-facing message of the last failure (and a new status, if given)."""
        self.last_error, self.last_error_at = message, timezone.now()
        fields = ["last_error", "last_error_at"]
        if status is not None:
            self.status = status
            fields.append("status")
        self.save(update_fields=fields)

    record_error.alters_data = True  # type: ignore[attr-defined]


class VideoSource(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="video_sources")
    token = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    framerate = models.FloatField(null=True, blank=True)
    imaging_ranges = models.JSONField(default=dict, blank=True)  # e.g. Brightness: [0, 100]
    imaging_modes = models.JSONField(default=dict, blank=True)
    focus_modes = models.JSONField(default=list, blank=True)
    # Remote focus (GetMoveOptions): the ranges of the moves offered, e.g.
    # {"continuous_speed": [-1, 1], "absolute_position": [0, 1]}; {} for a fixed focus.
    focus_moves = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["token"]
        constraints = [
            models.UniqueConstraint(fields=["device", "token"], name="unique_video_source_token")
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.token}"

    @property
    def continuous_focus(self) -> tuple[float, float] | None:
        """The continuous focus speed range, if the source offers continuous focus moves."""
        speed = self.focus_moves.get("continuous_speed")
        return (float(speed[0]), float(speed[1])) if speed else None


class MediaProfile(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="profiles")
    token = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)  # the camera's order: first = main
    fixed = models.BooleanField(default=False)
    video_source_token = models.CharField(max_length=64, blank=True)
    encoding = models.CharField(max_length=16, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    bitrate_kbps = models.PositiveIntegerField(null=True, blank=True)
    gov_length = models.PositiveIntegerField(null=True, blank=True)
    audio_encoding = models.CharField(max_length=16, blank=True)
    ptz_node_token = models.CharField(max_length=64, blank=True)
    has_metadata = models.BooleanField(default=False)
    has_audio_output = models.BooleanField(default=False, help_text="Has an audio back channel.")
    stream_uri = models.CharField(max_length=500, blank=True)
    snapshot_uri = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["device", "position"]
        constraints = [
            models.UniqueConstraint(fields=["device", "token"], name="unique_profile_token")
        ]

    def __str__(self) -> str:
        return f"{self.device} / {self.name}"

    @property
    def resolution(self) -> str:
        return f"{self.width}\u00d7{self.height}" if self.width and self.height else ""


class ConfigurationChange(models.Model):
    """One change an admin asked a camera to make (cameras.configure): who, when, what, the
    values before and after, and whether the camera did it. Kept when the user or the device
    is deleted (their names stay)."""

    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, related_name="configuration_changes"
    )
    device_name = models.CharField(max_length=100)
    user = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    topic = models.CharField(max_length=40)  # "Profile" or a configuration kind
    action = models.CharField(max_length=40)  # create, rename, delete, add, remove, set, ...
    target = models.CharField(max_length=64, blank=True)  # the token changed
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.topic}"
