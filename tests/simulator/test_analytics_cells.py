"""Cell motion (Annex D): PackBits bitmaps, the cell grid, MinCount adjacency, the alarm delays,
the ActiveCells mask on a walking object, and MotionInCells in the metadata stream."""

from __future__ import annotations

import asyncio
import base64
import time

import pytest
from lxml import etree
from simclient import SoapFault, pull_messages, pull_point, xp

from simulator import config
from simulator.analytics_cells import (
    DEFAULT_LAYOUT,
    CellLayout,
    decode_cells,
    encode_cells,
    largest_group,
    packbits_decode,
    packbits_encode,
)
from simulator.camera import AnalyticsItem, SceneObject
from simulator.media import scene
from simulator.media.metadata import MetadataStream
from simulator.runtime import Runtime
from simulator.scene_rules import Engine, Sample, build

AN = "/onvif/analytics_service"
CT = "<tan:ConfigurationToken>VideoAnalyticsConfig_1</tan:ConfigurationToken>"
ALL = encode_cells([True] * DEFAULT_LAYOUT.cells)


def cell_rule(**simple: str) -> AnalyticsItem:
    return AnalyticsItem("M", "tt:CellMotionDetector", {"ActiveCells": ALL} | simple)


def test_packbits_round_trips_and_matches_the_annex_d_example():
    raw = bytes.fromhex("fffffff0f0f0")
    assert packbits_encode(raw) == bytes.fromhex("fefffef0")
    assert base64.b64encode(packbits_encode(raw)) == b"/v/+8A=="
    assert packbits_decode(base64.b64decode("/v/+8A==")) == raw
    for data in (b"", b"\x01", bytes(range(200)), b"\x00" * 300, b"ab" * 70 + b"c" * 129):
        assert packbits_decode(packbits_encode(data)) == data
    assert packbits_decode(b"\x80\x01\xaa\xbb") == b"\xaa\xbb"  # 128 (-128) is a no-op
    with pytest.raises(ValueError, match="cut short"):
        packbits_decode(b"\x05ab")


def test_cell_bitmaps_run_row_major_from_the_upper_left():
    cells = decode_cells("/v/+8A==", 48)  # Annex D: 8 x 6 cells
    rows = ["".join("1" if c else "0" for c in cells[r * 8 : r * 8 + 8]) for r in range(6)]
    assert rows == ["11111111"] * 3 + ["11110000"] * 3
    assert encode_cells(cells) == "/v/+8A=="
    assert decode_cells("/v/+8A==", 50)[48:] == [False, False]  # a short bitmap: the rest unset
    assert encode_cells([True] * 396) == "0P8A8A=="  # the last byte zero-padded
    with pytest.raises(ValueError, match="base64"):
        decode_cells("not base64!", 48)


def test_a_box_moves_the_cells_it_covers_enough_of():
    grid = CellLayout.full_frame(4, 2)  # cells 0.5 wide and 1 high; row 0 is the upper half
    box = (-0.9, 0.8, -0.4, 0.2)  # covers 48 % of cell 0 and 12 % of cell 1
    moved = lambda sensitivity: [n for n, on in enumerate(grid.motion([box], sensitivity)) if on]  # noqa: E731
    assert moved(100) == [0, 1]  # any overlap
    assert moved(60) == [0]  # at least 40 % of a cell
    assert moved(50) == [] and moved(0) == []
    # Figure D.1: 8 x 6 cells in a working area inside the picture
    annex = CellLayout(8, 6, (-0.66666, 0.6), (0.1666666, -0.2))
    centre_of_cell_2_1 = (-0.25, 0.3)
    x, y = centre_of_cell_2_1
    small = (x - 0.01, y + 0.01, x + 0.01, y - 0.01)
    assert [n for n, on in enumerate(annex.motion([small], 100)) if on] == [1 * 8 + 2]
    assert not any(annex.motion([(0.8, 0.9, 0.95, 0.7)], 100))  # outside the working area
    assert CellLayout.parse(config.CELL_LAYOUT).same_grid(DEFAULT_LAYOUT)
    assert DEFAULT_LAYOUT.translate == (-1.0, 1.0) and DEFAULT_LAYOUT.scale[1] < 0


def test_min_count_needs_that_many_edge_adjacent_cells():
    cells = [bool(int(c)) for c in "110001010011"]  # two groups of 3 touching diagonally
    assert largest_group(cells, 4) == 3
    grid = CellLayout.full_frame(4, 3)
    square = Sample(0.0, {1: (0.0, 0.0)}, {1: (-0.45, 0.3, 0.45, -0.95)})  # 2 x 2 cells
    for min_count, expected in (("4", "true"), ("5", "false")):
        rule = build(cell_rule(MinCount=min_count), Engine(grid, 100))
        (out,) = rule.step(None, square)
        assert out.data == [("IsMotion", expected)]


