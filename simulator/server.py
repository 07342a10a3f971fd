"""The HTTP/SOAP server: one aiohttp site per camera, dispatching to the service registry."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os

from aiohttp import web
from lxml import etree

from simulator import io, padding, quirks, xsd
from simulator.auth import (
    PRE_AUTH,
    READ_MEDIA,
    Authenticator,
    NeedsChallenge,
    allowed,
    not_authorized,
)
from simulator.camera import Camera, User
from simulator.media import CameraMedia
from simulator.runtime import Runtime
from simulator.services import Call, Service, by_path, load_all, ptz_tours
from simulator.soap import (
    NS,
    RECEIVER,
    SENDER,
    Fault,
    envelope,
    fault_envelope,
    local,
    not_supported,
    parse_request,
)

log = logging.getLogger(__name__)
SOAP_TYPE = "application/soap+xml"
VALIDATE = os.environ.get("SIMULATOR_VALIDATE") == "1"  # check every response against the XSDs
SUBSCRIPTION_PREFIX = "/onvif/subscription/"
DEVICE_PATH = "/onvif/device_service"
SUBSCRIPTION_OPS = {"PullMessages", "Renew", "Unsubscribe", "SetSynchronizationPoint", "Seek"}


class CameraServer:
    """Serves one camera on its own host:port; can go away and come back (SystemReboot)."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.runtime = camera.runtime or Runtime(camera)
        self.runtime.server = self
        self.runner: web.AppRunner | None = None
        self.media = CameraMedia(camera)  # RTSP/RTP (simulator/media), on camera.rtsp_port

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_post("/onvif/{service:.+}", self.handle)
        app.router.add_get("/snapshot/{token}", self.snapshot)
        app.router.add_route("*", "/rtsp-over-http/{token}", self.media.tunnel_handler)
        return app

    async def start(self) -> None:
        self.runner = web.AppRunner(
            self.app(), access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.camera.host, self.camera.port, reuse_address=True)
        await site.start()
        if not self.camera.port:  # port 0: take the one the OS gave us
            self.camera.port = self.runner.addresses[-1][1]
        await self.media.start()
        if not self.runtime.online:
            return
        self.runtime.scene.start()
        io.start(self.runtime)
        ptz_tours.autostart(self.camera)

    async def stop(self) -> None:
        await self.runtime.close()
        await self.runtime.events.close()
        await self.media.stop()
        if self.runner is not None:
            await self.runner.cleanup()

    async def reboot(self, downtime: float) -> None:
        """Go away (port closed) for ``downtime`` seconds, then come back with events reset."""
        self.runtime.online = False
        await asyncio.sleep(0.2)  # let the SystemReboot response go out first
        await self.runner.cleanup()  # listening socket and open connections all go away
        await self.media.stop()  # and so do the RTSP server and its sessions
        for task in list(self.runtime.tour_tasks.values()):
            task.cancel()
        self.runtime.events.subscriptions.clear()
        await asyncio.sleep(downtime)
        await self.start()
        self.runtime.online = True

    # -- HTTP -----------------------------------------------------------------------------------
    async def snapshot(self, request: web.Request) -> web.StreamResponse:
        """GET on a snapshot URI: HTTP Digest, READ_MEDIA (as on real cameras)."""
        auth = self.runtime.auth
        try:
            user = auth.check_http_digest(
                request.headers.get("Authorization"), request.method, request.path_qs
            )
        except NeedsChallenge as exc:
            user, stale = None, exc.stale
        else:
            stale = False
        if user is None or not allowed(user, READ_MEDIA):
            return web.Response(status=401, headers={"WWW-Authenticate": auth.challenge(stale)})
        return await self.media.snapshot_handler(request)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        return await padding.padded(request, self.camera, await self._handle(request))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        rt = self.runtime
        rt.requests += 1
        q = self.camera.quirks
        if q.drop_every and rt.requests % q.drop_every == 0:
            request.transport.close()  # type: ignore[union-attr]
            return web.Response(status=500)
        if q.slow_response:
            await asyncio.sleep(q.slow_response)
        data = await request.read()
        try:
            header, body = parse_request(data)
            svc, op_name = self.route(request.path, body)
            op = svc.operations[op_name]
            user = self.authenticate(request, header, op.access)
            call = Call(self.camera, body, header, user, request.path, request)
            result = op.handler(call)
            if inspect.isawaitable(result):
                result = await result
            if VALIDATE and result is not None and (errors := xsd.validate(result)):
                log.warning("%s: %s response breaks the XSD: %s", self.camera.name, op_name, errors)
            payload = quirks.mangle(self.camera, envelope(result))
            return web.Response(body=payload, status=200, headers=self.content_type())
        except NeedsChallenge as exc:
            fault = not_authorized("authentication required")
            return web.Response(
                body=fault_envelope(fault),
                status=401,
                headers={**self.content_type(), "WWW-Authenticate": rt.auth.challenge(exc.stale)},
            )
        except Fault as fault:
            return web.Response(
                body=fault_envelope(fault), status=fault.http_status, headers=self.content_type()
            )
        except web.HTTPException:
            raise
        except Exception:
            log.exception("%s: internal error", self.camera.name)
            fault = Fault(RECEIVER, ["ter:Action"], "internal error")
            return web.Response(body=fault_envelope(fault), status=500, headers=self.content_type())

    def content_type(self) -> dict[str, str]:
        kind = "text/xml" if self.camera.quirks.bad_xml else SOAP_TYPE
        return {"Content-Type": f"{kind}; charset=utf-8"}

    def route(self, path: str, body: etree._Element) -> tuple[Service, str]:
        name, ns = local(body), etree.QName(body).namespace
        services = load_all()
        if path.startswith(SUBSCRIPTION_PREFIX):
            if name not in SUBSCRIPTION_OPS:
                raise not_supported(reason=f"{name} is not a subscription manager operation")
            return services["events"], name
        svc = by_path(path)
        if svc is None:  # Sender faults go out as HTTP 400 (SOAP 1.2 HTTP binding)
            raise Fault(
                SENDER,
                ["ter:UnknownAction"],
                f"there is no service at {path}; GetServices on {DEVICE_PATH} lists them",
            )
        if not svc.available(self.camera):
            raise not_supported(reason=f"this camera has no {svc.key} service")
        if ns != svc.namespace:
            if any(ns == NS[p] for p in svc.extra_prefixes) and name in svc.operations:
                return svc, name
            raise Fault(SENDER, ["ter:Namespace"], f"{{{ns}}}{name} does not belong to {path}")
        if name not in svc.operations:
            raise not_supported(reason=f"{name} is not supported by this device")
        return svc, name

    def authenticate(self, request: web.Request, header, access: str) -> User | None:
        if access == PRE_AUTH:  # open to anyone; bad or stale credentials do not matter here
            try:
                return self.credentials(request, header)
            except (Fault, NeedsChallenge):
                return None
        user = self.credentials(request, header)
        if user is None:
            raise NeedsChallenge()
        if not allowed(user, access):
            raise not_authorized(f"user level {user.level} may not use {access} operations")
        return user

    def credentials(self, request: web.Request, header) -> User | None:
        """The user a request authenticates as (WS-UsernameToken, then HTTP Digest), or None."""
        auth: Authenticator = self.runtime.auth
        user = None
        if not self.camera.quirks.digest_only:
            user = auth.check_wsse(header)
        if user is None:
            user = auth.check_http_digest(
                request.headers.get("Authorization"), request.method, request.path_qs
            )
        return user


class Simulator:
    """All cameras of one process."""

    def __init__(self, cameras: list[Camera]) -> None:
        self.cameras = cameras
        self.servers = [CameraServer(c) for c in cameras]
        self.discovery = None

    async def start(self) -> None:
        await asyncio.gather(*(s.start() for s in self.servers))

    async def stop(self) -> None:
        if self.discovery is not None:
            await self.discovery.stop()
        await asyncio.gather(*(s.stop() for s in self.servers), return_exceptions=True)

    def server(self, camera: Camera) -> CameraServer:
        return next(s for s in self.servers if s.camera is camera)
