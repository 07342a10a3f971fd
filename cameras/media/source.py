"""One RTSP pull per (camera, profile), shared by every viewer.

PyAV reads in a thread of its own (its calls block); packets reach the event loop with
`call_soon_threadsafe`. Video is not decoded: H.264 passes through, and so does G.711
audio (other audio becomes Opus once, here). The source keeps the packets since the last
key frame so a new viewer starts with a picture at once, hands metadata documents to its
listeners, and reconnects with back-off when the camera goes away.

The source keeps its URL without credentials; before each connection FFmpeg gets them only
as the camera's RTSP authentication allows (cameras.media.rtsp_auth): never to a camera that
offers nothing but Basic unless the device allows plain-text passwords. Errors are said in
words, without the URL's credentials.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from urllib.parse import urlsplit

import av

from cameras.media.audio import PASSTHROUGH, OpusTranscoder
from cameras.media.h264 import annexb_parameter_sets, with_parameter_sets
from cameras.media.metadata import MetadataPacer
from cameras.media.rtsp_auth import (
    DEFAULT_PORT,
    Credentials,
    ProbeFailed,
    Scheme,
    StreamRefused,
    learn,
    split_credentials,
    with_credentials,
)
from cameras.media.subscriber import Subscriber
from cameras.media.transcode import H264Transcoder
from vms.logs import redact

logger = logging.getLogger(__name__)


def seconds(packet: av.Packet) -> float:
    """A packet's presentation time in seconds (its pts is known: the caller checked)."""
    return float((packet.pts or 0) * (packet.time_base or Fraction(1, 90000)))


# Skip FFmpeg's multi-second probing: the SDP already says what the stream is.
OPEN_OPTIONS = {
    "rtsp_transport": "tcp",
    "fflags": "nobuffer",
    "flags": "low_delay",
    "probesize": "32768",
    "analyzeduration": "0",
}
MAX_GOP_PACKETS = 300
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0)
RETRY_GAP = 0.5  # seconds between a failure and a retry a viewer asked for


class State(enum.StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass
class MediaPacket:
    data: bytes
    pts: int
    time_base: Fraction
    keyframe: bool
    received: float  # time.monotonic() when read from the camera
    _packet: av.Packet | None = field(default=None, repr=False)

    def as_av(self) -> av.Packet:
        """One av.Packet for every viewer: the RTP packetizer only reads it."""
        if self._packet is None:
            self._packet = av.Packet(self.data)
            self._packet.pts = self.pts
            self._packet.time_base = self.time_base
        return self._packet


@dataclass
class Stats:
    packets: int = 0
    bytes: int = 0
    keyframes: int = 0
    reconnects: int = 0
    last_error: str = ""
    started: float = field(default_factory=time.monotonic)


def failure(exc: BaseException, where: str, timeout: float) -> str:
    """What went wrong with a pull, in words; never the URL (FFmpeg puts it in its errors)."""
    if isinstance(exc, av.error.HTTPUnauthorizedError):
        return (
            "The camera refused the username or password for its stream (RTSP 401): check "
            "the device's credentials."
        )
    if isinstance(exc, av.error.HTTPForbiddenError):
        return "The camera's user may not watch this stream (RTSP 403): check its user level."
    if isinstance(exc, av.error.HTTPNotFoundError):
        return "The camera has no stream at this address (RTSP 404): sync the camera."
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"Cannot connect to the camera's RTSP port ({where}): the camera is off, "
            "rebooting, or streams on another port."
        )
    if isinstance(exc, TimeoutError):
        return f"The camera's RTSP port ({where}) did not answer within {timeout:g} s."
    if isinstance(exc, ProbeFailed):
        return redact(str(exc))
    if isinstance(exc, av.error.FFmpegError):  # its str() ends with the URL: leave it out
        return redact(f"{type(exc).__name__}: {exc.strerror or 'FFmpeg error'}")
    return redact(f"{type(exc).__name__}: {exc}")


