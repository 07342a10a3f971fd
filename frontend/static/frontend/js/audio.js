// Camera sound on live tiles: a mute toggle and a volume slider on each tile whose stream brings
// audio. Tiles start muted, as browsers only let sound start from a user gesture; what the user
// sets is remembered per camera (localStorage) and, after a page load, sound that was on comes
// back with the first click or key press on the page.
import { element } from "./dom.js";

const storageKey = (tile) => `vms.sound.${tile.dataset.device}`;

function remembered(tile) {
  try {
    return JSON.parse(localStorage.getItem(storageKey(tile))) || {};
  } catch {
    return {}; // storage refused or spoilt: the defaults
  }
}

function remember(tile, video) {
  try {
    localStorage.setItem(storageKey(tile), JSON.stringify({ muted: video.muted, volume: video.volume }));
  } catch {
    // private mode or full storage: the setting lasts for this page only
  }
}

// Tiles whose remembered sound waits for the page's first user gesture.
const waiting = new Set();

function onFirstGesture(event) {
  for (const tile of waiting) {
    if (!tile.isConnected) waiting.delete(tile);
    else if (!tile.sound.controls.contains(event.target)) tile.sound.set(false); // its own button decides
  }
  waiting.clear();
}

document.addEventListener("pointerdown", onFirstGesture, true);
document.addEventListener("keydown", onFirstGesture, true);

class Sound {
  constructor(tile) {
    this.tile = tile;
    this.video = tile.querySelector("video");
    this.button = element("button", { type: "button", "data-testid": "tile-mute", "aria-pressed": "true", title: "Sound of this camera on or off" });
    this.slider = element("input", {
      type: "range", min: "0", max: "1", step: "0.05", class: "tile-volume", "data-testid": "tile-volume", "aria-label": "Volume",
    });
    this.controls = element("span", { class: "tile-sound", role: "group", "aria-label": "Sound" });
    this.controls.append(this.button, this.slider);
    tile.querySelector(".tile-tools")?.prepend(this.controls);
    const saved = remembered(tile);
    this.video.volume = typeof saved.volume === "number" ? Math.min(1, Math.max(0, saved.volume)) : 1;
    this.slider.value = String(this.video.volume);
    this.button.addEventListener("click", () => {
      waiting.delete(tile);
      this.set(!this.video.muted);
    });
    this.slider.addEventListener("input", () => {
      this.video.volume = Number(this.slider.value);
      remember(tile, this.video);
    });
    this.show();
    if (saved.muted === false) {
      if (navigator.userActivation?.hasBeenActive) this.set(false);
      else {
        waiting.add(tile);
        this.button.title = "Sound was on: click anywhere on the page to hear it again";
      }
    }
  }

  set(muted) {
    this.video.muted = muted;
    if (!muted) this.video.play().catch(() => {}); // playing already; a refusal leaves it muted
    remember(this.tile, this.video);
    this.show();
  }

  show() {
    const muted = this.video.muted;
    this.button.setAttribute("aria-pressed", String(muted));
    this.button.textContent = muted ? "🔇 Muted" : "🔊 Sound";
    this.button.title = muted ? "Turn this camera's sound on" : "Mute this camera";
    this.tile.dataset.sound = muted ? "muted" : "on";
  }
}

// player.js onTrack: the first audio track of a tile's stream brings its sound controls.
export function soundTrack(tile, track) {
  if (track.kind !== "audio" || tile.sound) return;
  tile.sound = new Sound(tile);
}
