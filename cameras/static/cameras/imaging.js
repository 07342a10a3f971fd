// The imaging page (configure/imaging.html): each control sends its value to the camera as it
// moves (debounced), the picture follows, and the page shows what the camera reports after
// the change. Revert sends back the settings the page opened with.
import { messenger, playVideo, request } from "./common.js";

const root = document.querySelector("[data-imaging]");
const DEBOUNCE_MS = 250;
let state = JSON.parse(document.getElementById("imaging-state")?.textContent || "{}");
const opened = { ...state.settings };
const pending = {};
let timer = null;
let sending = Promise.resolve();

const say = root ? messenger(root.querySelector("[data-imaging-message]")) : () => {};

const api = (method, path, body) => request(
  method, `/api/devices/${root.dataset.device}/imaging/${encodeURIComponent(root.dataset.source)}${path}`, body,
);

function show(settings) {
  for (const control of root.querySelectorAll("[data-key]")) {
    const value = settings[control.dataset.key];
    if (value === undefined || control.dataset.key in pending) continue;
    control.value = value;
    const output = root.querySelector(`output[data-for-key="${control.dataset.key}"]`);
    if (output) output.textContent = value;
  }
  const current = root.querySelector("[data-current-preset]");
  if (current) current.textContent = state.current_preset?.name || "none (settings changed since, or the camera does not say)";
  const changed = Object.keys(opened).some((key) => opened[key] !== settings[key]);
  root.querySelector("[data-imaging-revert]").disabled = !changed;
}

function send(changes, done) {
  sending = sending.then(async () => {
    try {
      state = await api("PATCH", "", changes);
      say(done, "ok");
    } catch (error) {
      say(error.message);
    }
    show(state.settings);
  });
  return sending;
}

function flush() {
  const changes = { ...pending };
  for (const key of Object.keys(pending)) delete pending[key];
  const names = Object.keys(changes).map((key) => root.querySelector(`label[for="img-${key}"]`)?.textContent || key);
  return send(changes, `${names.join(", ")} sent: the camera reports it.`);
}

function onInput(event) {
  const control = event.target.closest("[data-key]");
  if (!control) return;
  const value = control.type === "range" ? Number(control.value) : control.value;
  pending[control.dataset.key] = value;
  const output = root.querySelector(`output[data-for-key="${control.dataset.key}"]`);
  if (output) output.textContent = value;
  clearTimeout(timer);
  timer = setTimeout(flush, DEBOUNCE_MS);
}

async function moveFocus(event) {
  event.preventDefault();
  const form = event.target;
  const value = Number(form.elements.value.value);
  if (form.elements.value.value === "" || Number.isNaN(value)) return say("Give the focus value as a number.");
  say("Moving the focus…", "info");
  try {
    state = await api("POST", "/focus", { move: form.elements.move.value, value });
    say("Focus move sent: the camera reports it in its focus status.", "ok");
  } catch (error) {
    say(error.message);
  }
  const status = root.querySelector("[data-focus-status]");
  const focus = state.status;
  if (status && focus) status.textContent = `${focus.focus_move_status}${focus.focus_position === null ? "" : ` at ${focus.focus_position.toFixed(2)}`}`;
  show(state.settings);
}

async function applyPreset(event) {
  event.preventDefault();
  const select = event.target.querySelector("select");
  say("Applying the preset…", "info");
  try {
    state = await api("PUT", "/preset", { token: select.value });
    say(`Preset ${select.selectedOptions[0].textContent} applied.`, "ok");
  } catch (error) {
    say(error.message);
  }
  show(state.settings);
}

if (root) {
  const form = root.querySelector("[data-imaging-form]");
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); flush(); });
  root.querySelector("[data-preset-form]")?.addEventListener("submit", applyPreset);
  root.querySelector("[data-focus-form]")?.addEventListener("submit", moveFocus);
  root.querySelector("[data-source-select]")?.addEventListener("change", (e) => e.target.form.requestSubmit());
  root.querySelector("[data-imaging-revert]").addEventListener("click", () => {
    const back = {};
    for (const [key, value] of Object.entries(opened)) if (state.settings[key] !== value) back[key] = value;
    clearTimeout(timer);
    for (const key of Object.keys(pending)) delete pending[key];
    send(back, "The settings the page opened with are back.");
  });
  const video = root.querySelector("video[data-profile]");
  if (video) playVideo(video, root);
  show(state.settings);
}
