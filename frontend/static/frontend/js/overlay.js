// What is drawn over and beside a live tile's video: the camera's metadata (object boxes and
// classes, from the gateway's "metadata" data channel, see player.js onMetadata), redrawn on every
// video frame and switched per tile; event badges (motion, a rule firing) from the events socket;
// and the talk button with its live-microphone state.
//
// In sync with the video: the gateway sends a frame's boxes when it forwards that frame
// (cameras.media.metadata.MetadataPacer), but the picture then spends the jitter buffer and the
// decoder on its way to the screen. So each frame is drawn with the boxes that had arrived when
// the frame itself arrived (requestVideoFrameCallback's receiveTime), not the newest ones.
const STALE_MS = 1000; // boxes older than this are not drawn (the object left, or metadata stopped)
const SLACK_MS = 30; // the data channel and the video's packets travel apart: this much either way
const HISTORY = 64; // metadata documents kept for frames still in the jitter buffer
const COLOURS = { Human: "#3fb950", Vehical: "#d29922", Vehicle: "#d29922", Face: "#79c0ff" };

function button(label, attributes) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  for (const [name, value] of Object.entries(attributes)) b.setAttribute(name, value);
  return b;
}

// The rectangle the picture fills inside the video element (object-fit: contain).
function pictureRect(video, width, height) {
  const ratio = video.videoWidth && video.videoHeight ? video.videoWidth / video.videoHeight : 16 / 9;
  let [w, h] = [width, height];
  if (w / h > ratio) w = h * ratio;
  else h = w / ratio;
  return { left: (width - w) / 2, top: (height - h) / 2, width: w, height: h };
}

class Overlay {
  constructor(tile) {
    this.tile = tile;
    this.video = tile.querySelector("video");
    this.canvas = document.createElement("canvas");
    this.canvas.className = "tile-overlay";
    this.canvas.dataset.testid = "tile-overlay";
    this.canvas.setAttribute("aria-hidden", "true");
    this.video.after(this.canvas);
    this.latest = null; // what the last frame was drawn with
    this.history = []; // [{metadata, at}], oldest first
    this.enabled = true;
    this.toggle = button("Overlay", { "aria-pressed": "true", "data-testid": "tile-overlay-toggle", title: "Show the camera's object boxes" });
    this.toggle.addEventListener("click", () => {
      this.enabled = !this.enabled;
      this.toggle.setAttribute("aria-pressed", String(this.enabled));
      this.draw();
    });
    tile.querySelector(".tile-tools")?.prepend(this.toggle);
    tile.player.onMetadata = (metadata) => {
      const entry = { metadata, at: performance.now() };
      this.history.push(entry);
      if (this.history.length > HISTORY) this.history.shift();
      if (!("requestVideoFrameCallback" in this.video)) {
        this.latest = entry;
        this.draw();
      }
    };
    this.onFrame();
  }

  onFrame() {
    if (!("requestVideoFrameCallback" in this.video)) return;
    this.video.requestVideoFrameCallback((now, frame) => {
      this.latest = this.forFrame(frame.receiveTime ?? now) ?? this.latest;
      // Age of the boxes drawn, measured when drawn: `now` (the rendering step's start) may
      // precede metadata that arrived within SLACK_MS of the frame, before this callback ran.
      this.tile.dataset.overlayLag = this.latest ? String(Math.round(performance.now() - this.latest.at)) : "";
      this.draw();
      this.onFrame();
    });
  }

  // The newest metadata that had arrived with the frame received at `received`; older entries go.
  forFrame(received) {
    let index = -1;
    for (let i = 0; i < this.history.length; i++) {
      if (this.history[i].at <= received + SLACK_MS) index = i;
      else break;
    }
    if (index < 0) return null;
    const entry = this.history[index];
    this.history.splice(0, index);
    return entry;
  }