class RtspSource:
    def __init__(
        self,
        key: str,
        url: str,
        *,
        credentials: Credentials | None = None,
        on_state: Callable[[RtspSource], None] | None = None,
        timeout: float = 5.0,
        read_timeout: float = 3.0,
    ) -> None:
        url, in_url = split_credentials(url)
        self.key, self.url = key, url  # never with credentials: it is logged and shown
        self.credentials = credentials or in_url
        self.refusal = ""  # why the stream will not be pulled (the source then stopped)
        self.timeout, self.read_timeout = timeout, read_timeout
        self.last_packet = 0.0  # time.monotonic() of the last packet
        self.on_state = on_state
        self.state = State.CONNECTING
        self.stats = Stats()
        self.subscribers: set[Subscriber] = set()
        self.audio_subscribers: set[Subscriber] = set()
        self.metadata_listeners: set[Callable[[bytes], None]] = set()
        self.audio_codec: str | None = None  # FFmpeg's name, known once connected
        self.ready = asyncio.Event()  # set once the streams of the first connection are known
        self.gop: list[MediaPacket] = []
        self.idle_since: float | None = time.monotonic()
        self._stop = threading.Event()
        self._wake = threading.Event()  # ends a back-off wait early (stop or retry_now)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- viewers (event loop) ----------------------------------------------------------------
    def subscribe(self) -> Subscriber:
        subscriber = Subscriber()
        for packet in self.gop:
            subscriber.put(packet)
        self.subscribers.add(subscriber)
        self.idle_since = None
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
        self.audio_subscribers.discard(subscriber)
        if not self.subscribers:
            self.idle_since = time.monotonic()

    def subscribe_audio(self) -> Subscriber:
        subscriber = Subscriber(limit=50)
        self.audio_subscribers.add(subscriber)
        return subscriber

    def _publish_audio(self, packet: MediaPacket) -> None:
        for subscriber in self.audio_subscribers:
            subscriber.put(packet)

    def _publish_metadata(self, document: bytes) -> None:
        for listener in list(self.metadata_listeners):
            listener(document)

    def _streams_known(self, audio_codec: str | None) -> None:
        self.audio_codec = audio_codec
        self.ready.set()

    def _publish(self, packet: MediaPacket) -> None:
        self.last_packet = packet.received
        if self.state != State.LIVE:  # packets again after a stall
            self._set_state(State.LIVE)
        if packet.keyframe:
            self.gop = [packet]
        elif self.gop and len(self.gop) < MAX_GOP_PACKETS:
            self.gop.append(packet)
        for subscriber in self.subscribers:
            subscriber.put(packet)

    def _refuse(self, message: str) -> None:
        self.refusal = message
        self.ready.set()
        self._set_state(State.STOPPED, message)

    def stalled(self, seconds: float) -> None:
        """No packet for `seconds`: tell viewers now, before the reader's timeout fires."""
        self._set_state(State.RECONNECTING, f"no video from the camera for {seconds:.0f} s")

    def _set_state(self, state: State, error: str = "") -> None:
        if state == self.state and not error:
            return
        if state == State.RECONNECTING:
            self.gop = []
            for subscriber in self.subscribers:
                subscriber.restart()
        self.state = state
        if error:
            self.stats.last_error = error
        if self.on_state is not None:
            self.on_state(self)

    def _lost(self, error: str) -> None:
        """The pull ended: counted and told together, on the loop (where stats are read), so
        no reader sees a reconnect without its reason."""
        self.stats.reconnects += 1
        self._set_state(State.RECONNECTING, error)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name=f"rtsp {self.key}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the reader to stop; it does within one read timeout."""
        self._stop.set()
        self._wake.set()

    def retry_now(self) -> None:
        """A viewer asks for this stream: a source waiting out its back-off tries again now
        (at most one early try per RETRY_GAP), a camera back online is not kept waiting."""
        self._wake.set()

    async def wait_stopped(self) -> None:
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, self.timeout + self.read_timeout + 1)

    # -- reader thread -------------------------------------------------------------------------
    def _call(self, fn: Callable[..., None], *args: object) -> None:
        assert self._loop is not None
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(fn, *args)

    @property
    def where(self) -> str:
        """host:port of the camera's RTSP server."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        return f"{f'[{host}]' if ':' in host else host}:{parts.port or DEFAULT_PORT}"

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self._pull()
                attempt = 0
                error = "The camera ended the stream."
            except StreamRefused as exc:
                logger.info("%s: not pulled: %s", self.key, exc)
                self._call(self._refuse, str(exc))
                return
            except (av.error.FFmpegError, OSError, StopIteration) as exc:
                error = failure(exc, self.where, self.timeout)
            if self._stop.is_set():
                break
            delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            attempt += 1
            logger.info("%s: %s; reconnecting in %.0f s", self.key, error, delay)
            self._wake.clear()
            self._call(self._lost, error)
            failed = time.monotonic()
            if self._wake.wait(delay) and not self._stop.is_set():
                self._stop.wait(max(0.0, RETRY_GAP - (time.monotonic() - failed)))
        self._call(self._set_state, State.STOPPED)

    def _open_url(self) -> str:
        """The URL FFmpeg opens: with credentials only as the camera's scheme allows. The
        scheme is learned before every connection, so a camera that changed (after a reboot,
        say) is never trusted on an earlier answer."""
        if self.credentials is None or not self.credentials.username:
            return self.url
        if learn(self.url, self.credentials, self.timeout) == Scheme.NONE:
            return self.url
        return with_credentials(self.url, self.credentials)

    def _pull(self) -> None:
        container = av.open(
            self._open_url(), options=OPEN_OPTIONS, timeout=(self.timeout, self.read_timeout)
        )
        try:
            if not container.streams.video:
                raise OSError("the camera's stream has no video")
            video = container.streams.video[0]
            audio = container.streams.audio[0] if container.streams.audio else None
            data = next((s for s in container.streams if s.type == "data"), None)
            codec = audio.codec_context.name if audio is not None else None
            transcoder = (
                OpusTranscoder(audio) if audio is not None and codec not in PASSTHROUGH else None
            )
            self._call(self._streams_known, codec)
            parameter_sets = annexb_parameter_sets(video.codec_context.extradata)
            video_transcoder = None
            if video.codec_context.name != "h264":  # H.265 and the like: H.264 for browsers
                video_transcoder, parameter_sets = H264Transcoder(video), b""
            streams = [s for s in (video, audio, data) if s is not None]
            pacer = MetadataPacer()
            for packet in container.demux(*streams):
                if self._stop.is_set():
                    return
                if packet.pts is None or packet.size == 0:
                    continue
                due: list[bytes] = []
                if packet.stream is video:
                    if video_transcoder is not None:
                        for encoded in video_transcoder.feed(packet):
                            self._video(encoded, parameter_sets)
                    else:
                        self._video(packet, parameter_sets)
                    due = pacer.video(seconds(packet), time.monotonic())
                elif packet.stream is audio:
                    self._audio(packet, transcoder)
                else:
                    due = pacer.add(seconds(packet), bytes(packet), time.monotonic())
                for document in due:
                    self._call(self._publish_metadata, document)
        finally:
            container.close()

    def _video(self, packet: av.Packet, parameter_sets: bytes) -> None:
        data = bytes(packet)
        if packet.is_keyframe:
            data = with_parameter_sets(data, parameter_sets)
            self.stats.keyframes += 1
        self.stats.packets += 1
        self.stats.bytes += len(data)
        time_base = packet.time_base or Fraction(1, 90000)
        pts = packet.pts or 0  # packets without a pts were skipped by the caller
        item = MediaPacket(data, pts, time_base, packet.is_keyframe, time.monotonic())
        self._call(self._publish, item)

    def _audio(self, packet: av.Packet, transcoder: OpusTranscoder | None) -> None:
        now = time.monotonic()
        for out in transcoder.feed(packet) if transcoder is not None else [packet]:
            time_base = out.time_base or Fraction(1, 8000)
            item = MediaPacket(bytes(out), out.pts or 0, time_base, True, now)
            self._call(self._publish_audio, item)
