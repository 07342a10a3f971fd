// The privacy mask and OSD editor (configure/overlays.html). Coordinates are the standard's:
// x and y from -1 to 1 over the video source configuration's window, y upwards; the SVG over
// the video uses the window's pixels. Every change goes to the JSON API, which answers what
// the camera reports afterwards (GetMasks/GetOSDs): the editor redraws from that answer.
import { messenger, playVideo, request } from "./common.js";

const root = document.querySelector("[data-overlay-editor]");
const svg = root?.querySelector("[data-overlay-svg]");
const NS = "http://www.w3.org/2000/svg";
const [, , W, H] = (svg?.getAttribute("viewBox") || "0 0 1 1").split(" ").map(Number);
const STEP = 0.02; // arrow keys; with Shift, five times that
let state = JSON.parse(document.getElementById("overlay-state")?.textContent || "{}");

const base = () => `/api/devices/${root.dataset.device}/media/sources/${encodeURIComponent(root.dataset.source)}`;
const say = root ? messenger(root.querySelector("[data-overlay-message]")) : () => {};
const api = (method, path, body) => request(method, `${base()}${path}`, body);

// -- coordinates ----------------------------------------------------------------------------------
const clamp = (v) => Math.max(-1, Math.min(1, v));
const round = (v) => Math.round(v * 1000) / 1000;
const toPx = ([x, y]) => [((x + 1) / 2) * W, ((1 - y) / 2) * H];
function fromEvent(event) {
  const box = svg.getBoundingClientRect();
  const x = ((event.clientX - box.left) / box.width) * 2 - 1;
  const y = 1 - ((event.clientY - box.top) / box.height) * 2;
  return [round(clamp(x)), round(clamp(y))];
}
const colorKey = (c) => (c ? `${c.x} ${c.y} ${c.z}` : "");
function el(name, attrs = {}, parent = svg) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.append(node);
  return node;
}

// -- masks ----------------------------------------------------------------------------------------
const maskTools = root?.querySelector("[data-mask-tools]");
const maskOptions = () => state.mask_options || { max_masks: 0, max_points: 0, types: [], colors: [] };
let drawing = null; // points of a new mask being drawn
let selected = null; // token of the mask being moved or reshaped
let working = null; // its points while changed, before Save
let cursor = [0, 0]; // the keyboard's cross while drawing
let activeVertex = null; // index of the corner the keyboard moves
let drag = null;

function addPoint(point) {
  const max = maskOptions().max_points;
  if (max && drawing.length >= max) {
    say(`The camera allows at most ${max} points per mask: save this mask, or remove a point (Backspace).`);
    return;
  }
  drawing.push(point);
  say(`${drawing.length} point${drawing.length === 1 ? "" : "s"}${max ? ` of at most ${max}` : ""}.`, "info");
  render();
}

function startDrawing() {
  const { max_masks: maxMasks } = maskOptions();
  if (maxMasks && state.masks.length >= maxMasks) {
    say(`The camera holds at most ${maxMasks} masks here: delete one first.`);
    return;
  }
  revert();
  drawing = [];
  cursor = [0, 0];
  say("Click each corner of the mask on the picture, then Save mask.", "info");
  svg.focus();
  render();
}

function revert() {
  drawing = null;
  working = null;
  activeVertex = null;
  render();
}

function select(token) {
  if (drawing) return;
  selected = token;
  working = null;
  activeVertex = null;
  const mask = state.masks.find((m) => m.token === token);
  if (mask) {
    maskTools.querySelector("[data-mask-type]").value = mask.type;
    const color = maskTools.querySelector("[data-mask-color]");
    if (color && mask.color) color.value = colorKey(mask.color);
  }
  render();
}

function currentPoints() {
  if (drawing) return drawing;
  if (working) return working;
  return state.masks.find((m) => m.token === selected)?.points.map((p) => [...p]) || null;
}