  draw() {
    const { canvas, video } = this;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    const fresh = this.latest && performance.now() - this.latest.at < STALE_MS;
    const objects = this.enabled && fresh ? this.latest.metadata.objects : [];
    this.tile.dataset.objects = String(objects.length);
    const picture = pictureRect(video, width, height);
    context.font = "12px system-ui, sans-serif";
    context.lineWidth = 2;
    for (const object of objects) {
      // The standard's coordinates: -1..1 both ways, y up.
      const [l, t, r, b] = object.box;
      const x = picture.left + ((l + 1) / 2) * picture.width;
      const y = picture.top + ((1 - t) / 2) * picture.height;
      const w = ((r - l) / 2) * picture.width;
      const h = ((t - b) / 2) * picture.height;
      const colour = COLOURS[object.class] || "#f0f6fc";
      context.strokeStyle = context.fillStyle = colour;
      context.strokeRect(x, y, w, h);
      const label = object.class === "Vehical" ? "Vehicle" : object.class || `#${object.id}`;
      context.fillText(label, x + 2, Math.max(12, y - 3));
    }
  }
}

function startTalk(tile) {
  const talk = button("Talk", { "aria-pressed": "false", "data-testid": "tile-talk", title: "Speak through the camera's loudspeaker" });
  const player = tile.player;
  const show = (live) => {
    tile.dataset.talk = live ? "live" : "off";
    talk.setAttribute("aria-pressed", String(live));
    talk.textContent = live ? "🎙 Microphone live: stop" : "Talk";
  };
  player.onTalk = show;
  talk.addEventListener("click", async () => {
    const on = talk.getAttribute("aria-pressed") !== "true";
    try {
      if (on) talk.textContent = "Opening the microphone…";
      await player.talk(on);
    } catch (error) {
      show(false);
      const label = tile.querySelector(".tile-state");
      if (label) label.textContent = `Microphone: ${error.message}`;
    }
  });
  tile.querySelector(".tile-tools")?.prepend(talk);
}

export function startOverlays(root = document) {
  for (const tile of root.querySelectorAll("[data-player]")) {
    if (!tile.player || tile.overlay) continue;
    tile.overlay = new Overlay(tile);
    if ("talk" in tile.dataset) startTalk(tile);
  }
}

// -- event badges: what the camera reports (motion, a rule firing) shown on its tiles -------------
const BADGE_MS = 5000; // a momentary event (no state) shows this long; a state until it ends

function badgeName(event) {
  return event.rule || event.name || event.topic.split("/").pop();
}

function showEvent(event) {
  for (const tile of document.querySelectorAll(`[data-player][data-device="${event.device}"]`)) {
    const view = tile.querySelector(".tile-view");
    let badges = view.querySelector(".tile-badges");
    if (!badges) {
      badges = document.createElement("ul");
      badges.className = "tile-badges";
      badges.setAttribute("aria-label", "Events");
      view.append(badges);
    }
    const name = badgeName(event);
    let badge = [...badges.children].find((b) => b.dataset.name === name);
    if (event.state === false) {
      badge?.remove();
      continue;
    }
    if (!badge) {
      badge = document.createElement("li");
      badge.dataset.name = name;
      badge.dataset.testid = "tile-badge";
      badge.textContent = name;
      badge.setAttribute("role", "status");
      badges.append(badge);
    }
    clearTimeout(badge.timer);
    badge.title = `${event.topic} at ${new Date(event.received).toLocaleTimeString()}`;
    if (event.state !== true) badge.timer = setTimeout(() => badge.remove(), BADGE_MS);
  }
}

export function startEventBadges() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let delay = 1000;
  const connect = () => {
    const socket = new WebSocket(`${scheme}://${location.host}/ws/events/`);
    socket.addEventListener("open", () => (delay = 1000));
    socket.addEventListener("message", (message) => {
      const data = JSON.parse(message.data);
      if (data.type === "events") data.events.forEach(showEvent);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, (delay = Math.min(delay * 2, 30000)));
    });
  };
  connect();
}
