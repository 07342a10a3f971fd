"""Configuration entities as XML (shared by Media2, Media1, PTZ and Analytics), and back."""

from __future__ import annotations

from lxml import etree

from simulator.camera import OSD, Camera, Configuration, Mask
from simulator.soap import (
    E,
    child,
    children,
    invalid_arg,
    parse_bool,
    parse_duration,
    parse_float,
    text,
)

SPACE = "http://www.onvif.org/ver10/tptz/"
PT_POS = SPACE + "PanTiltSpaces/PositionGenericSpace"
Z_POS = SPACE + "ZoomSpaces/PositionGenericSpace"
PT_REL = SPACE + "PanTiltSpaces/TranslationGenericSpace"
Z_REL = SPACE + "ZoomSpaces/TranslationGenericSpace"
PT_VEL = SPACE + "PanTiltSpaces/VelocityGenericSpace"
Z_VEL = SPACE + "ZoomSpaces/VelocityGenericSpace"
PT_SPEED = SPACE + "PanTiltSpaces/GenericSpeedSpace"
Z_SPEED = SPACE + "ZoomSpaces/ZoomGenericSpeedSpace"
PT_POS_DEG = SPACE + "PanTiltSpaces/SphericalPositionSpaceDegrees"
PT_REL_DEG = SPACE + "PanTiltSpaces/SphericalTranslationSpaceDegrees"

V2_ENCODINGS = ("H264", "H265", "JPEG")
AUDIO_ENCODINGS = ("PCMU", "G726", "MP4A-LATM")
RESOLUTIONS = ((1920, 1080), (1280, 720), (640, 360), (2560, 1440), (1280, 960), (640, 480))
OSD_POSITIONS = ("UpperLeft", "UpperRight", "LowerLeft", "LowerRight", "Custom")
DATE_FORMATS = ("M/d/yyyy", "MM/dd/yyyy", "dd/MM/yyyy", "yyyy/MM/dd", "yyyy-MM-dd")
TIME_FORMATS = ("h:mm:ss tt", "hh:mm:ss tt", "H:mm:ss", "HH:mm:ss")


def entity(tag: str, cfg: Configuration, camera: Camera, *fields, **attrs) -> etree._Element:
    return E(
        tag,
        E("tt:Name", cfg.name),
        E("tt:UseCount", camera.use_count(cfg)),
        *fields,
        token=cfg.token,
        **attrs,
    )


def multicast(m) -> etree._Element:
    return E(
        "tt:Multicast",
        E("tt:Address", E("tt:Type", "IPv4"), E("tt:IPv4Address", m.address)),
        E("tt:Port", m.port),
        E("tt:TTL", m.ttl),
        E("tt:AutoStart", m.auto_start),
    )


def range_(tag: str, lo, hi) -> etree._Element:
    return E(tag, E("tt:Min", lo), E("tt:Max", hi))


