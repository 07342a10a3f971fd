// The preset tours page (cameras/templates/configure/tours.html): the camera's tours with their
// state (re-read every POLL_MS while the page is shown), and an editor for a tour's spots
// (preset or home, speed, stay time; reordered with the arrows), direction, random order,
// rounds, duration and auto start, offered as the camera's tour options allow. Writes go to
// /api/devices/<id>/ptz/tours (ptz/tour_api.py); the camera's refusal is shown in words.
import { messenger, request } from "../cameras/common.js";
import { element } from "../frontend/js/dom.js";

const POLL_MS = 2000;
const STATES = { Idle: "idle", Touring: "touring", Paused: "paused" };

const root = document.querySelector("[data-tours]");
const editor = document.querySelector("[data-tour-editor]");
const form = editor.querySelector("[data-tour-form]");
const spotRows = editor.querySelector("[data-spot-rows]");
const say = messenger(document.querySelector("[data-tour-message]"));
const api = `/api/devices/${root.dataset.device}/ptz/tours`;
let state = JSON.parse(document.getElementById("tours-state").textContent);
let editing = null; // token of the tour in the editor; "" for a new one; null when closed

const seconds = (value) => (value === null || value === undefined ? "" : `${Number(value)}`);
const range = (span, unit = "") => (span ? `${span[0]}${unit} to ${span[1]}${unit}` : "");

function order(tour) {
  const parts = [tour.random ? "random" : tour.direction.toLowerCase()];
  if (tour.recurring_time) parts.push(`${tour.recurring_time} round${tour.recurring_time === 1 ? "" : "s"}`);
  if (tour.recurring_duration) parts.push(`for ${tour.recurring_duration} s`);
  if (!tour.recurring_time && !tour.recurring_duration) parts.push("until stopped");
  if (tour.auto_start) parts.push("starts by itself");
  return parts.join(", ");
}

// -- the list -----------------------------------------------------------------------------------
function showList() {
  const rows = state.tours.map((tour) => {
    const row = element("tr", { "data-testid": "tour", "data-token": tour.token });
    const stateText = STATES[tour.state] || tour.state;
    const where = tour.current && tour.state !== "Idle" ? ` at ${tour.current}` : "";
    const spots = tour.spots.map((s) => `${s.label} (${seconds(s.stay) || "?"} s)`).join(" → ");
    row.append(
      element("td", { "data-testid": "tour-name" }, tour.name || tour.token),
      element("td", { "data-testid": "tour-state", "data-state": tour.state }, stateText + where),
      element("td", { class: "small" }, spots || "no spots"),
      element("td", { class: "small" }, order(tour)),
    );
    const actions = element("td", { class: "actions" });
    const edit = element("button", { type: "button", "data-testid": "tour-edit" }, "Edit");
    edit.addEventListener("click", () => openEditor(tour));
    const remove = element("button", { type: "button", class: "danger", "data-testid": "tour-remove" }, "Remove");
    remove.addEventListener("click", () => removeTour(tour));
    actions.append(edit, remove);
    row.append(actions);
    return row;
  });
  root.querySelector("[data-tour-rows]").replaceChildren(...rows);
  root.querySelector("[data-tour-none]").hidden = rows.length > 0;
  root.querySelector("[data-tour-new]").disabled = state.tours.length >= state.max_tours;
}

async function refresh() {
  if (document.hidden) return;
  try {
    state = await request("GET", api);
    showList();
  } catch (error) {
    say(`The tours could not be re-read: ${error.message}`);
  }
}

async function removeTour(tour) {
  if (!confirm(`Remove the tour “${tour.name || tour.token}” from the camera?`)) return;
  try {
    state = await request("DELETE", `${api}/${encodeURIComponent(tour.token)}`);
    if (editing === tour.token) closeEditor();
    showList();
    say(`Tour “${tour.name || tour.token}” removed.`, "ok");
  } catch (error) {
    say(error.message);
  }
}

