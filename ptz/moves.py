"""The audit row of a continuous move: one per drag of the stick (or held key, or gamepad push),
however often the browser renews it, holding the strongest velocity asked on each axis.

A drag starts at the centre of the stick (its first move asks for 0) and the speed comes with
the renewals, so the row is written with the first move and brought up to date when the drag
ends (stop, refusal or closed socket): two writes per drag at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from channels.db import database_sync_to_async

from ptz.models import PtzAction


def strongest(old: float, new: float | None) -> float:
    """The velocity of larger magnitude (its sign kept); an axis left out changes nothing."""
    return new if new is not None and abs(new) > abs(old) else old


@dataclass
class Drag:
    """One continuous move of one camera from its first message to its end."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0
    row: int | None = None  # the audit row, once written
    written: str = ""  # the detail that row holds

    def ask(self, pan: float | None, tilt: float | None, zoom: float | None) -> None:
        self.pan = strongest(self.pan, pan)
        self.tilt = strongest(self.tilt, tilt)
        self.zoom = strongest(self.zoom, zoom)

    @property
    def detail(self) -> str:
        return f"pan {self.pan:+.2f} tilt {self.tilt:+.2f} zoom {self.zoom:+.2f}"

    def written_as(self, row: int, detail: str) -> None:
        self.row, self.written = row, detail


async def record(drag: Drag) -> None:
    """Bring the drag's audit row up to its strongest velocities (nothing to do when it is, or
    before the row is written: the writer calls this again)."""
    detail = drag.detail
    if drag.row is not None and detail != drag.written:
        drag.written = detail
        await _update(drag.row, detail)


@database_sync_to_async
def _update(row: int, detail: str) -> None:
    PtzAction.objects.filter(pk=row).update(detail=detail)
