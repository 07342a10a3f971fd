// PTZ control on live tiles: an on-video joystick, zoom buttons, keyboard, gamepad, presets,
// home, aux commands, click-to-center and area zoom; and the lens focus (near / far held, auto
// focus on or off) on cameras whose imaging service offers focus moves, PTZ or not. Commands go
// over /ws/ptz/ (ptz/consumers.py), which runs them in order per camera.
//
// Stop always wins: releasing the stick (or a focus button), the pointer leaving the video, the
// window losing focus, the tab being hidden and the socket closing all stop the camera and its
// focus. A held move is re-sent every REPEAT_MS because the camera runs each move for one second
// only (its Timeout; for focus the server sends the Stop): a lost stop still ends the motion.
import { PtzSocket } from "./ptz_socket.js";
import { buildMoveDialog } from "./ptz_moves.js";
import { buildTours } from "./ptz_tours.js";
import { element } from "./dom.js";

export { PtzSocket };

const REPEAT_MS = 300;
const SEND_MS = 80; // at most one move per camera this often while the stick moves
const DEAD_ZONE = 0.08; // fraction of the half-width that does nothing
const KEY_SPEED = 0.5; // arrows; with Shift: full speed
const FOCUS_SPEED = 0.5; // focus near/far, a fraction of the camera's fastest; with Shift: full
const FOCUS_KEYS = { "[": "near", "]": "far" };
const STATUS_MS = 1000; // the position readout, while the tile's controls are in use

const controls = new Set(); // every PtzControl on the page
let active = null; // the control the keyboard/gamepad steers: last focused or pointed at

// -- one tile's controls --------------------------------------------------------------------------
function clamp(value, lo = -1, hi = 1) {
  return Math.min(hi, Math.max(lo, value));
}

export class PtzControl {
  constructor(tile, socket, options) {
    this.tile = tile;
    this.socket = socket;
    this.options = options;
    this.device = Number(tile.dataset.device);
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    this.sources = { stick: null, keys: null, zoom: null, pad: null }; // who asks for what
    this.keys = new Set();
    this.lastSent = 0;
    this.focusSources = { button: null, keys: null, pad: null }; // who asks for which focus direction
    this.focusing = null; // "near", "far" or null
    this.build();
    controls.add(this);
  }

  // The pad over the video (the joystick and the area-zoom box) and the toolbar in the tile's
  // controls over the bottom of the video; a camera without PTZ gets only the lens toolbar.
  build() {
    const ptz = this.options.ptz !== false;
    this.bar = element("div", {
      class: "ptz-bar", "data-testid": ptz ? "ptz-controls" : "lens-controls", role: "toolbar", "aria-label": ptz ? "PTZ" : "Lens",
    });
    if (ptz) this.buildPtz();
    if (this.options.focus) this.buildFocus();
    this.message = element("span", { class: "ptz-message", role: "status", "data-testid": "ptz-message" });
    this.bar.append(this.message);
    (this.tile.querySelector(".tile-controls") || this.tile).append(this.bar);
    this.listen();
  }

  button(label, testid, title = label) {
    const b = element("button", { type: "button", "data-testid": testid, title }, label);
    this.bar.append(b);
    return b;
  }

