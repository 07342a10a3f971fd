"""An async ONVIF client for one camera.

    async with OnvifClient("127.0.0.1", 8080, "admin", "secret") as camera:
        await camera.connect()          # clock offset, services
        info = await get_device_information(camera)

The WSDLs are parsed once per process (cameras.onvif.wsdl); a client is a few small
objects. Every call has a deadline; every failure is one of cameras.onvif.errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import zeep
from lxml import etree
from zeep.proxy import AsyncServiceProxy
from zeep.wsa import WsAddressingPlugin

from cameras.onvif import wsdl
from cameras.onvif.errors import AuthenticationFailed, DeviceUnreachable, NotSupported, OnvifError
from cameras.onvif.faults import is_auth_fault, translate
from cameras.onvif.plugins import ForgivingBooleans, UndeclaredPrefixes
from cameras.onvif.security import UsernameToken
from cameras.onvif.transport import CameraTransport

logger = logging.getLogger(__name__)

DEVICE_PATH = "/onvif/device_service"
SERVICE_LABELS = {"media": "Media", "media2": "Media2", "ptz": "PTZ", "imaging": "Imaging"}

# Bindings called only at addresses the camera gives (never listed by GetServices).
ADDRESSED = {
    "producer": wsdl.ServiceSpec(
        "producer", wsdl.SERVICES["events"].namespace, wsdl.SERVICES["events"].wsdl,
        "NotificationProducerBinding",
    ),
}  # fmt: skip

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
SOAP_FAULTS = ("{http://www.w3.org/2003/05/soap-envelope}Fault",
               "{http://schemas.xmlsoap.org/soap/envelope/}Fault")  # fmt: skip


class OnvifClient:
    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        timeout: float = 10.0,
        allow_plaintext: bool = False,
        clock_offset: float = 0.0,
    ) -> None:
        self.host, self.port = host, port
        self.timeout = timeout
        self.allow_plaintext = allow_plaintext
        self.token = UsernameToken(username, password)
        self.token.clock_offset = clock_offset
        self.transport = CameraTransport(username, password, timeout=timeout)
        self.xaddrs: dict[str, str] = {"device": self.rewrite(f"http://{self.where}{DEVICE_PATH}")}
        self.advertised: dict[str, str] = {}
        self._proxies: dict[tuple[str, bool | str], Any] = {}
        self.calls = 0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def clock_offset(self) -> float:
        return self.token.clock_offset

    async def __aenter__(self) -> OnvifClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Nothing to release: the connection pool is shared (cameras.onvif.transport)."""

    def rewrite(self, xaddr: str) -> str:
        """The advertised address with the host and port the admin entered (NAT, DNS names)."""
        parts = urlsplit(xaddr)
        return urlunsplit(("http", self.where, parts.path or "/", parts.query, ""))

    def offers(self, service: str) -> bool:
        return service in self.xaddrs

    def use_services(self, advertised: dict[str, str]) -> None:
        self.advertised = dict(advertised)
        self.xaddrs = {"device": self.xaddrs["device"]} | {
            name: self.rewrite(url) for name, url in advertised.items()
        }
        self._proxies.clear()

    def _proxy(
        self, service: str, *, authenticated: bool = True, address: str | None = None
    ) -> Any:
        key = (service, authenticated) if address is None else (service, address)
        if key not in self._proxies:
            if address is None and service not in self.xaddrs:
                label = SERVICE_LABELS.get(service, service)
                raise NotSupported(f"The camera does not offer the {label} service.")
            spec = wsdl.SERVICES.get(service) or ADDRESSED[service]
            plugins: list[Any] = [ForgivingBooleans(), UndeclaredPrefixes()]
            if address is not None:  # WS-Addressing: the resource is named by wsa:To
                plugins.append(WsAddressingPlugin())
            client = zeep.AsyncClient(
                wsdl.document(spec.wsdl),
                wsse=self.token if authenticated else None,
                transport=self.transport,
                settings=wsdl.SETTINGS,
                plugins=plugins,
            )
            binding = client.wsdl.bindings[wsdl.binding_name(spec)]
            where = self.xaddrs[service] if address is None else self.rewrite(address)
            self._proxies[key] = AsyncServiceProxy(client, binding, address=where)
        return self._proxies[key]

    def forget(self, address: str) -> None:
        """Drop the proxies of an address returned by the camera (an ended subscription)."""
        for key in [k for k in self._proxies if k[1] == address]:
            del self._proxies[key]

    async def call(self, service: str, operation: str, /, **kwargs: Any) -> Any:
        """Call `operation` of `service`; on an auth fault re-learn the clock and retry once."""
        try:
            return await self._send(service, operation, kwargs, authenticated=True)
        except OnvifError:
            raise
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            if not is_auth_fault(exc):
                raise translate(exc, operation, self.where, self.timeout) from None
            first = exc
        await self.sync_clock()
        try:
            return await self._send(service, operation, kwargs, authenticated=True)
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            if is_auth_fault(exc) and self.allow_plaintext and not self.token.plaintext:
                self.token.plaintext = True
                logger.info("%s: digest refused, trying the plain-text password", self.where)
                return await self.call(service, operation, **kwargs)
            raise translate(exc, operation, self.where, self.timeout) from first

    async def call_at(self, service: str, address: str, operation: str, /, **kwargs: Any) -> Any:
        """Call `operation` of the binding `service` at an address the camera returned (a
        pull point or subscription manager), with WS-Addressing headers."""
        try:
            proxy = self._proxy(service, address=address)
            self.calls += 1
            async with asyncio.timeout(self.timeout):
                return await getattr(proxy, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            raise translate(exc, operation, self.where, self.timeout) from None

    async def call_raw_at(
        self, service: str, address: str, operation: str, /, **kwargs: Any
    ) -> etree._Element:
        """Like call_at, but the answer is the SOAP envelope as lxml, not read by zeep: for
        PullMessages, whose answers hold many messages that zeep would read slowly (and
        whose wsnt:Topic text it drops)."""
        try:
            proxy = self._proxy(service, address=address)
            binding, client, options = proxy._binding, proxy._client, proxy._binding_options
            self.calls += 1
            async with asyncio.timeout(self.timeout):
                envelope, headers = binding._create(
                    operation, (), kwargs, client=client, options=options
                )
                response = await client.transport.post_xml(options["address"], envelope, headers)
            root = etree.fromstring(response.content, _PARSER) if response.content else None
            faulted = root is None or any(root.find(f".//{f}") is not None for f in SOAP_FAULTS)
            if response.status_code != 200 or faulted:
                binding.process_reply(client, binding.get(operation), response)  # raises
                raise zeep.exceptions.TransportError(
                    f"HTTP {response.status_code}", status_code=response.status_code
                )
            return root
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            raise translate(exc, operation, self.where, self.timeout) from None

    async def call_anonymous(self, service: str, operation: str, /, **kwargs: Any) -> Any:
        try:
            return await self._send(service, operation, kwargs, authenticated=False)
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            raise translate(exc, operation, self.where, self.timeout) from None

    async def _send(
        self, service: str, operation: str, kwargs: dict[str, Any], *, authenticated: bool
    ) -> Any:
        proxy = self._proxy(service, authenticated=authenticated)
        self.calls += 1
        async with asyncio.timeout(self.timeout):
            return await getattr(proxy, operation)(**kwargs)

    async def sync_clock(self) -> float:
        """Learn the camera's clock offset from GetSystemDateAndTime: unauthenticated, as the
        standard has it, else with the credentials (WS-UsernameToken, HTTP Digest when
        challenged) for cameras that demand them even there. A camera whose clock cannot be
        read at all gets offset 0: the clock read alone never fails a connection (an
        unreachable camera does)."""
        from cameras.onvif.device import camera_utc

        sent = time.time()
        try:
            try:
                answer = await self.call_anonymous("device", "GetSystemDateAndTime")
            except AuthenticationFailed:
                sent = time.time()
                answer = await self._call_once("device", "GetSystemDateAndTime")
        except DeviceUnreachable:
            raise
        except OnvifError as exc:
            logger.info("%s: the clock cannot be read (%s); offset 0", self.where, exc)
            self.token.clock_offset = 0.0
            return 0.0
        received = time.time()
        camera_time = camera_utc(answer)
        if camera_time is not None:
            self.token.clock_offset = round(camera_time - (sent + received) / 2, 3)
        return self.token.clock_offset

    async def _call_once(self, service: str, operation: str, /, **kwargs: Any) -> Any:
        """An authenticated call without call()'s clock re-learning and retry."""
        try:
            return await self._send(service, operation, kwargs, authenticated=True)
        except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
            raise translate(exc, operation, self.where, self.timeout) from None

    async def connect(self) -> None:
        """Learn the clock offset and the camera's services (GetServices or GetCapabilities)."""
        from cameras.onvif.device import get_services

        await self.sync_clock()
        services = await get_services(self)
        self.use_services({s.name: s.advertised for s in services})