function moveSelected(dx, dy) {
  const points = currentPoints();
  if (!points || drawing) return;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  dx = Math.max(-1 - Math.min(...xs), Math.min(1 - Math.max(...xs), dx)); // the whole mask stays on the picture
  dy = Math.max(-1 - Math.min(...ys), Math.min(1 - Math.max(...ys), dy));
  working = points.map(([x, y]) => [round(x + dx), round(y + dy)]);
  render();
}

function moveVertex(index, point) {
  const points = currentPoints();
  if (!points) return;
  points[index] = point;
  if (!drawing) working = points;
  render();
}

async function saveMask() {
  const body = {
    points: currentPoints(),
    type: maskTools.querySelector("[data-mask-type]").value,
    color: maskTools.querySelector("[data-mask-color]")?.value || null,
  };
  if (!body.points) return;
  say("Saving…", "info");
  try {
    if (drawing) {
      if (drawing.length < 3) return say("A mask needs at least 3 points.");
      const answer = await api("POST", "/masks", body);
      state = answer;
      selected = answer.token;
      say(`Mask ${answer.token} saved: the camera now hides it.`, "ok");
    } else {
      state = await api("PUT", `/masks/${encodeURIComponent(selected)}`, body);
      say(`Mask ${selected} changed: the camera now hides the new area.`, "ok");
    }
    drawing = working = null;
  } catch (error) {
    say(error.message);
  }
  render();
}

async function deleteMask() {
  if (!selected || drawing) return;
  if (!confirm(`Delete the mask ${selected}? What it hides becomes visible to every viewer.`)) return;
  say("Deleting…", "info");
  try {
    state = await api("DELETE", `/masks/${encodeURIComponent(selected)}`);
    say(`Mask ${selected} deleted.`, "ok");
    selected = working = null;
  } catch (error) {
    say(error.message);
  }
  render();
}

function drawMasks() {
  const r = W / 120;
  for (const mask of state.masks) {
    const editing = mask.token === selected && !drawing;
    const points = editing && working ? working : mask.points;
    const polygon = el("polygon", {
      points: points.map(toPx).map((p) => p.join(",")).join(" "),
      class: `mask${editing ? " selected" : ""}${mask.enabled ? "" : " disabled"}`,
      tabindex: "0",
      role: "button",
      "aria-label": `Mask ${mask.token}, ${mask.type}${editing ? ", selected" : ""}`,
      "data-token": mask.token,
      "data-testid": "mask-outline",
    });
    polygon.addEventListener("focus", () => { if (selected !== mask.token) select(mask.token); });
    if (editing) drawHandles(points, r);
  }
  if (drawing) {
    if (drawing.length) {
      el("polyline", {
        points: [...drawing, drawing[0]].map(toPx).map((p) => p.join(",")).join(" "),
        class: "mask draft",
        "data-testid": "mask-draft",
      });
    }
    drawHandles(drawing, r);
    const [cx, cy] = toPx(cursor);
    el("path", { d: `M${cx - 2 * r},${cy}h${4 * r}M${cx},${cy - 2 * r}v${4 * r}`, class: "cursor" });
  }
}

function drawHandles(points, r) {
  points.forEach((point, index) => {
    const [cx, cy] = toPx(point);
    const handle = el("circle", {
      cx, cy, r, class: `handle${index === activeVertex ? " active" : ""}`, tabindex: "0",
      role: "button", "aria-label": `Corner ${index + 1}: ${point[0]}, ${point[1]}`, "data-vertex": index,
    });
    handle.addEventListener("focus", () => { activeVertex = index; });
  });
}