def config_xml(camera: Camera, cfg: Configuration, tag: str, v1: bool = False) -> etree._Element:
    """Serialize a configuration as the Media2 (or Media1 where they differ) tt: type."""
    k = cfg.kind
    if k == "VideoSource":
        x, y, w, h = cfg.bounds
        return entity(
            tag,
            cfg,
            camera,
            E("tt:SourceToken", cfg.source),
            E("tt:Bounds", x=x, y=y, width=w, height=h),
        )
    if k == "VideoEncoder":
        return (
            video_encoder_v1(camera, cfg, tag)
            if v1
            else entity(
                tag,
                cfg,
                camera,
                E("tt:Encoding", cfg.encoding),
                E("tt:Resolution", E("tt:Width", cfg.width), E("tt:Height", cfg.height)),
                E(
                    "tt:RateControl",
                    E("tt:FrameRateLimit", cfg.fps),
                    E("tt:BitrateLimit", cfg.bitrate),
                    ConstantBitRate=False,
                ),
                multicast(cfg.multicast),
                E("tt:Quality", cfg.quality),
                GovLength=cfg.gov if cfg.encoding != "JPEG" else None,
                Profile=cfg.profile if cfg.encoding != "JPEG" else None,
            )
        )
    if k == "AudioSource":
        return entity(tag, cfg, camera, E("tt:SourceToken", cfg.source))
    if k == "AudioEncoder":
        if v1:
            return entity(
                tag,
                cfg,
                camera,
                E(
                    "tt:Encoding",
                    {"PCMU": "G711", "MP4A-LATM": "AAC"}.get(cfg.encoding, cfg.encoding),
                ),
                E("tt:Bitrate", cfg.bitrate),
                E("tt:SampleRate", cfg.sample_rate),
                multicast(cfg.multicast),
                E("tt:SessionTimeout", "PT60S"),
            )
        return entity(
            tag,
            cfg,
            camera,
            E("tt:Encoding", cfg.encoding),
            multicast(cfg.multicast),
            E("tt:Bitrate", cfg.bitrate),
            E("tt:SampleRate", cfg.sample_rate),
        )
    if k == "AudioOutput":
        return entity(
            tag,
            cfg,
            camera,
            E("tt:OutputToken", cfg.source),
            E("tt:SendPrimacy", cfg.send_primacy),
            E("tt:OutputLevel", cfg.level),
        )
    if k == "AudioDecoder":
        return entity(tag, cfg, camera)
    if k == "Metadata":
        return entity(
            tag,
            cfg,
            camera,
            E("tt:PTZStatus", E("tt:Status", cfg.ptz_status), E("tt:Position", cfg.ptz_status))
            if cfg.ptz_status
            else None,
            E("tt:Events") if cfg.events else None,
            E("tt:Analytics", cfg.analytics),
            multicast(cfg.multicast),
            E("tt:SessionTimeout", "PT60S"),
        )
    if k == "Analytics":
        return entity(
            tag,
            cfg,
            camera,
            E(
                "tt:AnalyticsEngineConfiguration",
                [item_xml("tt:AnalyticsModule", m) for m in cfg.modules],
            ),
            E("tt:RuleEngineConfiguration", [item_xml("tt:Rule", r) for r in cfg.rules]),
        )
    if k == "PTZ":
        return ptz_config_xml(camera, cfg, tag)
    raise ValueError(k)


def video_encoder_v1(camera: Camera, cfg: Configuration, tag: str) -> etree._Element:
    enc = {"H265": "H264"}.get(cfg.encoding, cfg.encoding)
    return entity(
        tag,
        cfg,
        camera,
        E("tt:Encoding", enc),
        E("tt:Resolution", E("tt:Width", cfg.width), E("tt:Height", cfg.height)),
        E("tt:Quality", cfg.quality),
        E(
            "tt:RateControl",
            E("tt:FrameRateLimit", int(cfg.fps)),
            E("tt:EncodingInterval", 1),
            E("tt:BitrateLimit", cfg.bitrate),
        ),
        E(
            "tt:H264",
            E("tt:GovLength", cfg.gov),
            E(
                "tt:H264Profile",
                cfg.profile if cfg.profile in ("Baseline", "Main", "Extended", "High") else "Main",
            ),
        )
        if enc == "H264"
        else None,
        multicast(cfg.multicast),
        E("tt:SessionTimeout", "PT60S"),
    )


def ptz_config_xml(camera: Camera, cfg: Configuration, tag: str) -> etree._Element:
    node = camera.node(cfg.source)
    lim = node.pan_limits + node.tilt_limits if node else [-1, 1, -1, 1]
    zlim = node.zoom_limits if node else [0, 1]
    if len(cfg.limits) == 6:
        lim, zlim = cfg.limits[:4], cfg.limits[4:]
    return entity(
        tag,
        cfg,
        camera,
        E("tt:NodeToken", cfg.source),
        E("tt:DefaultAbsolutePantTiltPositionSpace", PT_POS),
        E("tt:DefaultAbsoluteZoomPositionSpace", Z_POS),
        E("tt:DefaultRelativePanTiltTranslationSpace", PT_REL),
        E("tt:DefaultRelativeZoomTranslationSpace", Z_REL),
        E("tt:DefaultContinuousPanTiltVelocitySpace", PT_VEL),
        E("tt:DefaultContinuousZoomVelocitySpace", Z_VEL),
        E(
            "tt:DefaultPTZSpeed",
            E("tt:PanTilt", x=cfg.pt_speed, y=cfg.pt_speed, space=PT_SPEED),
            E("tt:Zoom", x=cfg.zoom_speed, space=Z_SPEED),
        ),
        E("tt:DefaultPTZTimeout", f"PT{cfg.timeout:g}S"),
        E(
            "tt:PanTiltLimits",
            E(
                "tt:Range",
                E("tt:URI", PT_POS),
                range_("tt:XRange", *lim[:2]),
                range_("tt:YRange", *lim[2:]),
            ),
        ),
        E("tt:ZoomLimits", E("tt:Range", E("tt:URI", Z_POS), range_("tt:XRange", *zlim))),
        E(
            "tt:Extension",
            E(
                "tt:PTControlDirection",
                E("tt:EFlip", E("tt:Mode", cfg.eflip)),
                E("tt:Reverse", E("tt:Mode", cfg.reverse)),
            ),
        ),
    )