  buildPtz() {
    const video = this.tile.querySelector("video");
    const focusHelp = this.options.focus ? ", [ and ] to focus near and far" : "";
    this.pad = element("div", {
      class: "ptz-pad", tabindex: "0", role: "application", "data-testid": "ptz-pad",
      "aria-label": `PTZ: drag to steer, arrows to move, + and - to zoom, Home to go home${focusHelp}`,
    });
    this.knob = element("div", { class: "ptz-knob", hidden: "" });
    this.box = element("div", { class: "ptz-box", hidden: "" });
    this.pad.append(this.knob, this.box);
    video.after(this.pad);
    const button = (...args) => this.button(...args);
    this.areaButton = button("Area zoom", "ptz-area", "Drag a box to zoom into it; click to center");
    this.areaButton.setAttribute("aria-pressed", "false");
    this.areaButton.addEventListener("click", () => this.setAreaMode(this.areaButton.getAttribute("aria-pressed") !== "true"));
    for (const [label, zoom, testid] of [["Zoom −", -1, "ptz-zoom-out"], ["Zoom +", 1, "ptz-zoom-in"]]) {
      const b = button(label, testid);
      const release = () => this.ask("zoom", null);
      b.addEventListener("pointerdown", () => this.ask("zoom", { pan: 0, tilt: 0, zoom: zoom * 0.6 }));
      for (const end of ["pointerup", "pointerleave", "pointercancel", "blur"]) b.addEventListener(end, release);
      b.addEventListener("keydown", (e) => (e.key === " " || e.key === "Enter") && !e.repeat && this.ask("zoom", { pan: 0, tilt: 0, zoom: zoom * 0.6 }));
      b.addEventListener("keyup", release);
    }
    if (this.options.home) {
      button("Home", "ptz-home", "Go to the home position").addEventListener("click", () => this.send({ type: "home", action: "goto" }));
      button("Set home", "ptz-set-home", "Make the current view the home position").addEventListener("click", () => this.send({ type: "home", action: "set" }));
    }
    if (this.options.presets) this.buildPresets();
    if (this.options.tours) buildTours(this);
    buildMoveDialog(this);
    this.readout = element("span", { class: "ptz-readout", "data-testid": "ptz-status", title: "Position and move state the camera reports" });
    this.bar.append(this.readout);
    for (const aux of this.options.aux || []) {
      button(aux.label, "ptz-aux").addEventListener("click", () => this.send({ type: "aux", command: aux.command }));
    }
  }

  // Focus near / far (held: a continuous focus move, released: stop) and the auto focus switch.
  buildFocus() {
    const group = element("span", { class: "ptz-focus", role: "group", "aria-label": "Focus", "data-testid": "focus-controls" });
    for (const [label, direction, key] of [["Focus near", "near", "["], ["Focus far", "far", "]"]]) {
      const b = element("button", { type: "button", "data-testid": `focus-${direction}`, title: `${label}: hold (key ${key}; Shift: faster)`, "aria-keyshortcuts": key }, label);
      const release = () => this.askFocus("button", null);
      b.addEventListener("pointerdown", (e) => e.button === 0 && this.askFocus("button", direction, e.shiftKey));
      for (const end of ["pointerup", "pointerleave", "pointercancel", "blur"]) b.addEventListener(end, release);
      b.addEventListener("keydown", (e) => (e.key === " " || e.key === "Enter") && !e.repeat && this.askFocus("button", direction, e.shiftKey));
      b.addEventListener("keyup", (e) => (e.key === " " || e.key === "Enter") && release());
      group.append(b);
    }
    if (this.options.focus.auto) {
      this.autoButton = element("button", { type: "button", "data-testid": "focus-auto", "aria-pressed": "false", title: "Auto focus on or off" }, "Auto focus");
      this.autoButton.addEventListener("click", () => {
        this.send({ type: "focus", action: "auto", on: this.autoButton.getAttribute("aria-pressed") !== "true" });
      });
      group.append(this.autoButton);
    }
    this.bar.append(group);
    // [ and ] anywhere in the toolbar (or on the pad, see keyDown), but not while typing.
    this.bar.addEventListener("keydown", (e) => !e.target.matches("input, select, textarea") && this.focusKey(e, true));
    this.bar.addEventListener("keyup", (e) => this.focusKey(e, false));
  }

  showAuto(on) {
    this.autoButton?.setAttribute("aria-pressed", String(Boolean(on)));
  }