function listMasks() {
  if (!maskTools) return;
  const list = maskTools.querySelector("[data-mask-list]");
  list.replaceChildren();
  for (const mask of state.masks) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${mask.token}: ${mask.type}, ${mask.points.length} points`;
    button.setAttribute("aria-pressed", String(mask.token === selected));
    button.addEventListener("click", () => select(mask.token));
    item.append(button);
    list.append(item);
  }
  const { max_masks: maxMasks } = maskOptions();
  maskTools.querySelector("[data-mask-count]").textContent = maxMasks ? `(${state.masks.length} of ${maxMasks})` : "";
  const editing = Boolean(drawing || working);
  maskTools.querySelector("[data-mask-save]").disabled = !(drawing ? drawing.length >= 3 : working);
  maskTools.querySelector("[data-mask-cancel]").disabled = !editing && !selected;
  maskTools.querySelector("[data-mask-delete]").disabled = !selected || Boolean(drawing);
  maskTools.querySelector("[data-mask-new]").disabled = Boolean(drawing);
}

// -- OSDs -----------------------------------------------------------------------------------------
const osdTools = root?.querySelector("[data-osd-tools]");
const form = osdTools?.querySelector("[data-osd-form]");

const pad = (n) => String(n).padStart(2, "0");
function formatTime(format, when) {
  const h12 = when.getUTCHours() % 12 || 12;
  const values = {
    yyyy: when.getUTCFullYear(), MMMM: when.toLocaleString("en", { month: "long", timeZone: "UTC" }),
    MM: pad(when.getUTCMonth() + 1), M: when.getUTCMonth() + 1,
    dddd: when.toLocaleString("en", { weekday: "long", timeZone: "UTC" }), dd: pad(when.getUTCDate()),
    d: when.getUTCDate(), HH: pad(when.getUTCHours()), H: when.getUTCHours(), hh: pad(h12), h: h12,
    mm: pad(when.getUTCMinutes()), ss: pad(when.getUTCSeconds()), tt: when.getUTCHours() < 12 ? "AM" : "PM",
  };
  return format.replace(/yyyy|MMMM|MM|M|dddd|dd|d|HH|H|hh|h|mm|ss|tt/g, (token) => values[token]);
}

function osdText(osd, when = new Date()) {
  const date = formatTime(osd.date_format || "yyyy-MM-dd", when);
  const time = formatTime(osd.time_format || "HH:mm:ss", when);
  return { Plain: osd.plain_text, Date: date, Time: time, DateAndTime: `${date} ${time}` }[osd.text_type] ?? osd.plain_text;
}

function draftOsd() {
  if (!form) return null;
  const data = new FormData(form);
  const position = data.get("position");
  const size = Number(data.get("font_size"));
  return {
    token: data.get("token") || "",
    type: data.get("type") || "Text",
    image_path: data.get("image_path") || "",
    position,
    point: position === "Custom" ? [clamp(Number(data.get("x")) || 0), clamp(Number(data.get("y")) || 0)] : null,
    text_type: data.get("text_type"),
    plain_text: data.get("plain_text") || "",
    date_format: data.get("date_format") || "",
    time_format: data.get("time_format") || "",
    font_size: size > 0 ? size : null,
    font_color: data.get("font_color") || null,
    background_color: data.get("background_color") || null,
    background_transparent: data.get("background_transparent") ? 1 : data.get("background_color") ? 0 : null,
  };
}

function drawOsds() {
  if (!osdTools) return;
  const draft = draftOsd();
  const shown = state.osds.filter((o) => o.token !== draft.token);
  const stacks = { UpperLeft: H / 40, UpperRight: H / 40, LowerLeft: 0, LowerRight: 0 };
  for (const osd of [...shown, draft]) {
    const size = osd.font_size ? (osd.font_size * H) / 1080 : H / 30;
    const text = osd.type === "Image" ? `[${osd.image_path.split("/").pop() || "image"}]` : osdText(osd);
    const width = text.length * size * 0.62 + size * 0.4;
    const height = size * 1.3;
    let x;
    let y;
    if (osd.position === "Custom" && osd.point) {
      [x, y] = toPx(osd.point);
    } else {
      const corner = osd.position in stacks ? osd.position : "UpperLeft";
      x = corner.endsWith("Left") ? 4 : W - width - 4;
      y = corner.startsWith("Upper") ? stacks[corner] + 4 : H - stacks[corner] - height - 4;
      stacks[corner] += height + 4;
    }
    const isDraft = osd === draft;
    const group = el("g", { class: `osd${isDraft ? " draft" : ""}`, "data-testid": isDraft ? "osd-preview" : "osd-outline" });
    el("rect", { x, y, width, height }, group);
    const label = el("text", { x: x + size * 0.2, y: y + size * 1.0, "font-size": size }, group);
    label.textContent = text;
    if (isDraft && osd.position === "Custom") {
      group.classList.add("movable");
      group.addEventListener("pointerdown", (event) => {
        event.stopPropagation();
        drag = { kind: "osd", start: fromEvent(event), from: osd.point };
        svg.setPointerCapture(event.pointerId);
      });
    }
  }
}

function listOsds() {
  if (!osdTools) return;
  const list = osdTools.querySelector("[data-osd-list]");
  list.replaceChildren();
  for (const osd of state.osds) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${osd.token}: ${osd.type === "Text" ? osd.text_type : osd.type} at ${osd.position}`;
    button.addEventListener("click", () => editOsd(osd));
    item.append(button);
    list.append(item);
  }
  const max = state.osd_options?.max_total;
  osdTools.querySelector("[data-osd-count]").textContent = max ? `(${state.osds.length} of ${max})` : "";
}

