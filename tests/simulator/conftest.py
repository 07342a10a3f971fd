"""Fixtures: the demo fleet running in-process on free loopback ports, and clients for it."""

from __future__ import annotations

import pytest
import pytest_asyncio
from simclient import Client

from simulator import config
from simulator.server import Simulator


@pytest_asyncio.fixture
async def sim():
    """The demo fleet on free ports (127.0.0.1, port 0)."""
    cameras = config.load(base_port=0)
    simulator = Simulator(cameras)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
def cams(sim):
    return {c.name: c for c in sim.cameras}


@pytest_asyncio.fixture
async def ptz_client(cams):
    async with Client(cams["ptz-dome"]) as client:
        yield client


@pytest_asyncio.fixture
async def bullet(cams):
    async with Client(cams["bullet-analytics"]) as client:
        yield client


@pytest_asyncio.fixture
async def audio(cams):
    async with Client(cams["audio-cam"]) as client:
        yield client


@pytest_asyncio.fixture
async def dual(cams):
    async with Client(cams["dual-sensor"]) as client:
        yield client