// -- the editor ---------------------------------------------------------------------------------
function spotRow(spot = {}) {
  const row = element("tr", { "data-testid": "tour-spot" });
  const where = element("select", { "aria-label": "Go to", "data-testid": "spot-preset", name: "spot" });
  where.append(element("option", { value: "" }, "Choose…"));
  for (const preset of state.presets) where.append(element("option", { value: `preset:${preset.token}` }, preset.name));
  if (state.options.home) where.append(element("option", { value: "home" }, "Home position"));
  if (spot.position) where.append(element("option", { value: "position" }, spot.label));
  where.value = spot.preset ? `preset:${spot.preset}` : spot.home ? "home" : spot.position ? "position" : "";
  row.position = spot.position || null;
  const speed = element("input", { type: "number", min: "0.05", max: "1", step: "0.05", "aria-label": "Speed", "data-testid": "spot-speed", placeholder: "default" });
  speed.value = spot.speed ?? "";
  const stay = element("input", { type: "number", min: "0", step: "1", "aria-label": "Stay (s)", "data-testid": "spot-stay", placeholder: "default" });
  if (state.options.stay) Object.assign(stay, { min: state.options.stay[0], max: state.options.stay[1] });
  stay.value = seconds(spot.stay);
  const tools = element("td", { class: "actions" });
  for (const [label, title, move] of [["↑", "Earlier", -1], ["↓", "Later", 1], ["✕", "Remove the spot", 0]]) {
    const b = element("button", { type: "button", title, "aria-label": title }, label);
    b.addEventListener("click", () => {
      if (move === 0) row.remove();
      else if (move < 0 && row.previousElementSibling) row.previousElementSibling.before(row);
      else if (move > 0 && row.nextElementSibling) row.nextElementSibling.after(row);
      numberSpots();
    });
    tools.append(b);
  }
  const cell = (child) => { const td = element("td"); td.append(child); return td; };
  row.append(element("td", { class: "muted" }), cell(where), cell(speed), cell(stay), tools);
  return row;
}

function numberSpots() {
  [...spotRows.children].forEach((row, n) => { row.firstElementChild.textContent = String(n + 1); });
}

function openEditor(tour = null) {
  editing = tour ? tour.token : "";
  const options = state.options;
  editor.querySelector("[data-editor-title]").textContent = tour ? `Edit ${tour.name || tour.token}` : "New tour";
  form.elements.name.value = tour?.name || "";
  const direction = form.elements.direction;
  const directions = options.directions.length ? options.directions : ["Forward"];
  direction.replaceChildren(...directions.map((d) => element("option", { value: d }, d === "Forward" ? "Forward (list order)" : "Backward (reverse order)")));
  direction.value = tour?.direction || "Forward";
  form.elements.random.checked = Boolean(tour?.random);
  form.elements.recurring_time.value = tour?.recurring_time ?? "";
  form.elements.recurring_duration.value = seconds(tour?.recurring_duration);
  editor.querySelector("[data-auto-start]").hidden = !options.auto_start;
  form.elements.auto_start.checked = Boolean(tour?.auto_start);
  editor.querySelector("[data-stay-range]").textContent = options.stay ? `The camera allows stay times of ${range(options.stay, " s")}.` : "";
  const limits = [options.recurring_time && `rounds ${range(options.recurring_time)}`, options.recurring_duration && `duration ${range(options.recurring_duration, " s")}`].filter(Boolean);
  editor.querySelector("[data-running-range]").textContent = limits.length ? `The camera allows ${limits.join(", ")}.` : "";
  const spots = tour?.spots.length ? tour.spots : [{}, {}];
  spotRows.replaceChildren(...spots.map(spotRow));
  numberSpots();
  editor.hidden = false;
  form.elements.name.focus();
}

function closeEditor() {
  editing = null;
  editor.hidden = true;
}

const optionalNumber = (input) => (input.value.trim() === "" ? null : Number(input.value));

function posted() {
  const spots = [];
  for (const [n, row] of [...spotRows.children].entries()) {
    const where = row.querySelector("select").value;
    const speed = optionalNumber(row.querySelector('[data-testid="spot-speed"]'));
    const stay = optionalNumber(row.querySelector('[data-testid="spot-stay"]'));
    if (!where) {
      if (speed === null && stay === null) continue; // an empty row
      throw new Error(`Spot ${n + 1}: choose a preset to go to.`);
    }
    if (where === "position") throw new Error(`Spot ${n + 1} goes to a position set on the camera: replace it with a preset.`);
    spots.push({ preset: where.startsWith("preset:") ? where.slice(7) : "", home: where === "home", speed, stay });
  }
  return {
    name: form.elements.name.value.trim(),
    direction: form.elements.direction.value,
    random: form.elements.random.checked,
    auto_start: form.elements.auto_start.checked,
    recurring_time: optionalNumber(form.elements.recurring_time),
    recurring_duration: optionalNumber(form.elements.recurring_duration),
    spots,
  };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  let body;
  try {
    body = posted();
  } catch (error) {
    return say(error.message);
  }
  const creating = editing === "";
  try {
    state = creating
      ? await request("POST", api, body)
      : await request("PUT", `${api}/${encodeURIComponent(editing)}`, body);
  } catch (error) {
    return say(error.message);
  }
  closeEditor();
  showList();
  say(`Tour “${body.name || "without a name"}” ${creating ? "created" : "saved"} on the camera.`, "ok");
});

editor.querySelector("[data-spot-add]").addEventListener("click", () => {
  spotRows.append(spotRow());
  numberSpots();
});
editor.querySelector("[data-tour-cancel]").addEventListener("click", closeEditor);
root.querySelector("[data-tour-new]").addEventListener("click", () => openEditor());

showList();
setInterval(refresh, POLL_MS);
