"""Layout cells name live entries (a video source of a device) as strings, "12" for device
12's first source and "12:<source token>" for another, instead of device ids as numbers."""

from typing import Any

from django.db import migrations


def upgrade_cells(cells: Any) -> Any:
    """Device ids (numbers) as entry keys: the device's first source."""
    if not isinstance(cells, list):
        return cells
    return [str(c) if isinstance(c, int) and not isinstance(c, bool) else c for c in cells]


def downgrade_cells(cells: Any) -> Any:
    """Entry keys back to device ids (a source other than the first becomes its device)."""
    if not isinstance(cells, list):
        return cells
    ids = [c.partition(":")[0] if isinstance(c, str) else c for c in cells]
    return [int(c) if isinstance(c, str) and c.isdigit() else c for c in ids]


def _convert(apps: Any, change: Any) -> None:
    LiveView = apps.get_model("layouts", "LiveView")
    for view in LiveView.objects.all():
        cells = change(view.cells)
        if cells != view.cells:
            LiveView.objects.filter(pk=view.pk).update(cells=cells)


def forwards(apps: Any, schema_editor: Any) -> None:
    _convert(apps, upgrade_cells)


def backwards(apps: Any, schema_editor: Any) -> None:
    _convert(apps, downgrade_cells)


class Migration(migrations.Migration):
    dependencies = [("layouts", "0001_live_views")]

    operations = [migrations.RunPython(forwards, backwards)]