  // The preset list and Go; saving, updating and removing behind "Edit presets" (the toolbar
  // lies over the video: it stays short).
  buildPresets() {
    const group = element("span", { class: "ptz-presets" });
    this.presetSelect = element("select", { "aria-label": "Preset", "data-testid": "ptz-preset" });
    this.presetName = element("input", { type: "text", "aria-label": "Preset name", placeholder: "Preset name", maxlength: "64", "data-testid": "ptz-preset-name" });
    const edit = element("span", { class: "ptz-preset-edit", hidden: "", id: `ptz-presets-${this.tile.dataset.cell}` });
    const toggle = element("button", { type: "button", "data-testid": "ptz-preset-edit", "aria-expanded": "false", "aria-controls": edit.id }, "Edit presets");
    toggle.addEventListener("click", () => {
      edit.hidden = !edit.hidden;
      toggle.setAttribute("aria-expanded", String(!edit.hidden));
    });
    const go = element("button", { type: "button", "data-testid": "ptz-preset-go" }, "Go");
    go.addEventListener("click", () => this.preset("goto"));
    edit.append(this.presetName);
    for (const [label, testid, action] of [["Save as new", "ptz-preset-save", "save"], ["Update", "ptz-preset-update", "update"], ["Remove", "ptz-preset-remove", "remove"]]) {
      const b = element("button", { type: "button", "data-testid": testid }, label);
      b.addEventListener("click", () => this.preset(action));
      edit.append(b);
    }
    group.append(this.presetSelect, go, toggle, edit);
    this.bar.append(group);
    this.showPresets(this.options.presets);
  }

  showPresets(presets) {
    if (!this.presetSelect) return;
    const chosen = this.presetSelect.value;
    this.presetSelect.replaceChildren(...presets.map((p) => element("option", { value: p.token }, p.name)));
    if (presets.some((p) => p.token === chosen)) this.presetSelect.value = chosen;
  }

  preset(action) {
    const token = this.presetSelect.value;
    const name = this.presetName.value.trim();
    if (action === "save" && !name) return this.say("Type a name for the new preset first.");
    if (action === "remove") {
      const label = this.presetSelect.selectedOptions[0]?.textContent;
      if (!confirm(`Remove the preset “${label}”?`)) return;
    }
    this.send({ type: "preset", action, token, ...(name && action !== "goto" ? { name } : {}) });
    if (action === "save" || action === "update") this.presetName.value = "";
  }

  listen() {
    const pad = this.pad;
    if (pad) {
      pad.addEventListener("pointerdown", (e) => this.pointerDown(e));
      pad.addEventListener("pointermove", (e) => this.pointerMove(e));
      pad.addEventListener("pointerup", (e) => this.pointerUp(e));
      pad.addEventListener("pointercancel", (e) => this.pointerUp(e));
      pad.addEventListener("pointerleave", (e) => this.pointerUp(e)); // leaving the video stops
      pad.addEventListener("pointerenter", () => (active = this));
      pad.addEventListener("focus", () => (active = this));
      pad.addEventListener("blur", () => this.releaseKeys());
      pad.addEventListener("keydown", (e) => this.keyDown(e));
      pad.addEventListener("keyup", (e) => this.keyUp(e));
    }
    if (this.options.focus) {
      this.socket.addEventListener("focus", (e) => this.myLens(e.detail) && this.showAuto(e.detail.auto));
      this.socket.addEventListener("done", (e) => this.myLens(e.detail) && "auto" in e.detail && this.showAuto(e.detail.auto));
      this.socket.addEventListener("open", () => this.send({ type: "focus", action: "status" }));
      if (this.socket.open) this.send({ type: "focus", action: "status" });
    }
    this.socket.addEventListener("error", (e) => {
      if (e.detail.device !== this.device) return;
      this.say(e.detail.message);
    });
    if (this.readout) {
      this.socket.addEventListener("status", (e) => e.detail.device === this.device && this.showStatus(e.detail));
      // Asked for only while someone uses this tile's controls: no load from idle tiles.
      this.statusTimer = setInterval(() => {
        const inUse = this.tile.matches(":hover, :focus-within") || Object.values(this.sources).some(Boolean);
        // Not while focusing: the focus renewals share the camera's command lane.
        if (inUse && !this.focusing && !document.hidden && this.socket.open) this.socket.send({ type: "status", device: this.device });
      }, STATUS_MS);
    }
    this.socket.addEventListener("presets", (e) => {
      if (e.detail.device !== this.device) return;
      this.showPresets(e.detail.presets);
      this.say("Presets saved.");
    });
    this.socket.addEventListener("lost", (e) => {
      this.reset(); // the server stopped the camera (and its focus) when the socket closed
      this.focusSources = { button: null, keys: null, pad: null };
      this.resetFocus();
      this.say(e.detail.message);
    });
    this.socket.addEventListener("open", () => this.say(""));
  }

