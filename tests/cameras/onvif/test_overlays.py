"""OSD and privacy mask wrappers against the simulator (OSDs over Media2 and Media1 only;
masks need Media2), and what is made of answers that lie."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from cameras.onvif import InvalidArgument, NotSupported
from cameras.onvif.masks import (
    create_mask,
    delete_mask,
    get_mask_options,
    get_masks,
    read_mask,
    set_mask,
)
from cameras.onvif.osd import (
    create_osd,
    delete_osd,
    get_osd_options,
    get_osds,
    read_osd,
    set_osd,
)
from cameras.onvif.overlay_types import Color, Mask, Osd, OsdColor
from simulator.camera import Camera
from tests.cameras.conftest import connected


@pytest.fixture(params=["media2", "media1"])
async def camera(request: pytest.FixtureRequest, fleet: dict[str, Camera]) -> Camera:
    camera = fleet["dual-sensor"]
    camera.quirks.media1_only = request.param == "media1"
    return camera


async def test_osd_options_are_read_with_every_choice(camera: Camera) -> None:
    onvif = await connected(camera)
    vsc = camera.configs("VideoSource")[0].token
    options = await get_osd_options(onvif, vsc)
    assert options.max_total == camera.max_osds
    assert options.max_by_type["DateAndTime"] == 1
    assert options.types == ("Text",)
    assert "LowerRight" in options.positions and "Custom" in options.positions
    assert options.text_types == ("Plain", "Date", "Time", "DateAndTime")
    assert options.font_size is not None and (options.font_size.min, options.font_size.max) == (
        8,
        64,
    )
    assert "yyyy-MM-dd" in options.date_formats and "HH:mm:ss" in options.time_formats
    assert options.font_colors is not None and len(options.font_colors.colors) == 4
    assert options.background_colors is not None
    assert options.background_colors.transparent is not None


async def test_an_osd_is_created_read_changed_and_deleted(camera: Camera) -> None:
    onvif = await connected(camera)
    vsc = camera.configs("VideoSource")[0].token
    red = OsdColor(Color(81, 90, 240))
    token = await create_osd(
        onvif,
        Osd(
            token="",
            source_token=vsc,
            position="LowerRight",
            text_type="DateAndTime",
            date_format="yyyy-MM-dd",
            time_format="HH:mm:ss",
            font_size=24,
            font_color=red,
        ),
    )
    assert token and [o.token for o in camera.osds] == [token]
    assert (camera.osds[0].position, camera.osds[0].text_type) == ("LowerRight", "DateAndTime")
    read = next(o for o in await get_osds(onvif, vsc) if o.token == token)
    assert (read.date_format, read.time_format, read.font_size) == ("yyyy-MM-dd", "HH:mm:ss", 24)
    assert read.font_color is not None and read.font_color.color.key == "81 90 240"

    moved = dataclasses.replace(
        read, position="Custom", point=(-0.5, 0.25), text_type="Plain", plain_text="Gate 3"
    )
    await set_osd(onvif, moved)
    sim = camera.osds[0]
    assert (sim.position, sim.x, sim.y, sim.plain_text) == ("Custom", -0.5, 0.25, "Gate 3")
    again = (await get_osds(onvif))[0]
    assert again.point == (-0.5, 0.25) and again.plain_text == "Gate 3"

    with pytest.raises(InvalidArgument):  # a size outside FontSizeRange
        await set_osd(onvif, dataclasses.replace(moved, font_size=200))
    await delete_osd(onvif, token)
    assert camera.osds == [] and await get_osds(onvif, vsc) == []
    with pytest.raises(InvalidArgument):
        await delete_osd(onvif, token)


async def test_masks_are_created_read_changed_and_deleted(fleet: dict[str, Camera]) -> None:
    camera = fleet["dual-sensor"]
    onvif = await connected(camera)
    vsc = camera.configs("VideoSource")[0].token
    options = await get_mask_options(onvif, vsc)
    assert (options.max_masks, options.max_points) == (camera.max_masks, camera.max_mask_points)
    assert options.types == ("Color", "Pixelated", "Blurred") and len(options.colors) == 2
    square = ((-0.5, 0.5), (0.0, 0.5), (0.0, 0.0), (-0.5, 0.0))
    token = await create_mask(
        onvif, Mask(token="", source_token=vsc, points=square, color=options.colors[1])
    )
    assert [m.token for m in camera.masks] == [token]
    read = (await get_masks(onvif, vsc))[0]
    assert read.points == square and read.type == "Color" and read.enabled
    assert read.color == options.colors[1]

    moved = tuple((x + 0.25, y - 0.25) for x, y in square)
    await set_mask(onvif, dataclasses.replace(read, points=moved, type="Pixelated"))
    assert camera.masks[0].points == [list(p) for p in moved]
    assert camera.masks[0].type == "Pixelated"

    five = (*square, (-0.25, 0.75))  # one point more than MaxPoints
    with pytest.raises(InvalidArgument) as refused:
        await create_mask(onvif, Mask(token="", source_token=vsc, points=five))
    assert "InvalidPolygon" in refused.value.detail
    await delete_mask(onvif, token)
    assert camera.masks == [] and await get_masks(onvif) == []


async def test_masks_need_media2(fleet: dict[str, Camera]) -> None:
    camera = fleet["dual-sensor"]
    camera.quirks.media1_only = True
    onvif = await connected(camera)
    with pytest.raises(NotSupported, match="Media2"):
        await get_masks(onvif)


def test_answers_that_lie_are_kept_out() -> None:
    no_token = SimpleNamespace(token="", VideoSourceConfigurationToken="V", Type="Text")
    assert read_osd(no_token) is None
    wild = SimpleNamespace(
        token="O1",
        VideoSourceConfigurationToken="V",
        Type="Text",
        Position=SimpleNamespace(Type="Custom", Pos=SimpleNamespace(x="7", y="nan")),
        TextString=SimpleNamespace(Type="Plain", PlainText=None, FontSize="-3"),
    )
    osd = read_osd(wild)
    assert osd is not None and osd.point is None and osd.font_size is None
    line = SimpleNamespace(
        token="M1",
        ConfigurationToken="V",
        Polygon=SimpleNamespace(
            Point=[SimpleNamespace(x="0", y="0"), SimpleNamespace(x="inf", y="1")]
        ),
    )
    assert read_mask(line) is None  # fewer than three usable points
    far = SimpleNamespace(
        token="M2",
        ConfigurationToken="V",
        Polygon=SimpleNamespace(Point=[SimpleNamespace(x=v, y=v) for v in ("-9", "0", "9")]),
        Enabled="false",
    )
    mask = read_mask(far)
    assert mask is not None and mask.points == ((-1.0, -1.0), (0.0, 0.0), (1.0, 1.0))
    assert not mask.enabled
