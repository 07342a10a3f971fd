from django.conf import settings
from django.db import models


class LiveView(models.Model):
    """A grid of cameras on the live page. The unnamed one is the user's working layout (the
    page opens with it); named ones are saved views, shared with everyone if `shared`."""

    class Grid(models.IntegerChoices):
        ONE = 1, "1 camera"
        FOUR = 4, "2 by 2"
        NINE = 9, "3 by 3"
        SIXTEEN = 16, "4 by 4"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_views"
    )
    name = models.CharField(max_length=100, blank=True)
    grid = models.PositiveSmallIntegerField(choices=Grid.choices, default=Grid.FOUR)
    # One live entry key per cell ("12", "12:VideoSource_2"; layouts.services.cameras) or
    # null, 16 of them whatever the grid shows.
    cells = models.JSONField(default=list, blank=True)
    shared = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_live_view_name")
        ]

    def __str__(self) -> str:
        return self.name or f"{self.owner} (working layout)"