  // -- pointer: the stick and the box ---------------------------------------------------------
  setAreaMode(on) {
    this.areaButton.setAttribute("aria-pressed", String(on));
    this.tile.classList.toggle("ptz-area-mode", on);
  }

  get areaMode() {
    return this.areaButton.getAttribute("aria-pressed") === "true";
  }

  pointerDown(e) {
    if (e.button !== 0) return;
    active = this;
    this.pad.focus({ preventScroll: true });
    this.origin = { x: e.clientX, y: e.clientY };
    this.tile.dataset.stick = "held"; // the toolbars over the video step aside (vms.css)
    e.preventDefault();
    if (!this.areaMode) this.showKnob(e);
  }

  pointerMove(e) {
    if (!this.origin) return;
    const rect = this.pad.getBoundingClientRect();
    if (this.areaMode) {
      const [x0, x1] = [this.origin.x, e.clientX].sort((a, b) => a - b);
      const [y0, y1] = [this.origin.y, e.clientY].sort((a, b) => a - b);
      Object.assign(this.box.style, { left: `${x0 - rect.left}px`, top: `${y0 - rect.top}px`, width: `${x1 - x0}px`, height: `${y1 - y0}px` });
      this.box.hidden = false;
      return;
    }
    // Velocity proportional to the distance from where the press began; full at half the pad.
    const shape = (d) => (Math.abs(d) < DEAD_ZONE ? 0 : clamp(d));
    const pan = shape((e.clientX - this.origin.x) / (rect.width / 2));
    const tilt = shape(-(e.clientY - this.origin.y) / (rect.height / 2));
    this.showKnob(e);
    this.ask("stick", { pan, tilt, zoom: 0 });
  }

  pointerUp(e) {
    if (!this.origin) return;
    const origin = this.origin;
    this.origin = null;
    delete this.tile.dataset.stick;
    this.knob.hidden = true;
    this.box.hidden = true;
    this.ask("stick", null);
    if (this.areaMode && e.type === "pointerup") {
      const a = this.picturePoint(origin.x, origin.y);
      const b = this.picturePoint(e.clientX, e.clientY);
      if (Math.abs(b.x - a.x) < 0.02 && Math.abs(b.y - a.y) < 0.02) this.send({ type: "center", x: b.x, y: b.y });
      else this.send({ type: "area", box: [a.x, a.y, b.x, b.y] });
    }
  }

  showKnob(e) {
    const rect = this.pad.getBoundingClientRect();
    Object.assign(this.knob.style, { left: `${e.clientX - rect.left}px`, top: `${e.clientY - rect.top}px` });
    this.knob.hidden = false;
  }

  // A screen point as a fraction of the picture (the video is letterboxed in its box).
  picturePoint(clientX, clientY) {
    const video = this.tile.querySelector("video");
    const rect = video.getBoundingClientRect();
    const ratio = video.videoWidth && video.videoHeight ? video.videoWidth / video.videoHeight : 16 / 9;
    let { width, height } = rect;
    if (width / height > ratio) width = height * ratio;
    else height = width / ratio;
    const left = rect.left + (rect.width - width) / 2;
    const top = rect.top + (rect.height - height) / 2;
    return { x: clamp((clientX - left) / width, 0, 1), y: clamp((clientY - top) / height, 0, 1) };
  }

