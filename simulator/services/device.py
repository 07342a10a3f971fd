"""Device management (tds): what clients need to find, identify and authenticate to a camera."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from simulator.auth import (
    PRE_AUTH,
    READ_SYSTEM,
    READ_SYSTEM_SECRET,
    UNRECOVERABLE,
    WRITE_SYSTEM,
    NeedsChallenge,
)
from simulator.camera import Camera, Location
from simulator.services import SERVICES, Call, load_all, service
from simulator.soap import (
    SENDER,
    E,
    Fault,
    child,
    children,
    invalid_arg,
    not_supported,
    parse_bool,
    parse_float,
    text,
)

svc = service("device", "tds", "/onvif/device_service", version=(21, 12))
MAX_LOCATIONS = 4  # SystemCapabilities GeoLocationEntries
ENTITIES = ("Device", "VideoSource", "AudioSource")  # tt:Entity


def capabilities(camera: Camera):
    aux = " ".join(a for n in camera.ptz_nodes for a in n.aux_commands) or None
    return E(
        "tds:Capabilities",
        E(
            "tds:Network",
            IPFilter=False,
            ZeroConfiguration=False,
            IPVersion6=False,
            DynDNS=False,
            NTP=1,
            HostnameFromDHCP=False,
        ),
        E(
            "tds:Security",
            UsernameToken=not camera.quirks.digest_only,
            HttpDigest=True,
            **{"TLS1.2": False, "X.509Token": False},
        ),
        E(
            "tds:System",
            DiscoveryResolve=True,
            DiscoveryBye=True,
            RemoteDiscovery=False,
            SystemBackup=False,
            SystemLogging=False,
            HttpFirmwareUpgrade=False,
            GeoLocationEntries=MAX_LOCATIONS,
        ),
        E("tds:Misc", AuxiliaryCommands=aux) if aux else None,
    )


svc.capabilities = capabilities


def _date_time(t: float) -> list:
    d = datetime.fromtimestamp(t, UTC)
    return [
        E("tt:Time", E("tt:Hour", d.hour), E("tt:Minute", d.minute), E("tt:Second", d.second)),
        E("tt:Date", E("tt:Year", d.year), E("tt:Month", d.month), E("tt:Day", d.day)),
    ]


def _authenticated_for_clock(call: Call) -> bool:
    """The auth_clock quirk: the clock is read only with a valid WS-UsernameToken (its ONVIF
    users are not HTTP users), or with HTTP Digest on a camera that ignores WS-Security."""
    if call.user is None:
        return False
    token = child(child(call.header, "Security"), "UsernameToken")
    return call.camera.quirks.digest_only or token is not None


@svc.op("GetSystemDateAndTime", PRE_AUTH)
def get_system_date_and_time(call: Call):
    c = call.camera
    if c.quirks.auth_clock and not _authenticated_for_clock(call):
        raise NeedsChallenge()  # PRE_AUTH by the standard; this camera wants credentials
    now = c.clock()
    return E(
        "tds:GetSystemDateAndTimeResponse",
        E(
            "tds:SystemDateAndTime",
            E("tt:DateTimeType", "NTP" if c.ntp else "Manual"),
            E("tt:DaylightSavings", False),
            E("tt:TimeZone", E("tt:TZ", c.timezone)),
            E("tt:UTCDateTime", _date_time(now)),
            E("tt:LocalDateTime", _date_time(now)),
        ),
    )


@svc.op("SetSystemDateAndTime", WRITE_SYSTEM)
def set_system_date_and_time(call: Call):
    c, body = call.camera, call.body
    kind = text(body, "DateTimeType")
    if kind not in ("Manual", "NTP"):
        raise invalid_arg("InvalidArgs", "DateTimeType must be Manual or NTP")
    parse_bool(text(body, "DaylightSavings"))
    tz = text(child(body, "TimeZone"), "TZ")
    if tz is not None:
        if not tz or len(tz) > 64:
            raise invalid_arg("InvalidTimeZone", "invalid POSIX time zone")
        c.timezone = tz
    c.ntp = kind == "NTP"
    utc = child(body, "UTCDateTime")
    if kind == "Manual" and utc is not None:
        t, d = child(utc, "Time"), child(utc, "Date")
        try:
            when = datetime(
                int(text(d, "Year")),
                int(text(d, "Month")),
                int(text(d, "Day")),
                int(text(t, "Hour")),
                int(text(t, "Minute")),
                int(text(t, "Second")),
                tzinfo=UTC,
            )
        except (TypeError, ValueError):
            raise invalid_arg("InvalidDateTime", "invalid date or time") from None
        c.quirks.clock_offset = when.timestamp() - time.time()
    return E("tds:SetSystemDateAndTimeResponse")


@svc.op("GetDeviceInformation", READ_SYSTEM)
def get_device_information(call: Call):
    i = call.camera.identity
    return E(
        "tds:GetDeviceInformationResponse",
        E("tds:Manufacturer", i.manufacturer),
        E("tds:Model", i.model),
        E("tds:FirmwareVersion", i.firmware),
        E("tds:SerialNumber", i.serial),
        E("tds:HardwareId", i.hardware_id),
    )


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tds:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetServices", PRE_AUTH)
def get_services(call: Call):
    c = call.camera
    if c.quirks.no_get_services:
        raise not_supported(reason="GetServices is not implemented by this device")
    include = parse_bool(text(call.body, "IncludeCapability"), False)
    out = []
    for s in load_all().values():
        if not s.available(c):
            continue
        caps = None
        if include and s.capabilities is not None:
            caps = E("tds:Capabilities", s.capabilities(c))
        out.append(
            E(
                "tds:Service",
                E("tds:Namespace", s.namespace),
                E("tds:XAddr", call.rt.url(s.path)),
                caps,
                E("tds:Version", E("tt:Major", s.version[0]), E("tt:Minor", s.version[1])),
            )
        )
    return E("tds:GetServicesResponse", out)


@svc.op("GetCapabilities", PRE_AUTH)
def get_capabilities(call: Call):
    c, rt = call.camera, call.rt
    wanted = {x.text for x in children(call.body, "Category")} or {"All"}
    want = lambda cat: "All" in wanted or cat in wanted  # noqa: E731
    url = lambda key: rt.url(SERVICES[key].path)  # noqa: E731
    analytics = device = events = imaging = media = ptz = extension = None
    if want("Analytics") and c.has_analytics:
        analytics = E(
            "tt:Analytics",
            E("tt:XAddr", url("analytics")),
            E("tt:RuleSupport", True),
            E("tt:AnalyticsModuleSupport", True),
        )
    if want("Device"):
        device = E(
            "tt:Device",
            E("tt:XAddr", url("device")),
            E(
                "tt:Network",
                E("tt:IPFilter", False),
                E("tt:ZeroConfiguration", False),
                E("tt:IPVersion6", False),
                E("tt:DynDNS", False),
            ),
            E(
                "tt:System",
                E("tt:DiscoveryResolve", True),
                E("tt:DiscoveryBye", True),
                E("tt:RemoteDiscovery", False),
                E("tt:SystemBackup", False),
                E("tt:SystemLogging", False),
                E("tt:FirmwareUpgrade", False),
                E("tt:SupportedVersions", E("tt:Major", 2), E("tt:Minor", 60)),
            ),
            E("tt:IO", E("tt:InputConnectors", 0), E("tt:RelayOutputs", 0)),
            E(
                "tt:Security",
                *(
                    E(f"tt:{n}", False)
                    for n in (
                        "TLS1.1",
                        "TLS1.2",
                        "OnboardKeyGeneration",
                        "AccessPolicyConfig",
                        "X.509Token",
                        "SAMLToken",
                        "KerberosToken",
                        "RELToken",
                    )
                ),
            ),
        )
    if want("Events"):
        events = E(
            "tt:Events",
            E("tt:XAddr", url("events")),
            E("tt:WSSubscriptionPolicySupport", False),
            E("tt:WSPullPointSupport", True),
            E("tt:WSPausableSubscriptionManagerInterfaceSupport", False),
        )
    if want("Imaging"):
        imaging = E("tt:Imaging", E("tt:XAddr", url("imaging")))
    if want("Media"):
        media = E(
            "tt:Media",
            E("tt:XAddr", url("media")),
            E(
                "tt:StreamingCapabilities",
                E("tt:RTPMulticast", True),
                E("tt:RTP_TCP", True),
                E("tt:RTP_RTSP_TCP", True),
            ),
            E(
                "tt:Extension",
                E("tt:ProfileCapabilities", E("tt:MaximumNumberOfProfiles", c.max_profiles)),
            ),
        )
    if want("PTZ") and c.has_ptz:
        ptz = E("tt:PTZ", E("tt:XAddr", url("ptz")))
    if "All" in wanted:
        extension = E(
            "tt:Extension",
            E(
                "tt:DeviceIO",
                E("tt:XAddr", url("deviceio")),
                E("tt:VideoSources", len(c.video_sources)),
                E("tt:VideoOutputs", len(c.video_outputs)),
                E("tt:AudioSources", len(c.audio_sources)),
                E("tt:AudioOutputs", len(c.audio_outputs)),
                E("tt:RelayOutputs", 0),
            ),
        )
    if not any(x is not None for x in (analytics, device, events, imaging, media, ptz)):
        raise not_supported("NoSuchService", "the device has none of the requested categories")
    caps = E("tds:Capabilities", analytics, device, events, imaging, media, ptz, extension)
    return E("tds:GetCapabilitiesResponse", caps)


@svc.op("GetScopes", READ_SYSTEM)
def get_scopes(call: Call):
    scopes = [
        E("tds:Scopes", E("tt:ScopeDef", "Fixed"), E("tt:ScopeItem", s)) for s in call.camera.scopes
    ]
    return E("tds:GetScopesResponse", scopes)


@svc.op("GetNetworkInterfaces", READ_SYSTEM)
def get_network_interfaces(call: Call):
    c = call.camera
    host = call.rt.advertised.rsplit(":", 1)[0]
    return E(
        "tds:GetNetworkInterfacesResponse",
        E(
            "tds:NetworkInterfaces",
            E("tt:Enabled", True),
            E(
                "tt:Info",
                E("tt:Name", "eth0"),
                E("tt:HwAddress", c.identity.mac),
                E("tt:MTU", 1500),
            ),
            E(
                "tt:IPv4",
                E("tt:Enabled", True),
                E(
                    "tt:Config",
                    E("tt:Manual", E("tt:Address", host), E("tt:PrefixLength", 8)),
                    E("tt:DHCP", False),
                ),
            ),
            token="eth0",
        ),
    )


@svc.op("GetHostname", READ_SYSTEM)
def get_hostname(call: Call):
    info = E("tds:HostnameInformation", E("tt:FromDHCP", False), E("tt:Name", call.camera.name))
    return E("tds:GetHostnameResponse", info)


@svc.op("GetUsers", READ_SYSTEM_SECRET)
def get_users(call: Call):
    users = [
        E("tds:User", E("tt:Username", u.name), E("tt:UserLevel", u.level))
        for u in call.camera.users
    ]
    return E("tds:GetUsersResponse", users)


@svc.op("GetWsdlUrl", PRE_AUTH)
def get_wsdl_url(call: Call):
    return E("tds:GetWsdlUrlResponse", E("tds:WsdlUrl", "http://www.onvif.org/ver10/device/wsdl"))


@svc.op("SystemReboot", UNRECOVERABLE)
def system_reboot(call: Call):
    c = call.camera
    server = call.rt.server
    if server is not None:
        call.rt.spawn(server.reboot(c.reboot_seconds))
    return E("tds:SystemRebootResponse", E("tds:Message", f"Rebooting in {c.reboot_seconds:g} s"))


@svc.op("GetNetworkProtocols", READ_SYSTEM)
def get_network_protocols(call: Call):
    port = int(call.rt.advertised.rsplit(":", 1)[1])
    protocols = [("HTTP", True, port), ("HTTPS", False, 443), ("RTSP", True, call.camera.rtsp_port)]
    return E(
        "tds:GetNetworkProtocolsResponse",
        [
            E("tds:NetworkProtocols", E("tt:Name", n), E("tt:Enabled", on), E("tt:Port", p))
            for n, on, p in protocols
        ],
    )


@svc.op("GetDiscoveryMode", READ_SYSTEM)
def get_discovery_mode(call: Call):
    return E("tds:GetDiscoveryModeResponse", E("tds:DiscoveryMode", "Discoverable"))


@svc.op("GetNTP", READ_SYSTEM)
def get_ntp(call: Call):
    manual = E("tt:NTPManual", E("tt:Type", "IPv4"), E("tt:IPv4Address", "127.0.0.1"))
    info = E("tds:NTPInformation", E("tt:FromDHCP", False), manual if call.camera.ntp else None)
    return E("tds:GetNTPResponse", info)


@svc.op("GetDNS", READ_SYSTEM)
def get_dns(call: Call):
    info = E("tds:DNSInformation", E("tt:FromDHCP", False), E("tt:SearchDomain", "local"))
    return E("tds:GetDNSResponse", info)


# -- geo location (Core 8.3: GetGeoLocation, SetGeoLocation, DeleteGeoLocation) ---------------
def _location_xml(x: Location):
    where, facing = (x.lon, x.lat, x.elevation), (x.roll, x.pitch, x.yaw)
    return E(
        "tds:Location",
        E("tt:GeoLocation", lon=x.lon, lat=x.lat, elevation=x.elevation)
        if any(v is not None for v in where)
        else None,
        E("tt:GeoOrientation", roll=x.roll, pitch=x.pitch, yaw=x.yaw)
        if any(v is not None for v in facing)
        else None,
        Entity=x.entity,
        Token=x.token or None,
        Fixed=x.fixed,
    )


def _read_location(el) -> Location:
    geo, facing = child(el, "GeoLocation"), child(el, "GeoOrientation")
    got = lambda e, key: parse_float(e.get(key)) if e is not None else None  # noqa: E731
    x = Location(
        entity=el.get("Entity") or "Device",
        token=el.get("Token") or "",
        fixed=parse_bool(el.get("Fixed"), False),
        lon=got(geo, "lon"),
        lat=got(geo, "lat"),
        elevation=got(geo, "elevation"),
        roll=got(facing, "roll"),
        pitch=got(facing, "pitch"),
        yaw=got(facing, "yaw"),
    )
    if x.entity not in ENTITIES:
        raise invalid_arg("InvalidArgs", f"Entity must be one of {', '.join(ENTITIES)}")
    if not (-180 <= (x.lon or 0.0) <= 180 and -90 <= (x.lat or 0.0) <= 90):
        raise invalid_arg("InvalidArgs", "lon/lat outside -180..180 / -90..90 degrees")
    return x


def _same(a: Location, b: Location) -> bool:
    return (a.entity, a.token) == (b.entity, b.token)


@svc.op("GetGeoLocation", READ_SYSTEM)
def get_geo_location(call: Call):
    locations = [_location_xml(x) for x in call.camera.locations]
    return E("tds:GetGeoLocationResponse", locations)


@svc.op("SetGeoLocation", WRITE_SYSTEM)
def set_geo_location(call: Call):
    """Each entry replaces the one of the same Entity and Token (a fixed one stays fixed), or
    is added; all or nothing."""
    c = call.camera
    entries = [_read_location(el) for el in children(call.body, "Location")]
    if not entries:
        raise invalid_arg("InvalidArgs", "SetGeoLocation needs a Location")
    kept = list(c.locations)
    for new in entries:
        old = next((i for i, x in enumerate(kept) if _same(x, new)), None)
        if old is None:
            kept.append(new)
        else:
            new.fixed = new.fixed or kept[old].fixed
            kept[old] = new
    if len(kept) > MAX_LOCATIONS:
        raise invalid_arg("InvalidArgs", f"the device keeps at most {MAX_LOCATIONS} locations")
    c.locations = kept
    return E("tds:SetGeoLocationResponse")


@svc.op("DeleteGeoLocation", WRITE_SYSTEM)
def delete_geo_location(call: Call):
    c = call.camera
    entries = [_read_location(el) for el in children(call.body, "Location")]
    if not entries:
        raise invalid_arg("InvalidArgs", "DeleteGeoLocation needs a Location")
    kept = list(c.locations)
    for gone in entries:
        found = next((x for x in kept if _same(x, gone)), None)
        if found is None:
            raise invalid_arg("NoEntity", f"no location entry for {gone.entity} {gone.token!r}")
        if found.fixed:
            raise Fault(SENDER, ["ter:OperationProhibited"], "a fixed location cannot be deleted")
        kept.remove(found)
    c.locations = kept
    return E("tds:DeleteGeoLocationResponse")