def test_alarm_delays_hold_back_the_transitions():
    rule = build(cell_rule(AlarmOnDelay="300", AlarmOffDelay="500"), Engine(DEFAULT_LAYOUT, 100))
    moving = {(0.1, 0.6), (1.0, 1.2)}  # (from, to): a stop of 0.4 s in between
    seen = []
    for n in range(60):
        t = n * 0.05
        boxes = {1: (-0.1, 0.1, 0.1, -0.1)} if any(a <= t < b for a, b in moving) else {}
        seen += [(round(t, 2), out.data[0][1]) for out in rule.step(None, Sample(t, {}, boxes))]
    # initial state at once; on 0.3 s after motion began; the 0.4 s stop is shorter than the
    # off delay; off 0.5 s after it ended
    assert seen == [(0.0, "false"), (0.4, "true"), (1.7, "false")]


def test_cell_rules_are_validated():
    for simple, words in (
        ({"ActiveCells": "###"}, "base64"),
        ({"MinCount": "0"}, "MinCount must be 1..396"),
        ({"AlarmOnDelay": "soon"}, "AlarmOnDelay must be an integer"),
        ({"ActiveCells": base64.b64encode(b"\x05ab").decode()}, "cut short"),
    ):
        with pytest.raises(ValueError, match=words):
            build(cell_rule(**simple))


async def test_only_active_cells_on_the_objects_path_report_motion(bullet, cams):
    camera = cams["bullet-analytics"]
    band = [8 <= n // 22 <= 9 for n in range(DEFAULT_LAYOUT.cells)]  # rows 8, 9: y -0.11..0.11
    top = [n // 22 == 0 for n in range(DEFAULT_LAYOUT.cells)]  # the top row
    rules = "".join(
        f"<tan:Rule Name='{name}' Type='tt:CellMotionDetector'><tt:Parameters>"
        f"<tt:SimpleItem Name='MinCount' Value='2'/>"
        f"<tt:SimpleItem Name='ActiveCells' Value='{encode_cells(cells)}'/>"
        "</tt:Parameters></tan:Rule>"
        for name, cells in (("OnPath", band), ("Away", top))
    )
    address = await pull_point(bullet, "tns1:RuleEngine/CellMotionDetector/Motion")
    await bullet.call(AN, f"<tan:CreateRules>{CT}{rules}</tan:CreateRules>")
    camera.runtime.scene.add(SceneObject(7, [-0.9, 0.0], [0.9, 0.0], period=0.6))
    seen: dict[str, set[str]] = {"OnPath": set(), "Away": set()}
    deadline = time.time() + 3
    while time.time() < deadline:
        for _, msg in await pull_messages(bullet, address, timeout="PT0.3S"):
            rule = xp(msg, "string(tt:Source/tt:SimpleItem[@Name='Rule']/@Value)")
            if rule in seen:
                seen[rule].add(xp(msg, "string(tt:Data/tt:SimpleItem[@Name='IsMotion']/@Value)"))
        if "true" in seen["OnPath"] and seen["Away"]:
            break
    assert "true" in seen["OnPath"]
    assert seen["Away"] == {"false"}
    broken = rules.replace("OnPath", "Broken").replace(encode_cells(band), "AAAA!")
    with pytest.raises(SoapFault) as err:
        await bullet.call(AN, f"<tan:CreateRules>{CT}{broken}</tan:CreateRules>")
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:InvalidRule"]
    assert "base64" in err.value.reason


def bullet_metadata():
    camera = next(c for c in config.load(base_port=0) if c.name == "bullet-analytics")
    Runtime(camera)
    cfg = camera.configs("Metadata")[0]
    pano = lambda: scene.panorama("test", 1280, 720)  # noqa: E731
    return camera, MetadataStream(camera, camera.video_sources[0], cfg, pano)


def test_metadata_frames_carry_the_cells_with_motion():
    camera, meta = bullet_metadata()
    doc = etree.fromstring(meta.document(4.2).encode())  # object 1 at x = 0.04
    ns = {"tt": "http://www.onvif.org/ver10/schema"}
    motion = doc.find("tt:VideoAnalytics/tt:Frame/tt:Extension/tt:MotionInCells", ns)
    assert (motion.get("Columns"), motion.get("Rows")) == ("22", "18")
    cells = decode_cells(motion.get("Cells"), 22 * 18)
    # the box the picture draws (0.07 x 0.24) covers 77 % of two cells of column 11, enough at
    # the module's Sensitivity of 60
    assert [n for n, on in enumerate(cells) if on] == [8 * 22 + 11, 9 * 22 + 11]
    (obj,) = camera.scene
    assert cells == DEFAULT_LAYOUT.motion([scene.box(obj, 4.2)], 60)
    camera.configs("Analytics")[0].modules.clear()  # no CellMotionEngine: no cells
    assert b"MotionInCells" not in meta.document(4.2).encode()


async def test_the_demo_cell_rule_sees_a_walker_in_the_right_half(cams):
    camera = cams["bullet-analytics"]
    sub = camera.runtime.events.subscribe(["tns1:RuleEngine/CellMotionDetector"], 60)
    camera.runtime.scene.add(SceneObject(8, [0.2, 0.5], [0.9, 0.5], period=0.5))
    for _ in range(40):
        await asyncio.sleep(0.05)
        if ("true",) in {tuple(v for _, v in m.data) for m in sub.queue}:
            break
    assert sub.queue[0].operation == "Initialized"
    assert any(dict(m.data) == {"IsMotion": "true"} for m in sub.queue)