  // -- keyboard and gamepad ---------------------------------------------------------------------
  keyDown(e) {
    if (this.focusKey(e, true)) return;
    const known = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "+", "=", "-", "_"];
    if (e.key === "Home" && this.options.home) {
      e.preventDefault();
      return this.send({ type: "home", action: "goto" });
    }
    if (e.key === "Escape") return this.stopAll();
    if (!known.includes(e.key)) return;
    e.preventDefault();
    this.keys.add(e.key);
    this.keySpeed = e.shiftKey ? 1 : KEY_SPEED;
    this.fromKeys();
  }

  keyUp(e) {
    if (this.focusKey(e, false)) return;
    this.keys.delete(e.key);
    this.fromKeys();
  }

  releaseKeys() {
    this.keys.clear();
    this.fromKeys();
    this.askFocus("keys", null);
  }

  // [ (near) and ] (far): held focuses, released stops. True when the key was one of them.
  focusKey(e, down) {
    const direction = FOCUS_KEYS[e.key] || (e.code === "BracketLeft" ? "near" : e.code === "BracketRight" ? "far" : null);
    if (!direction || !this.options.focus) return false;
    e.preventDefault();
    if (!down) this.askFocus("keys", null);
    else if (!e.repeat) this.askFocus("keys", direction, e.shiftKey);
    return true;
  }

  // -- focus: held near/far re-sent every REPEAT_MS (the server stops it FOCUS_TIMEOUT later) --
  askFocus(source, direction, fast = false) {
    this.focusSources[source] = direction;
    const wanted = Object.values(this.focusSources).find((d) => d) || null;
    if (!wanted) return this.haltFocus();
    if (wanted === this.focusing) return;
    this.focusing = wanted;
    this.focusSpeed = fast ? 1 : FOCUS_SPEED;
    this.tile.dataset.focus = "moving";
    this.showAuto(false); // a manual focus move switches auto focus off (ONVIF Imaging 7.4.1)
    this.sendFocus();
    clearInterval(this.focusRepeat);
    this.focusRepeat = setInterval(() => this.sendFocus(), REPEAT_MS);
  }

  sendFocus() {
    if (this.focusing) this.send({ type: "focus", action: this.focusing, speed: this.focusSpeed });
  }

  haltFocus() {
    const wasFocusing = this.focusing !== null;
    this.resetFocus();
    if (wasFocusing) this.send({ type: "focus", action: "stop" });
  }

  resetFocus() {
    clearInterval(this.focusRepeat);
    this.focusRepeat = null;
    this.focusing = null;
    if (this.options.focus) this.tile.dataset.focus = "idle";
  }

  fromKeys() {
    const held = (k) => (this.keys.has(k) ? 1 : 0);
    const s = this.keySpeed || KEY_SPEED;
    const pan = (held("ArrowRight") - held("ArrowLeft")) * s;
    const tilt = (held("ArrowUp") - held("ArrowDown")) * s;
    const zoom = (Math.max(held("+"), held("=")) - Math.max(held("-"), held("_"))) * s;
    this.ask("keys", pan || tilt || zoom ? { pan, tilt, zoom } : null);
  }

  // -- velocity: several inputs, one camera ---------------------------------------------------
  ask(source, velocity) {
    // A stick held inside its dead zone asks for nothing: no zero-speed moves, no audit rows.
    const still = !velocity || (!velocity.pan && !velocity.tilt && !velocity.zoom);
    this.sources[source] = still ? null : velocity;
    const wanted = Object.values(this.sources).find((v) => v) || null;
    if (!wanted) return this.halt();
    this.velocity = wanted;
    this.tile.dataset.ptz = "moving";
    const now = performance.now();
    if (now - this.lastSent >= SEND_MS) this.sendMove();
    else if (!this.pending) this.pending = setTimeout(() => this.sendMove(), SEND_MS - (now - this.lastSent));
    if (!this.repeat) this.repeat = setInterval(() => this.sendMove(), REPEAT_MS);
  }

  sendMove() {
    clearTimeout(this.pending);
    this.pending = null;
    this.lastSent = performance.now();
    const { pan, tilt, zoom } = this.velocity;
    this.send({ type: "move", pan, tilt, zoom });
  }

  halt() {
    const wasMoving = this.tile.dataset.ptz === "moving";
    this.reset();
    if (wasMoving) this.send({ type: "stop" });
  }

  reset() {
    clearTimeout(this.pending);
    clearInterval(this.repeat);
    this.pending = this.repeat = null;
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    this.tile.dataset.ptz = "idle";
  }

  stopAll() {
    this.sources = { stick: null, keys: null, zoom: null, pad: null };
    this.keys.clear();
    this.origin = null;
    delete this.tile.dataset.stick;
    if (this.knob) this.knob.hidden = this.box.hidden = true;
    if (this.pad) this.halt();
    this.focusSources = { button: null, keys: null, pad: null };
    this.haltFocus();
  }

  // The tile leaves the page (the layout changed): stop what it drives, and forget it.
  showStatus({ pan, tilt, zoom, moving, error }) {
    const at = (label, value) => (typeof value === "number" ? `${label} ${value.toFixed(2)}` : "");
    const parts = [at("pan", pan), at("tilt", tilt), at("zoom", zoom)].filter(Boolean);
    this.readout.textContent = `${parts.join(" ")}${moving ? " · moving" : ""}${error ? ` · ${error}` : ""}`;
  }

  dispose() {
    for (const dispose of this.disposers || []) dispose();
    clearInterval(this.statusTimer);
    this.stopAll();
    controls.delete(this);
    if (active === this) active = null;
  }

  // A focus answer about this tile's lens (a camera with several sensors has one per source).
  myLens(detail) {
    return detail.device === this.device && (!detail.source || !this.options.source || detail.source === this.options.source);
  }

  send(message) {
    const lens = message.type === "focus" && this.options.source ? { source: this.options.source } : {};
    if (!this.socket.send({ device: this.device, ...lens, ...message })) {
      this.say("PTZ is not connected yet; try again in a moment.");
    }
  }

  say(text) {
    this.message.textContent = text;
  }
}

