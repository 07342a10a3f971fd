"""Shared media sources: one worker per (source, configuration), fanned out to RTP sessions.

A source runs only while someone subscribes; it stops ``LINGER`` seconds after the last one
leaves. Blocking work (rendering, PyAV encoding) runs in a daemon thread and hands ready RTP
payloads to the event loop with ``call_soon_threadsafe``, so packetisation happens once however
many sessions watch.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.media.rtp_h264 import Payload

log = logging.getLogger(__name__)
LINGER = 2.0  # seconds a source keeps running after its last subscriber left


@dataclass
class Unit:
    """One frame (or audio block, or metadata document) ready to send."""

    time: float  # capture time, time.monotonic() seconds
    payloads: list[Payload]
    key: bool = True
    utc: float = 0.0
    extra: dict = field(default_factory=dict)


Subscriber = Callable[[Unit], None]


class Source(ABC):
    """Base class: subscriber bookkeeping and the worker thread's lifecycle."""

    kind = "video"
    clock_rate = 90000

    def __init__(self, name: str) -> None:
        self.name = name
        self.subscribers: list[Subscriber] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.stop_event = threading.Event()
        self.linger: asyncio.TimerHandle | None = None
        self.key_request = threading.Event()
        self.starts = 0  # how many times the worker was started (tests and stats)

    # -- subscribers ----------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> None:
        if self.linger is not None:
            self.linger.cancel()
            self.linger = None
        self.subscribers.append(callback)
        if not self.running:
            self.start()

    def unsubscribe(self, callback: Subscriber) -> None:
        if callback in self.subscribers:
            self.subscribers.remove(callback)
        if not self.subscribers and self.running and self.linger is None and self.loop:
            self.linger = self.loop.call_later(LINGER, self._linger_over)

    def _linger_over(self) -> None:
        self.linger = None
        if not self.subscribers:
            self.stop()

    def request_key_frame(self) -> None:
        self.key_request.set()

    # -- worker ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive() and not self.stop_event.is_set()

    def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop_event = threading.Event()
        self.starts += 1
        self.thread = threading.Thread(
            target=self._main, args=(self.stop_event,), name=f"media:{self.name}", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()

    async def close(self) -> None:
        if self.linger is not None:
            self.linger.cancel()
        self.subscribers.clear()
        self.stop()
        if self.thread is not None:
            await asyncio.to_thread(self.thread.join, 5.0)

    def _main(self, stop: threading.Event) -> None:
        try:
            self.run(stop)
        except Exception:
            log.exception("media source %s failed", self.name)
            stop.set()

    @abstractmethod
    def run(self, stop: threading.Event) -> None:
        """The worker thread's loop: render, encode and emit until `stop` is set."""

    def emit(self, unit: Unit) -> None:
        """Called from the worker thread: deliver on the event loop."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._fanout, unit)
        except RuntimeError:  # loop closed meanwhile
            self.stop_event.set()

    def _fanout(self, unit: Unit) -> None:
        for callback in list(self.subscribers):
            try:
                callback(unit)
            except Exception:
                log.exception("media subscriber of %s failed", self.name)