def item_xml(tag: str, item) -> etree._Element:
    simple = [E("tt:SimpleItem", Name=n, Value=v) for n, v in item.simple.items()]
    elements = [E("tt:ElementItem", etree.fromstring(x), Name=n) for n, x in item.elements.items()]
    return E(tag, E("tt:Parameters", simple, elements), Name=item.name, Type=item.type)


# -- parsing (Set* requests) ----------------------------------------------------------------------
def apply_config(camera: Camera, cfg: Configuration, el: etree._Element) -> None:
    """Update ``cfg`` from a Set*Configuration element (validated before any change is made)."""
    name = text(el, "Name")
    if not name or len(name) > 64:
        raise invalid_arg("ConfigModify", "Name must be 1..64 characters")
    k, new = cfg.kind, {}
    if k == "VideoSource":
        b, source = child(el, "Bounds"), text(el, "SourceToken")
        vs = camera.video_source(source)
        if vs is None:
            raise invalid_arg("ConfigModify", f"no video source {source!r}")
        try:
            box = [int(b.get(a)) for a in ("x", "y", "width", "height")]
        except (TypeError, ValueError, AttributeError):
            raise invalid_arg("ConfigModify", "Bounds needs x, y, width, height") from None
        if box[0] < 0 or box[1] < 0 or box[0] + box[2] > vs.width or box[1] + box[3] > vs.height:
            raise invalid_arg("ConfigModify", "Bounds exceed the video source")
        new = {"source": source, "bounds": box}
    elif k == "VideoEncoder":
        new = _video_encoder(el)
    elif k == "AudioEncoder":
        enc = text(el, "Encoding")
        enc = {"G711": "PCMU", "AAC": "MP4A-LATM"}.get(enc, enc)
        if enc not in AUDIO_ENCODINGS:
            raise invalid_arg("ConfigModify", f"unsupported audio encoding {enc!r}")
        new = {
            "encoding": enc,
            "bitrate": int(text(el, "Bitrate", "64")),
            "sample_rate": int(text(el, "SampleRate", "8")),
        }
    elif k in ("AudioSource", "AudioOutput"):
        source = text(el, "SourceToken" if k == "AudioSource" else "OutputToken")
        pool = camera.audio_sources if k == "AudioSource" else camera.audio_outputs
        if source not in pool:
            raise invalid_arg("ConfigModify", f"no such input/output {source!r}")
        new = {"source": source}
        if k == "AudioOutput":
            level = int(text(el, "OutputLevel", "50"))
            if not 0 <= level <= 100:
                raise invalid_arg("ConfigModify", "OutputLevel out of range 0..100")
            new |= {"level": level, "send_primacy": text(el, "SendPrimacy", cfg.send_primacy)}
    elif k == "Metadata":
        ptz = child(el, "PTZStatus")
        new = {
            "analytics": parse_bool(text(el, "Analytics"), False),
            "events": child(el, "Events") is not None,
            "ptz_status": ptz is not None and parse_bool(text(ptz, "Status")),
        }
    if (m := child(el, "Multicast")) is not None:
        port = int(text(m, "Port", "0"))
        if port % 2:
            raise invalid_arg("ConfigModify", "multicast port must be even")
        cfg.multicast.address = text(child(m, "Address"), "IPv4Address", cfg.multicast.address)
        cfg.multicast.port, cfg.multicast.ttl = port, int(text(m, "TTL", "1"))
    cfg.name = name
    for key, value in new.items():
        setattr(cfg, key, value)