function showOsdFields() {
  const image = form.elements.type.value === "Image";
  form.querySelector('[data-for="text"]').hidden = image;
  const slot = form.querySelector('[data-for="image"]');
  if (slot) slot.hidden = !image;
  const type = form.elements.text_type.value;
  const custom = form.elements.position.value === "Custom";
  form.querySelector('[data-for="plain"]').hidden = type !== "Plain";
  const date = form.querySelector('[data-for="date"]');
  if (date) date.hidden = !type.includes("Date");
  const time = form.querySelector('[data-for="time"]');
  if (time) time.hidden = !type.endsWith("Time");
  form.querySelector('[data-for="custom"]').hidden = !custom;
}

function editOsd(osd) {
  const f = form.elements;
  f.token.value = osd?.token || "";
  if (osd) {
    f.type.value = osd.type;
    if (f.image_path && osd.image_path) f.image_path.value = osd.image_path;
    f.text_type.value = osd.text_type;
    f.plain_text.value = osd.plain_text;
    if (f.date_format && osd.date_format) f.date_format.value = osd.date_format;
    if (f.time_format && osd.time_format) f.time_format.value = osd.time_format;
    f.position.value = osd.position;
    [f.x.value, f.y.value] = osd.point || [0, 0];
    if (f.font_size) f.font_size.value = osd.font_size || "";
    if (f.font_color) f.font_color.value = colorKey(osd.font_color?.color);
    if (f.background_color) f.background_color.value = colorKey(osd.background_color?.color);
    if (f.background_transparent) f.background_transparent.checked = Boolean(osd.background_color?.transparent);
  } else {
    form.reset();
  }
  form.querySelector("[data-osd-save]").textContent = osd ? "Save OSD" : "Add OSD";
  form.querySelector("[data-osd-new]").hidden = !osd;
  form.querySelector("[data-osd-delete]").hidden = !osd;
  showOsdFields();
  render();
}

async function saveOsd(event) {
  event.preventDefault();
  const draft = draftOsd();
  const { token, ...body } = draft;
  say("Saving…", "info");
  try {
    if (token) {
      state = await api("PUT", `/osds/${encodeURIComponent(token)}`, body);
      say(`OSD ${token} saved.`, "ok");
      editOsd(state.osds.find((o) => o.token === token));
    } else {
      const answer = await api("POST", "/osds", body);
      state = answer;
      say(`OSD ${answer.token} added: the camera now shows it.`, "ok");
      editOsd(state.osds.find((o) => o.token === answer.token));
    }
  } catch (error) {
    say(error.message);
  }
  render();
}

async function deleteOsd() {
  const token = form.elements.token.value;
  if (!token || !confirm(`Delete the OSD ${token}?`)) return;
  try {
    state = await api("DELETE", `/osds/${encodeURIComponent(token)}`);
    say(`OSD ${token} deleted.`, "ok");
    editOsd(null);
  } catch (error) {
    say(error.message);
  }
}

