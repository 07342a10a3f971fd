"""Analytics of the cameras (clause 9): each camera's analytics configurations with what their
rule engine and analytics engine offer (supported types, options), and the rules and modules
they hold. Filled by the device sync (analytics.sync) and kept in step by every change made
through analytics.services; the camera stays the authority (every change is re-read)."""

from django.db import models


class AnalyticsConfiguration(models.Model):
    device = models.ForeignKey(
        "cameras.Device", on_delete=models.CASCADE, related_name="analytics_configurations"
    )
    token = models.CharField(max_length=64)
    name = models.CharField(max_length=100, blank=True)
    # The first media profile holding it (its live picture is the editor's) and the video
    # source configuration of that profile (rule events name it as their source).
    profile_token = models.CharField(max_length=64, blank=True)
    video_source_configuration = models.CharField(max_length=64, blank=True)
    capabilities = models.JSONField(default=dict, blank=True)  # tan:Capabilities, by flag
    supported_rules = models.JSONField(default=list, blank=True)  # [ConfigDescription]
    rule_limit = models.PositiveIntegerField(null=True, blank=True)
    rule_options = models.JSONField(default=list, blank=True)  # [ConfigOption]
    supported_modules = models.JSONField(default=list, blank=True)
    module_limit = models.PositiveIntegerField(null=True, blank=True)
    module_options = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["device", "token"]
        constraints = [
            models.UniqueConstraint(fields=["device", "token"], name="unique_analytics_config")
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.name or self.token}"


class AnalyticsItem(models.Model):
    """A rule or a module (tt:Config): name, type, simple parameters and element parameters
    (analytics.serialize: polylines, polygons, motion regions, cell layouts, raw XML)."""

    name = models.CharField(max_length=64)
    type = models.CharField(max_length=200)
    simple = models.JSONField(default=dict, blank=True)
    elements = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    @property
    def type_name(self) -> str:
        """ "tt:LineDetector" -> "Line detector"."""
        from analytics.serialize import type_label

        return type_label(self.type)


class AnalyticsRule(AnalyticsItem):
    configuration = models.ForeignKey(
        AnalyticsConfiguration, on_delete=models.CASCADE, related_name="rules"
    )

    class Meta(AnalyticsItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["configuration", "name"], name="unique_rule_name")
        ]


class AnalyticsModule(AnalyticsItem):
    configuration = models.ForeignKey(
        AnalyticsConfiguration, on_delete=models.CASCADE, related_name="modules"
    )

    class Meta(AnalyticsItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["configuration", "name"], name="unique_module_name")
        ]
