"""The events page as an alarm console, in Debian's Chromium against the real server: the live
unacknowledged count, acknowledging several alarms at once, "off" transitions that are no
alarms, the page's layout, one time format, and snapshots that open the picture."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import av
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from cameras.models import Device
from events import ingest, live, services
from events.models import Event, Snapshot
from frontend.roles import Role
from tests.cameras.test_live import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CROSSED = "tns1:RuleEngine/LineDetector/Crossed"
MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"

# Headless Chromium plays no sound: this page counts the beeps its AudioContext would make
# (what decides to beep, feed.js, is the code under test).
COUNT_BEEPS = """
window.beeps = 0;
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() {
    window.beeps += 1;
    return { frequency: {}, connect() {}, start() {}, stop() {} };
  }
};
"""


@pytest.fixture
def device() -> Device:
    return Device.objects.create(name="Gate", host="192.0.2.20", port=80, username="a")


def event(
    device: Device,
    topic: str = CROSSED,
    state: bool | None = None,
    received: datetime | None = None,
    snapshot: Snapshot | None = None,
) -> Event:
    return Event.objects.create(
        device=device,
        topic=topic,
        name="Motion" if topic == MOTION else "Line crossed",
        state=state,
        operation="Changed" if state is not None else "",
        received=received or timezone.now(),
        snapshot=snapshot,
    )


def in_a_thread(work: Any, *args: Any) -> Any:
    """Run `work` in a thread of its own (Playwright's event loop runs in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work, *args).result(10)


def push(device: Device, *events: Event) -> None:
    """Send stored events to the browsers, as the event runner does."""
    payloads = [ingest.payload(e, str(device)) for e in events]
    in_a_thread(live.send_events_sync, {device.pk: payloads})


def open_console(page: Page, url: str, role: str = Role.OPERATOR) -> None:
    sign_in(page, url, role)
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    page.goto(f"{url}/events/")
    expect(page.get_by_test_id("alarm-feed")).to_have_attribute("data-socket", "open")


def feed_item(page: Page, pk: int) -> Any:
    return page.get_by_test_id("alarm-feed").locator(f'[data-event="{pk}"]')


def jpeg(width: int, height: int) -> bytes:
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuvj420p"
    codec.time_base = Fraction(1, 25)
    frame = av.VideoFrame(width, height, "yuvj420p")
    frame.pts = 0
    return b"".join(bytes(p) for p in [*codec.encode(frame), *codec.encode(None)])


# -- a: the unacknowledged count, kept live -------------------------------------------------------
def test_the_unacknowledged_count_follows_new_alarms_and_everyone_s_acknowledgements(
    page: Page, asgi_url: str, device: Device
) -> None:
    first, second = event(device), event(device)
    count = page.get_by_test_id("unacknowledged")
    open_console(page, asgi_url)
    expect(count).to_have_text("2")
    third = event(device)
    push(device, third)  # a new alarm raises it
    expect(feed_item(page, third.pk)).to_be_visible()
    expect(count).to_have_text("3")
    expect(page).to_have_title(re.compile(r"^\(3\) Events"))
    # Another operator acknowledges two: this page is told, without a reload.
    olga = UserFactory(username="olga", role=Role.OPERATOR)
    in_a_thread(services.acknowledge_many, [first.pk, third.pk], olga, "Checked the gate")
    expect(count).to_have_text("1")
    for pk in (first.pk, third.pk):
        expect(feed_item(page, pk)).to_contain_text("Acknowledged by olga")
        expect(feed_item(page, pk)).to_contain_text("Checked the gate")
        expect(feed_item(page, pk).get_by_role("button", name="Acknowledge")).to_have_count(0)
    # This operator acknowledges the last one from its row.
    feed_item(page, second.pk).get_by_label("Comment").fill("Courier")
    feed_item(page, second.pk).get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status").first).to_contain_text("Acknowledged: Line crossed on Gate")
    expect(count).to_have_text("0")
    second.refresh_from_db()
    assert (second.acknowledged_by.username, second.comment) == ("operator", "Courier")


# -- b: several at once ---------------------------------------------------------------------------
def test_an_operator_acknowledges_the_selected_then_all_shown(
    page: Page, asgi_url: str, device: Device
) -> None:
    alarms = [event(device, received=timezone.now() - timedelta(seconds=9 - n)) for n in range(4)]
    count = page.get_by_test_id("unacknowledged")
    open_console(page, asgi_url)
    expect(count).to_have_text("4")
    late = event(device)
    push(device, late)  # live alarms can be ticked too
    expect(count).to_have_text("5")
    for chosen in (alarms[0], late):
        feed_item(page, chosen.pk).get_by_role("checkbox").check()
    page.get_by_test_id("bulk-comment").fill("Fire drill")
    page.get_by_test_id("ack-selected").click()
    expect(page.get_by_role("status").first).to_have_text("Acknowledged 2 alarms.")
    expect(count).to_have_text("3")
    for chosen in (alarms[0], late):
        expect(feed_item(page, chosen.pk)).to_contain_text("Acknowledged by operator")
        expect(feed_item(page, chosen.pk)).to_contain_text("Fire drill")
        expect(feed_item(page, chosen.pk).get_by_role("checkbox")).to_have_count(0)
    # "Acknowledge all shown" asks first, saying how many.
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_test_id("bulk-comment").fill("Storm")
    page.get_by_test_id("ack-shown").click()
    expect(page.get_by_role("status").first).to_have_text("Acknowledged 3 alarms.")
    assert questions == ["Acknowledge all 3 unacknowledged alarms shown?"]
    expect(count).to_have_text("0")
    by = {e.pk: (e.acknowledged_by.username, e.comment) for e in Event.objects.all()}  # type: ignore[union-attr]
    assert by == {
        alarms[0].pk: ("operator", "Fire drill"),
        late.pk: ("operator", "Fire drill"),
        **{a.pk: ("operator", "Storm") for a in alarms[1:]},
    }
    assert all(e.acknowledged is not None for e in Event.objects.all())


# -- c: "off" transitions are no alarms -----------------------------------------------------------
def test_off_transitions_are_shown_but_are_no_alarms(
    page: Page, asgi_url: str, device: Device
) -> None:
    page.add_init_script(COUNT_BEEPS)
    old_off = event(device, MOTION, state=False, received=timezone.now() - timedelta(minutes=1))
    count = page.get_by_test_id("unacknowledged")
    open_console(page, asgi_url)
    expect(count).to_have_text("0")
    page.get_by_role("checkbox", name="sound").check()
    stopped = event(device, MOTION, state=False)
    push(device, stopped)  # motion stopped: shown, but no sound, no count, nothing to acknowledge
    item = feed_item(page, stopped.pk)
    expect(item).to_contain_text("Motion · off")
    expect(item).to_have_attribute("data-alarm", "false")
    expect(item.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(item.get_by_role("checkbox")).to_have_count(0)
    page.wait_for_timeout(300)
    assert page.evaluate("window.beeps") == 0
    expect(count).to_have_text("0")
    started = event(device, MOTION, state=True)
    push(device, started)  # motion started: an alarm
    expect(feed_item(page, started.pk).get_by_role("button", name="Acknowledge")).to_be_visible()
    expect(count).to_have_text("1")
    page.wait_for_function("() => window.beeps === 1")
    # In the timeline the off transitions have no acknowledge form either.
    page.reload()
    rows = page.get_by_test_id("timeline-event")
    expect(rows).to_have_count(3)
    for off in (old_off, stopped):
        row = rows.and_(page.locator(f'[data-event="{off.pk}"]'))
        expect(row).to_contain_text("Motion · off")
        expect(row.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(count).to_have_text("1")


# -- d: the layout ---------------------------------------------------------------------------------
def test_the_subscriptions_are_below_the_feed(page: Page, asgi_url: str, device: Device) -> None:
    event(device)
    open_console(page, asgi_url, Role.VIEWER)
    feed = page.get_by_test_id("alarm-feed-card").bounding_box()
    subscriptions = page.get_by_test_id("subscriptions").bounding_box()
    assert feed is not None and subscriptions is not None
    assert subscriptions["y"] >= feed["y"] + feed["height"]


# -- e: one time format ----------------------------------------------------------------------------
def test_times_are_written_one_way_in_the_configured_time_zone(
    page: Page, asgi_url: str, device: Device
) -> None:
    # The browser is in another time zone than the VMS: the page still shows the VMS's.
    page.context.new_cdp_session(page).send(
        "Emulation.setTimezoneOverride", {"timezoneId": "Pacific/Kiritimati"}
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    stored = event(device, received=datetime(2024, 3, 5, 6, 7, 8, 250_000, tzinfo=UTC))
    open_console(page, asgi_url, Role.VIEWER)
    expected = stored.received.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    expect(feed_item(page, stored.pk).locator("time")).to_have_text(expected)
    row = page.get_by_test_id("timeline-event").first
    expect(row.locator("time")).to_have_text(expected)
    expect(page.get_by_test_id("time-zone")).to_contain_text(settings.TIME_ZONE)
    pushed = event(device, received=datetime(2024, 12, 31, 23, 59, 58, 900_000, tzinfo=UTC))
    push(device, pushed)
    expect(feed_item(page, pushed.pk).locator("time")).to_have_text(
        pushed.received.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    )


# -- f: snapshots open the picture ----------------------------------------------------------------
def test_a_snapshot_click_opens_the_full_size_picture(
    page: Page, asgi_url: str, device: Device
) -> None:
    shot = Snapshot.objects.create(device=device, taken=timezone.now(), jpeg=jpeg(640, 360))
    event(device, snapshot=shot)
    open_console(page, asgi_url, Role.VIEWER)
    row = page.get_by_test_id("timeline-event").first
    expect(row.get_by_test_id("open-live")).to_have_attribute(
        "href", f"/?camera={device.pk}"
    )  # the live view is still one click away, from the camera's name
    row.get_by_role("img", name="Snapshot of Gate").click()
    dialog = page.get_by_test_id("snapshot-dialog")
    expect(dialog).to_be_visible()
    picture = dialog.get_by_role("img")
    expect(picture).to_have_attribute("src", f"/events/snapshots/{shot.pk}.jpg")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth === 640", arg=picture.element_handle()
    )
    assert page.url == f"{asgi_url}/events/"  # still on the console
    expect(dialog.get_by_role("link", name="Open the picture on its own")).to_have_attribute(
        "href", f"/events/snapshots/{shot.pk}.jpg"
    )
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
