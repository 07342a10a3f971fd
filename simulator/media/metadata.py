"""The metadata stream (application/vnd.onvif.metadata): tt:MetadataStream XML documents.

Five documents a second, each with one tt:Frame describing the synthetic objects the camera sees
(ids, classes, bounding boxes in the default normalised frame coordinates of the current view),
the PTZ status when the configuration asks for it, the cells with motion (tt:MotionInCells in the
frame's extension, when an analytics configuration of the source has a tt:CellMotionEngine: its
Layout and Sensitivity, from the boxes of the moving objects), and the events of the analytics
rules of the source, every rule type the event service evaluates
(``simulator.media.metadata_events``), as wsnt:NotificationMessage.
"""

from __future__ import annotations

import threading
import time

from simulator.analytics_cells import encode_cells
from simulator.camera import Camera, Configuration, SceneObject, VideoSource
from simulator.media import scene
from simulator.media.metadata_events import StreamRules, iso
from simulator.media.render import Renderer
from simulator.media.rtp_h264 import MTU_PAYLOAD
from simulator.media.stream import Source, Unit
from simulator.scene_rules import engine_of

RATE = 5.0  # documents per second
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tt:MetadataStream '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics">'
)


class MetadataStream(Source):
    kind = "metadata"

    def __init__(self, camera: Camera, source: VideoSource, cfg: Configuration, pano) -> None:
        super().__init__(f"{camera.name}/{source.token}/{cfg.token}")
        self.camera, self.source, self.cfg = camera, source, cfg
        self.renderer = Renderer(camera, source, pano)
        self.rules = StreamRules(camera)
        self.documents = 0

    def analytics(self) -> list[Configuration]:
        vscs = self.renderer.vsc_tokens()
        return [c for c in self.camera.configs("Analytics") if c.source in vscs]

    def document(self, utc: float, sync: bool = False) -> str:
        parts = [HEAD]
        objs = scene.objects(self.camera.scene)
        if self.cfg.analytics:
            parts.append(f'<tt:VideoAnalytics><tt:Frame UtcTime="{iso(utc)}">')
            if self.cfg.ptz_status:
                parts.append(self.ptz_status(utc))
            boxes = {obj.object_id: self.view_box(obj, utc) for obj in objs}
            parts += [self.describe(obj, boxes[obj.object_id]) for obj in objs]
            parts.append(self.motion_in_cells(objs, boxes))
            parts.append("</tt:Frame></tt:VideoAnalytics>")
        events = self.rules.events(self.analytics(), objs, utc, sync)
        if self.cfg.events and events:
            parts += ["<tt:Event>", *events, "</tt:Event>"]
        parts.append("</tt:MetadataStream>")
        return "".join(parts)

    def view_box(self, obj: SceneObject, utc: float) -> tuple[float, float, float, float] | None:
        """The object's bounding box in the view's normalised coordinates; None out of view."""
        pano = self.renderer.panorama()
        rect = self.renderer.view()
        left, top, right, bottom = scene.box(obj, utc)
        (x0, y0), (x1, y1) = pano.to_pixels(left, top), pano.to_pixels(right, bottom)
        nx = lambda px: max(-1.0, min(1.0, (px - rect.x) / rect.w * 2 - 1))  # noqa: E731
        ny = lambda py: max(-1.0, min(1.0, 1 - (py - rect.y) / rect.h * 2))  # noqa: E731
        bl, bt, br, bb = nx(x0), ny(y0), nx(x1), ny(y1)
        return None if br <= bl or bt <= bb else (bl, bt, br, bb)

    def describe(self, obj: SceneObject, box) -> str:
        if box is None:
            return ""  # out of view
        bl, bt, br, bb = box
        return (
            f'<tt:Object ObjectId="{obj.object_id}"><tt:Appearance><tt:Shape>'
            f'<tt:BoundingBox left="{bl:.4f}" top="{bt:.4f}" right="{br:.4f}" bottom="{bb:.4f}"/>'
            f'<tt:CenterOfGravity x="{(bl + br) / 2:.4f}" y="{(bt + bb) / 2:.4f}"/></tt:Shape>'
            f'<tt:Class><tt:Type Likelihood="0.9">{scene.object_class(obj)}</tt:Type></tt:Class>'
            "</tt:Appearance></tt:Object>"
        )

    def motion_in_cells(self, objs, boxes) -> str:
        """Annex D scene description: the cells the moving objects' boxes set in motion."""
        engine = next(
            (e for cfg in self.analytics() if (e := engine_of(cfg.modules)) is not None), None
        )
        if engine is None:
            return ""
        moving = [
            boxes[o.object_id]
            for o in objs
            if boxes[o.object_id] and o.period > 0 and list(o.start) != list(o.end)
        ]
        layout = engine.layout
        cells = encode_cells(layout.motion(moving, engine.sensitivity))
        return (
            f'<tt:Extension><tt:MotionInCells Columns="{layout.columns}" Rows="{layout.rows}" '
            f'Cells="{cells}"/></tt:Extension>'
        )

    def ptz_status(self, utc: float) -> str:
        pan, tilt, zoom = self.renderer.ptz()
        return (
            f'<tt:PTZStatus><tt:Position><tt:PanTilt x="{pan:.4f}" y="{tilt:.4f}"/>'
            f'<tt:Zoom x="{zoom:.4f}"/></tt:Position><tt:UtcTime>{iso(utc)}</tt:UtcTime>'
            "</tt:PTZStatus>"
        )

    def run(self, stop: threading.Event) -> None:
        next_t = time.monotonic()
        while not stop.is_set():
            now = time.monotonic()
            if now < next_t and not self.key_request.is_set():
                stop.wait(min(next_t - now, 0.05))
                continue
            next_t = max(next_t + 1.0 / RATE, now)
            sync = self.key_request.is_set()
            self.key_request.clear()
            utc = time.time()
            xml = self.document(utc, sync).encode()
            chunks = [xml[i : i + MTU_PAYLOAD] for i in range(0, len(xml), MTU_PAYLOAD)]
            payloads = [(c, i == len(chunks) - 1, None) for i, c in enumerate(chunks)]
            self.emit(Unit(time.monotonic(), payloads, True, utc))
            self.documents += 1