def _video_encoder(el: etree._Element) -> dict:
    enc = text(el, "Encoding")
    enc = {"MPV4-ES": "MPEG4", "H.264": "H264"}.get(enc, enc)
    if enc not in V2_ENCODINGS:
        raise invalid_arg("ConfigModify", f"unsupported encoding {enc!r}")
    res = child(el, "Resolution")
    try:
        size = (int(text(res, "Width")), int(text(res, "Height")))
    except (TypeError, ValueError):
        raise invalid_arg("ConfigModify", "Resolution needs Width and Height") from None
    if size not in RESOLUTIONS:
        raise invalid_arg("ConfigModify", f"unsupported resolution {size}")
    rc = child(el, "RateControl")
    out = {
        "encoding": enc,
        "width": size[0],
        "height": size[1],
        "quality": min(10.0, max(0.0, parse_float(text(el, "Quality"), 5.0))),
    }
    if rc is not None:
        fps = parse_float(text(rc, "FrameRateLimit"), 25.0)
        if not 1 <= fps <= 30:
            raise invalid_arg("ConfigModify", "FrameRateLimit out of range 1..30")
        # the spec wants an out-of-range bitrate clamped, not refused
        out |= {"fps": fps, "bitrate": min(16384, max(64, int(text(rc, "BitrateLimit", "4096"))))}
    gov = el.get("GovLength") or text(child(el, "H264"), "GovLength")
    if gov:
        out["gov"] = min(300, max(1, int(gov)))
    prof = el.get("Profile") or text(child(el, "H264"), "H264Profile")
    if prof:
        out["profile"] = prof
    return out


# -- OSD and masks ------------------------------------------------------------------------------
def osd_xml(osd: OSD, tag: str) -> etree._Element:
    pos = E(
        "tt:Position",
        E("tt:Type", osd.position),
        E("tt:Pos", x=osd.x, y=osd.y) if osd.position == "Custom" else None,
    )
    txt = img = None
    if osd.type == "Text":
        txt = E(
            "tt:TextString",
            E("tt:Type", osd.text_type),
            E("tt:DateFormat", osd.date_format) if osd.date_format else None,
            E("tt:TimeFormat", osd.time_format) if osd.time_format else None,
            E("tt:FontSize", osd.font_size) if osd.font_size else None,
            osd_color_xml("tt:FontColor", osd.font_color, 0),
            osd_color_xml("tt:BackgroundColor", osd.background_color, osd.background_transparent),
            E("tt:PlainText", osd.plain_text) if osd.text_type == "Plain" else None,
        )
    elif osd.type == "Image":
        img = E("tt:Image", E("tt:ImgPath", osd.image))
    return E(
        tag,
        E("tt:VideoSourceConfigurationToken", osd.vsc),
        E("tt:Type", osd.type),
        pos,
        txt,
        img,
        token=osd.token,
    )


# The colours the OSD text and its box may take (YCbCr, as tt:ColorOptions ColorList).
OSD_COLORS = (
    (235, 128, 128),
    (16, 128, 128),
    (81, 90, 240),
    (210, 16, 146),
)  # white black red yellow


def osd_color_xml(tag: str, color: list[float], transparent: int) -> etree._Element | None:
    if not color:
        return None
    return E(tag, E("tt:Color", X=color[0], Y=color[1], Z=color[2]), Transparent=transparent)


def parse_osd_color(el: etree._Element | None) -> tuple[list[float], int]:
    if el is None:
        return [], 0
    c = child(el, "Color")
    color = [parse_float(c.get(a), 0.0) for a in "XYZ"] if c is not None else []
    if color and tuple(int(v) for v in color) not in OSD_COLORS:
        raise invalid_arg("ConfigModify", f"colour {color} is not one GetOSDOptions offers")
    transparent = int(parse_float(el.get("Transparent"), 0.0))
    if transparent not in (0, 1):
        raise invalid_arg("ConfigModify", "Transparent must be 0 or 1")
    return color, transparent


