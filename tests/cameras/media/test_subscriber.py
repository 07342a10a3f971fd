from fractions import Fraction

from cameras.media.source import MediaPacket
from cameras.media.subscriber import Subscriber


def packet(n: int, *, key: bool = False) -> MediaPacket:
    return MediaPacket(b"x", n, Fraction(1, 90000), key, 0.0)


async def test_a_viewer_starts_on_a_key_frame() -> None:
    subscriber = Subscriber()
    subscriber.put(packet(1))
    subscriber.put(packet(2, key=True))
    subscriber.put(packet(3))
    assert [(await subscriber.get()).pts for _ in range(2)] == [2, 3]
    assert subscriber.dropped == 1


async def test_a_slow_viewer_skips_to_the_next_key_frame_instead_of_growing() -> None:
    subscriber = Subscriber(limit=3)
    subscriber.put(packet(1, key=True))
    for n in range(2, 6):
        subscriber.put(packet(n))  # the 4th overflows: queue dropped, waiting for a key frame
    assert len(subscriber.queue) == 0
    subscriber.put(packet(6))
    subscriber.put(packet(7, key=True))
    assert (await subscriber.get()).pts == 7
    assert subscriber.dropped == 6  # 1-3 queued, then 4, 5 and 6


async def test_after_a_restart_the_viewer_waits_for_a_key_frame_again() -> None:
    subscriber = Subscriber()
    subscriber.put(packet(1, key=True))
    subscriber.restart()
    subscriber.put(packet(2))
    subscriber.put(packet(3, key=True))
    assert (await subscriber.get()).pts == 3
