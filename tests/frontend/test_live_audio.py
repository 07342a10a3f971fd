"""Camera sound on a live tile in Debian's Chromium: muted at first (autoplay policy), unmuted
and set per tile by the user, remembered per camera."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.cameras.test_live import frames_after
from tests.frontend.live_fleet import live_fleet, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The audio energy the tile's peer connection has received and played out so far.
AUDIO_ENERGY = """async (video) => {
  const stats = await video.closest("[data-player]").player.pc.getStats();
  let energy = 0;
  stats.forEach((r) => {
    if (r.type === "inbound-rtp" && r.kind === "audio") energy = r.totalAudioEnergy || 0;
  });
  return energy;
}"""
NO_GESTURE_YET = """Object.defineProperty(navigator, "userActivation", {
  value: { hasBeenActive: false, isActive: false },
});"""
# The loudest sample of the element's own output over half a second, through WebAudio.
ELEMENT_PEAK = """async (video) => {
  const context = new AudioContext();
  await context.resume();
  const source = context.createMediaStreamSource(video.captureStream());
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let peak = 0;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    analyser.getFloatTimeDomainData(samples);
    for (const s of samples) peak = Math.max(peak, Math.abs(s));
  }
  await context.close();
  return peak;
}"""


def test_an_operator_unmutes_a_tile_sets_its_volume_and_it_is_remembered(
    page: Page, asgi_url: str
) -> None:
    with live_fleet("gw-audio", ("audio-cam", "bullet-analytics")) as (_, _, devices):
        sign_in_as(page, asgi_url, "ana", Role.VIEWER)
        tile = page.locator(f'[data-testid="tile"][data-device="{devices["audio-cam"].pk}"]')
        bullet = devices["bullet-analytics"].pk
        silent = page.locator(f'[data-testid="tile"][data-device="{bullet}"]')
        video = tile.locator("video")
        frames_after(video, page, 1, within=20)
        mute = tile.get_by_test_id("tile-mute")
        expect(mute).to_have_attribute("aria-pressed", "true")  # muted: the autoplay policy
        assert video.evaluate("v => v.muted") is True
        frames_after(silent.locator("video"), page, 1, within=20)
        expect(silent.get_by_test_id("tile-mute")).to_have_count(0)  # no sound, no control

        mute.click()
        expect(mute).to_have_attribute("aria-pressed", "false")
        assert video.evaluate("v => v.muted") is False
        tile.get_by_test_id("tile-volume").fill("0.3")
        assert video.evaluate("v => v.volume") == pytest.approx(0.3)
        before = video.evaluate(AUDIO_ENERGY)
        page.wait_for_timeout(1000)
        gained = video.evaluate(AUDIO_ENERGY) - before
        peak = video.evaluate(ELEMENT_PEAK)
        print(f"\naudio energy in 1 s: {gained:.4f}; element output peak {peak:.3f}")  # noqa: T201
        assert gained > 0.001
        assert peak > 0.05  # the camera's tone, not silence

        # Remembered for this camera: after a reload (the page had the user's gesture, so the
        # browser lets sound start) it plays at the volume set.
        page.reload()
        frames_after(video, page, 1, within=20)
        expect(tile.get_by_test_id("tile-mute")).to_have_attribute("aria-pressed", "false")
        assert video.evaluate("v => [v.muted, v.volume]") == [False, pytest.approx(0.3)]
        expect(tile.get_by_test_id("tile-volume")).to_have_value("0.3")
        # A tab the user has not touched yet: muted until the first click anywhere on the page.
        # (Playwright runs its evaluate calls as user gestures, so the page is told it had none.)
        other = page.context.new_page()
        other.add_init_script(NO_GESTURE_YET)
        other.goto(f"{asgi_url}/")
        tile = other.locator(f'[data-testid="tile"][data-device="{devices["audio-cam"].pk}"]')
        video = tile.locator("video")
        frames_after(video, other, 1, within=20)
        expect(tile.get_by_test_id("tile-mute")).to_have_attribute("aria-pressed", "true")
        assert video.evaluate("v => [v.muted, v.volume]") == [True, pytest.approx(0.3)]
        other.get_by_role("heading", name="Live").click()
        expect(tile.get_by_test_id("tile-mute")).to_have_attribute("aria-pressed", "false")
        assert video.evaluate("v => v.muted") is False
        other.close()