def parse_osd(camera: Camera, el: etree._Element, token: str) -> OSD:
    vsc = text(el, "VideoSourceConfigurationToken")
    if camera.config("VideoSource", vsc) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {vsc!r}")
    kind = text(el, "Type")
    pos_el = child(el, "Position")
    pos = text(pos_el, "Type", "UpperLeft")
    if kind not in ("Text", "Image") or pos not in OSD_POSITIONS:
        raise invalid_arg("ConfigModify", "unsupported OSD Type or Position")
    osd = OSD(token, vsc, kind, pos)
    if pos == "Custom":
        p = child(pos_el, "Pos")
        osd.x, osd.y = (
            parse_float(p.get("x") if p is not None else None, 0.0),
            parse_float(p.get("y") if p is not None else None, 0.0),
        )
        if not (-1 <= osd.x <= 1 and -1 <= osd.y <= 1):
            raise invalid_arg("ConfigModify", "Pos must lie in [-1, 1]")
    ts = child(el, "TextString")
    if kind == "Text":
        osd.text_type = text(ts, "Type", "Plain")
        if osd.text_type not in ("Plain", "Date", "Time", "DateAndTime"):
            raise invalid_arg("ConfigModify", "unsupported text type")
        osd.plain_text = text(ts, "PlainText", "")
        osd.date_format = text(ts, "DateFormat", "") if "Date" in osd.text_type else ""
        osd.time_format = text(ts, "TimeFormat", "") if "Time" in osd.text_type else ""
        if "Date" in osd.text_type and osd.date_format not in DATE_FORMATS:
            osd.date_format = DATE_FORMATS[4]
        if osd.text_type.endswith("Time") and osd.time_format not in TIME_FORMATS:
            osd.time_format = TIME_FORMATS[3]
        osd.font_size = int(parse_float(text(ts, "FontSize", "0"), 0.0))
        if osd.font_size and not 8 <= osd.font_size <= 64:
            raise invalid_arg("ConfigModify", "FontSize must lie in 8..64")
        osd.font_color, _ = parse_osd_color(child(ts, "FontColor"))
        osd.background_color, osd.background_transparent = parse_osd_color(
            child(ts, "BackgroundColor")
        )
    else:
        osd.image = text(child(el, "Image"), "ImgPath", "")
    return osd


def osd_options(camera: Camera, tag: str) -> etree._Element:
    return E(
        tag,
        E(
            "tt:MaximumNumberOfOSDs",
            Total=camera.max_osds,
            PlainText=camera.max_osds,
            Date=1,
            Time=1,
            DateAndTime=1,
        ),
        E("tt:Type", "Text"),
        [E("tt:PositionOption", p) for p in OSD_POSITIONS],
        E(
            "tt:TextOption",
            [E("tt:Type", t) for t in ("Plain", "Date", "Time", "DateAndTime")],
            E("tt:FontSizeRange", E("tt:Min", 8), E("tt:Max", 64)),
            [E("tt:DateFormat", f) for f in DATE_FORMATS],
            [E("tt:TimeFormat", f) for f in TIME_FORMATS],
            _osd_color_options("tt:FontColor"),
            _osd_color_options("tt:BackgroundColor"),
        ),
    )


def _osd_color_options(tag: str) -> etree._Element:
    return E(
        tag,
        E("tt:Color", [E("tt:ColorList", X=x, Y=y, Z=z) for x, y, z in OSD_COLORS]),
        E("tt:Transparent", E("tt:Min", 0), E("tt:Max", 1)),
    )


def mask_xml(mask: Mask, tag: str) -> etree._Element:
    color = None
    if mask.color:
        color = E("tr2:Color", X=mask.color[0], Y=mask.color[1], Z=mask.color[2])
    return E(
        tag,
        E("tr2:ConfigurationToken", mask.vsc),
        E("tr2:Polygon", [E("tt:Point", x=x, y=y) for x, y in mask.points]),
        E("tr2:Type", mask.type),
        color,
        E("tr2:Enabled", mask.enabled),
        token=mask.token,
    )


def parse_mask(camera: Camera, el: etree._Element, token: str) -> Mask:
    vsc = text(el, "ConfigurationToken")
    if camera.config("VideoSource", vsc) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {vsc!r}")
    points = [
        [parse_float(p.get("x"), 0.0), parse_float(p.get("y"), 0.0)]
        for p in children(child(el, "Polygon"), "Point")
    ]
    if not 3 <= len(points) <= camera.max_mask_points or any(
        abs(v) > 1 for pt in points for v in pt
    ):
        raise _invalid_polygon()
    kind = text(el, "Type", "Color")
    if kind not in ("Color", "Pixelated", "Blurred"):
        raise invalid_arg("ConfigModify", f"unsupported mask type {kind!r}")
    c = child(el, "Color")
    color = [parse_float(c.get(a), 0.0) for a in "XYZ"] if c is not None else []
    return Mask(token, vsc, points, kind, parse_bool(text(el, "Enabled"), True), color)


def _invalid_polygon():
    from simulator.soap import RECEIVER, Fault

    return Fault(RECEIVER, ["ter:InvalidArgVal", "ter:InvalidPolygon"], "invalid mask polygon")


def duration_seconds(value: str | None, default: float) -> float:
    return default if value is None else parse_duration(value)