// -- page-wide stop triggers and the gamepad ----------------------------------------------------
function stopEverything() {
  for (const control of controls) control.stopAll();
}

function pollGamepads() {
  const pad = [...navigator.getGamepads()].find((g) => g && g.connected);
  if (!pad) return;
  if (active) {
    const dead = (v) => (Math.abs(v) < 0.15 ? 0 : clamp(v));
    const trigger = (i) => pad.buttons[i]?.value || 0;
    const zoom = dead(pad.axes[3] !== undefined ? -pad.axes[3] : 0) || trigger(7) - trigger(6);
    const velocity = { pan: dead(pad.axes[0] || 0), tilt: dead(-(pad.axes[1] || 0)), zoom: dead(zoom) };
    const moving = velocity.pan || velocity.tilt || velocity.zoom;
    if (moving || active.sources.pad) active.ask("pad", moving ? velocity : null);
    if (active.options.focus) {
      // The shoulder buttons focus: left near, right far, held like the on-screen buttons.
      const pressed = (i) => Boolean(pad.buttons[i]?.pressed);
      const direction = pressed(4) ? "near" : pressed(5) ? "far" : null;
      if (direction !== active.focusSources.pad) active.askFocus("pad", direction);
    }
  }
  requestAnimationFrame(pollGamepads);
}

// Every tile whose video source has PTZ or focus controls (the "ptz-controls" JSON by live entry
// key: absent for viewers) gets them. Called again for the tiles a layout change adds: one socket serves them all.
let pageSocket = null;

export function startPtz(root = document) {
  const script = document.getElementById("ptz-controls");
  if (!script) return null;
  const options = JSON.parse(script.textContent);
  if (!Object.keys(options).length) return null;
  if (!pageSocket) {
    pageSocket = new PtzSocket();
    window.addEventListener("blur", stopEverything);
    window.addEventListener("pagehide", stopEverything);
    document.addEventListener("visibilitychange", () => document.hidden && stopEverything());
    window.addEventListener("gamepadconnected", () => requestAnimationFrame(pollGamepads));
  }
  for (const tile of root.querySelectorAll("[data-player][data-device]")) {
    const mine = options[tile.dataset.key];
    if (mine && !tile.ptz) tile.ptz = new PtzControl(tile, pageSocket, mine);
  }
  return pageSocket;
}
