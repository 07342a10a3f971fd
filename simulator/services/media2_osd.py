"""Media2 on-screen displays (clause 6.10) and privacy masks (clause 6.11)."""

from __future__ import annotations

from simulator.auth import ACTUATE, READ_MEDIA
from simulator.camera import Camera
from simulator.services import Call
from simulator.services import media_common as mc
from simulator.services.media2 import svc
from simulator.soap import RECEIVER, E, Fault, action_failed, child, invalid_arg, text


# -- OSD --------------------------------------------------------------------------------------
def find_osd(c: Camera, token: str | None):
    osd = next((o for o in c.osds if o.token == token), None)
    if osd is None:
        raise invalid_arg("NoConfig", f"no OSD {token!r}")
    return osd


def create_osd_common(call: Call) -> str:
    c = call.camera
    osd = mc.parse_osd(c, child(call.body, "OSD"), c.next_token("OSD"))
    if sum(1 for o in c.osds if o.vsc == osd.vsc) >= c.max_osds:
        raise action_failed("MaxOSDs", "maximum number of OSDs reached")
    c.osds.append(osd)
    return osd.token


def set_osd_common(call: Call) -> None:
    c = call.camera
    el = child(call.body, "OSD")
    old = find_osd(c, el.get("token") if el is not None else None)
    try:
        new = mc.parse_osd(c, el, old.token)
    except Fault as fault:
        if fault.subcodes[-1:] == ["ter:ConfigModify"]:
            raise Fault(RECEIVER, ["ter:InvalidArgVal", "ter:ConfigModify"], fault.reason) from None
        raise
    c.osds[c.osds.index(old)] = new


def osd_options_common(call: Call, tag: str):
    token = text(call.body, "ConfigurationToken")
    if call.camera.config("VideoSource", token) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {token!r}")
    return mc.osd_options(call.camera, tag)


@svc.op("CreateOSD", ACTUATE)
def create_osd(call: Call):
    return E("tr2:CreateOSDResponse", E("tr2:OSDToken", create_osd_common(call)))


@svc.op("DeleteOSD", ACTUATE)
def delete_osd(call: Call):
    call.camera.osds.remove(find_osd(call.camera, text(call.body, "OSDToken")))
    return E("tr2:DeleteOSDResponse")


@svc.op("GetOSDs", READ_MEDIA)
def get_osds(call: Call):
    c = call.camera
    token, vsc = text(call.body, "OSDToken"), text(call.body, "ConfigurationToken")
    if token is not None:
        found = [find_osd(c, token)]
    elif vsc is not None:
        if c.config("VideoSource", vsc) is None:
            raise invalid_arg("NoConfig", f"no video source configuration {vsc!r}")
        found = [o for o in c.osds if o.vsc == vsc]
    else:
        found = c.osds
    return E("tr2:GetOSDsResponse", [mc.osd_xml(o, "tr2:OSDs") for o in found])


@svc.op("SetOSD", ACTUATE)
def set_osd(call: Call):
    set_osd_common(call)
    return E("tr2:SetOSDResponse")


@svc.op("GetOSDOptions", READ_MEDIA)
def get_osd_options(call: Call):
    return E("tr2:GetOSDOptionsResponse", osd_options_common(call, "tr2:OSDOptions"))


# -- privacy masks ----------------------------------------------------------------------------
def find_mask(c: Camera, token: str | None):
    mask = next((m for m in c.masks if m.token == token), None)
    if mask is None:
        raise invalid_arg("NoConfig", f"no mask {token!r}")
    return mask


@svc.op("CreateMask", ACTUATE)
def create_mask(call: Call):
    c = call.camera
    mask = mc.parse_mask(c, child(call.body, "Mask"), c.next_token("Mask"))
    if sum(1 for m in c.masks if m.vsc == mask.vsc) >= c.max_masks:
        raise action_failed("MaxMasks", "maximum number of masks reached")
    c.masks.append(mask)
    return E("tr2:CreateMaskResponse", E("tr2:Token", mask.token))


@svc.op("DeleteMask", ACTUATE)
def delete_mask(call: Call):
    call.camera.masks.remove(find_mask(call.camera, text(call.body, "Token")))
    return E("tr2:DeleteMaskResponse")


@svc.op("GetMasks", READ_MEDIA)
def get_masks(call: Call):
    c = call.camera
    token, vsc = text(call.body, "Token"), text(call.body, "ConfigurationToken")
    if token is not None:
        found = [find_mask(c, token)]
    elif vsc is not None:
        if c.config("VideoSource", vsc) is None:
            raise invalid_arg("NoConfig", f"no video source configuration {vsc!r}")
        found = [m for m in c.masks if m.vsc == vsc]
    else:
        found = c.masks
    return E("tr2:GetMasksResponse", [mc.mask_xml(m, "tr2:Masks") for m in found])


@svc.op("SetMask", ACTUATE)
def set_mask(call: Call):
    c = call.camera
    el = child(call.body, "Mask")
    old = find_mask(c, el.get("token") if el is not None else None)
    c.masks[c.masks.index(old)] = mc.parse_mask(c, el, old.token)
    return E("tr2:SetMaskResponse")


@svc.op("GetMaskOptions", READ_MEDIA)
def get_mask_options(call: Call):
    token = text(call.body, "ConfigurationToken")
    if call.camera.config("VideoSource", token) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {token!r}")
    color = E(
        "tr2:Color", E("tt:ColorList", X=16, Y=128, Z=128), E("tt:ColorList", X=235, Y=128, Z=128)
    )
    opts = E(
        "tr2:Options",
        E("tr2:MaxMasks", call.camera.max_masks),
        E("tr2:MaxPoints", call.camera.max_mask_points),
        [E("tr2:Types", t) for t in ("Color", "Pixelated", "Blurred")],
        color,
        RectangleOnly=False,
        SingleColorOnly=False,
    )
    return E("tr2:GetMaskOptionsResponse", opts)