// -- drawing and input ----------------------------------------------------------------------------
function render() {
  svg.replaceChildren();
  drawMasks();
  drawOsds();
  listMasks();
  listOsds();
  svg.dataset.mode = drawing ? "draw" : selected ? "selected" : "idle";
}

function onPointerDown(event) {
  if (event.button !== 0) return;
  const point = fromEvent(event);
  const vertex = event.target.dataset?.vertex;
  if (vertex !== undefined) {
    activeVertex = Number(vertex);
    drag = { kind: "vertex", index: activeVertex };
  } else if (drawing) {
    addPoint(point);
    return;
  } else if (event.target.dataset?.token) {
    if (selected !== event.target.dataset.token) select(event.target.dataset.token);
    drag = { kind: "mask", start: point, from: currentPoints() };
  } else {
    return;
  }
  svg.setPointerCapture(event.pointerId);
  event.preventDefault();
}

function onPointerMove(event) {
  if (!drag) return;
  const point = fromEvent(event);
  if (drag.kind === "vertex") moveVertex(drag.index, point);
  else if (drag.kind === "mask") {
    working = drag.from.map((p) => [...p]);
    moveSelected(point[0] - drag.start[0], point[1] - drag.start[1]);
  } else if (drag.kind === "osd") {
    form.elements.x.value = round(clamp(drag.from[0] + point[0] - drag.start[0]));
    form.elements.y.value = round(clamp(drag.from[1] + point[1] - drag.start[1]));
    render();
  }
}

function onKey(event) {
  const step = event.shiftKey ? STEP * 5 : STEP;
  const arrows = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (event.key in arrows) {
    const [dx, dy] = arrows[event.key];
    if (drawing) {
      cursor = [round(clamp(cursor[0] + dx)), round(clamp(cursor[1] + dy))];
      render();
    } else if (selected && activeVertex !== null) {
      const p = currentPoints()[activeVertex];
      moveVertex(activeVertex, [round(clamp(p[0] + dx)), round(clamp(p[1] + dy))]);
    } else if (selected) moveSelected(dx, dy);
    else return;
  } else if (event.key === " " && drawing) addPoint([...cursor]);
  else if (event.key === "Backspace" && drawing) { drawing.pop(); render(); }
  else if (event.key === "Enter" && (drawing || working)) saveMask();
  else if (event.key === "Escape") { revert(); if (!drawing) selected = null; render(); }
  else if (event.key === "Delete" && selected && !drawing) deleteMask();
  else return;
  event.preventDefault();
}

if (root && svg) {
  svg.parentElement.style.aspectRatio = `${W} / ${H}`; // the window's shape (CSP: no inline style)
  svg.addEventListener("pointerdown", onPointerDown);
  svg.addEventListener("pointermove", onPointerMove);
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("pointercancel", () => { drag = null; });
  svg.addEventListener("keydown", onKey);
  root.querySelector("[data-source-select]")?.addEventListener("change", (e) => e.target.form.requestSubmit());
  if (maskTools) {
    maskTools.querySelector("[data-mask-new]").addEventListener("click", startDrawing);
    maskTools.querySelector("[data-mask-save]").addEventListener("click", saveMask);
    maskTools.querySelector("[data-mask-cancel]").addEventListener("click", () => { revert(); selected = null; render(); say("", "info"); });
    maskTools.querySelector("[data-mask-delete]").addEventListener("click", deleteMask);
  }
  if (form) {
    form.addEventListener("submit", saveOsd);
    form.addEventListener("input", () => { showOsdFields(); render(); });
    form.querySelector("[data-osd-new]").addEventListener("click", () => editOsd(null));
    form.querySelector("[data-osd-delete]").addEventListener("click", deleteOsd);
    showOsdFields();
    setInterval(() => { if (!drag) drawOsdsOnly(); }, 1000); // the clock in date/time previews
  }
  render();
  const video = root.querySelector("video[data-profile]");
  if (video) playVideo(video, root);
}

function drawOsdsOnly() {
  for (const node of svg.querySelectorAll("g.osd")) node.remove();
  drawOsds();
}
