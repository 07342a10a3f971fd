"""The Configure pages in Debian's Chromium against the simulator: an admin builds a profile
with an H.265 encoder, a frame rate out of the camera's range is refused with that range,
bitrate and GOP changes reach the camera, and the profile's preview plays the new stream at
its new size. The screenshots in the README come from here."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cameras.onvif import OnvifClient
from cameras.onvif.profiles import create_profile
from frontend.roles import Role
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.events.conftest import events_runner, wait_for_subscription
from tests.frontend.live_fleet import in_thread, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def test_an_admin_builds_an_h265_profile_and_tunes_it(page: Page, asgi_url: str) -> None:
    with ThreadedFleet() as cameras, processes.gateway("gw-configure-browser"):
        camera = cameras["ptz-dome"]
        device = in_thread(add_synced, camera)
        source = camera.configs("VideoSource")[0]
        encoder = camera.configs("VideoEncoder")[-1]
        sign_in_as(page, asgi_url, "ada", Role.ADMIN)
        page.set_viewport_size({"width": 1280, "height": 900})

        page.goto(f"{asgi_url}/devices/{device.pk}/")
        page.get_by_test_id("configure").click()
        expect(page.get_by_test_id("configure-profiles")).to_contain_text(camera.profiles[0].name)
        page.screenshot(path=SHOTS / "configure-profiles.png", full_page=True)
        form = page.get_by_test_id("create-profile")
        form.get_by_label("Name").fill("Lobby 720p")
        form.get_by_label("Video source").select_option(source.token)
        form.get_by_label("Video encoder").select_option(encoder.token)
        form.get_by_role("button", name="Create profile").click()
        expect(page.locator(".flash-success")).to_contain_text("Profile 'Lobby 720p' created")
        created = next(p for p in camera.profiles if p.name == "Lobby 720p")
        assert created.configs == {"VideoSource": source.token, "VideoEncoder": encoder.token}
        rows = page.get_by_test_id("profile-configurations")
        expect(rows.locator('tr[data-kind="VideoEncoder"]')).to_contain_text(encoder.token)
        page.screenshot(path=SHOTS / "configure-profile.png", full_page=True)

        rows.locator('tr[data-kind="VideoEncoder"]').get_by_role("link").click()
        editor = page.get_by_test_id("configuration-form")
        editor.get_by_label("Encoding").select_option("H265")
        editor.get_by_label("Resolution").select_option("1280x720")
        editor.get_by_label("Encoder profile").select_option("Main")  # H.265 offers Main only
        editor.get_by_label("Frame rate (fps)").fill("240")
        editor.get_by_role("button", name="Save to the camera").click()
        expect(page.get_by_test_id("configuration-form")).to_contain_text(
            "The frame rate 240 is outside what the camera offers for H265: 30, 25, 15, 10, 5, 1"
        )
        assert encoder.fps != 240
        page.screenshot(path=SHOTS / "configure-refused.png", full_page=True)

        page.get_by_test_id("configuration-form").get_by_label("Frame rate (fps)").fill("15")
        page.get_by_role("button", name="Save to the camera").click()
        expect(page.locator(".flash-success")).to_contain_text(
            "the camera now reports: H265, 1280x720, 15 fps"
        )
        assert (encoder.encoding, encoder.width, encoder.height, encoder.fps) == (
            "H265",
            1280,
            720,
            15,
        )

        editor = page.get_by_test_id("configuration-form")
        editor.get_by_label("Bitrate limit (kbit/s)").fill("1500")
        editor.get_by_label("GOP length (frames between key frames)").fill("10")
        page.get_by_role("button", name="Save to the camera").click()
        expect(page.locator(".flash-success")).to_contain_text("1500 kbit/s, GOP 10")
        assert (encoder.bitrate, encoder.gov) == (1500, 10)
        page.screenshot(path=SHOTS / "configure-encoder.png", full_page=True)

        # What a viewer of the profile now gets: H.265 1280x720 from the camera, decoded by
        # Chromium (the gateway converts it to H.264) at that size.
        page.goto(f"{asgi_url}/devices/{device.pk}/configure/profiles/{created.token}/")
        preview = page.get_by_test_id("profile-preview")
        expect(preview).to_contain_text("H265 1280\u00d7720, 15 fps")
        preview.get_by_role("button", name="Show the stream").click()
        video = preview.get_by_test_id("preview-video")
        page.wait_for_function(
            "v => v.videoWidth > 0 && v.currentTime > 0.5",
            arg=video.element_handle(),
            timeout=30_000,
        )
        assert video.evaluate("v => [v.videoWidth, v.videoHeight]") == [1280, 720]
        expect(preview.locator("[data-preview-size]")).to_have_text("1280\u00d7720")
        page.screenshot(path=SHOTS / "configure-preview.png", full_page=True)
        preview.get_by_role("button", name="Stop the stream").click()
        expect(preview.locator("[data-preview]")).to_be_hidden()

        page.get_by_role("link", name="Change log").click()
        expect(page.get_by_test_id("changes")).to_contain_text("create Profile")
        expect(page.get_by_test_id("changes")).to_contain_text("set VideoEncoder")


def test_a_change_made_by_another_client_is_announced_on_the_page(
    page: Page, asgi_url: str
) -> None:
    fleet = ThreadedFleet()
    with fleet as cameras:
        camera = cameras["ptz-dome"]
        device = in_thread(add_synced, camera)
        with events_runner():
            wait_for_subscription(device)
            sign_in_as(page, asgi_url, "ada", Role.ADMIN)
            page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
            notice = page.get_by_test_id("camera-changed")
            expect(notice).to_be_hidden()

            async def other_client() -> str:  # another VMS or a vendor tool
                onvif = OnvifClient(camera.host, camera.port, "admin", "admin")
                await onvif.connect()
                return await create_profile(onvif, "Made elsewhere")

            token = fleet.run(other_client())
            expect(notice).to_be_visible(timeout=10_000)
            expect(notice).to_contain_text("Media/ProfileChanged")
            notice.get_by_role("button").click()
            expect(page.get_by_test_id("configure-profiles")).to_contain_text(token)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.VIEWER])
def test_operators_and_viewers_get_no_configuration(page: Page, asgi_url: str, role: str) -> None:
    with ThreadedFleet() as cameras:
        camera = cameras["ptz-dome"]
        device = in_thread(add_synced, camera)
        sign_in_as(page, asgi_url, f"someone-{role}", role)
        page.goto(f"{asgi_url}/devices/{device.pk}/")
        expect(page.get_by_role("heading", name=device.name)).to_be_visible()
        expect(page.get_by_test_id("configure")).to_have_count(0)
        answer = page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
        assert answer is not None and answer.status == 403
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
        # The API, called from the signed-in page with its CSRF token, refuses reads and writes.
        statuses = page.evaluate(
            """async ([device, encoder]) => {
                const token = document.cookie.match(/csrftoken=([^;]+)/)?.[1] || "";
                const headers = {"Content-Type": "application/json", "X-CSRFToken": token};
                const base = `/api/devices/${device}/media`;
                const read = await fetch(`${base}/profiles`);
                const write = await fetch(`${base}/profiles`, {
                    method: "POST", headers,
                    body: JSON.stringify({name: "Not mine", configurations: {}}),
                });
                const edit = await fetch(`${base}/configurations/VideoEncoder/${encoder}`, {
                    method: "PATCH", headers,
                    body: JSON.stringify({bitrate_kbps: 64}),
                });
                return [read.status, write.status, edit.status];
            }""",
            [device.pk, camera.configs("VideoEncoder")[0].token],
        )
        assert statuses == [403, 403, 403]
        assert "Not mine" not in [p.name for p in camera.profiles]
