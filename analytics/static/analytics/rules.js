// The analytics page (cameras/templates/configure/analytics.html): the camera's rules drawn over
// its live picture, and an editor for them built from what the camera says of each rule type
// (its parameters and their options): lines and areas drawn with clicks, the cells of the cell
// motion detector painted on the cell grid (Annex D), motion regions (Annex E), the motion
// expression of a declarative motion detector (C.5), and the rule's other parameters.
// Analytics modules are listed and their parameters edited alike.
// Writes go to /api/devices/<id>/analytics/... (analytics/api.py); the camera's refusal is
// shown in words. Coordinates are the normalised frame: x right, y up, (-1, -1) lower left.
import { messenger, playVideo, request } from "../cameras/common.js";
import { decodeCells, encodeCells } from "./cells.js";
import { element } from "../frontend/js/dom.js";

const root = document.querySelector("[data-analytics-editor]");
const svg = root.querySelector("[data-analytics-svg]");
const video = root.querySelector("video");
const NS = "http://www.w3.org/2000/svg";
const say = messenger(root.querySelector("[data-analytics-message]"));
const ruleForm = root.querySelector("[data-rule-form]");
const moduleForm = root.querySelector("[data-module-form]");
const SHAPES = {
  Polyline: "polyline", Polygon: "polygon", PolygonConfiguration: "polygon",
  PolylineArrayConfiguration: "polylines", MotionRegionConfig: "motion_region",
};
const INTEGER = new Set(["xs:int", "xs:integer", "xs:nonNegativeInteger", "xs:positiveInteger", "xs:long"]);
const NUMBER = new Set(["xs:float", "xs:double", "xs:decimal"]);

let state = JSON.parse(document.getElementById("analytics-state").textContent);
let config = state.configurations[0];
let W = 1600;
let H = 900;
let draft = null; // the rule being edited: {original, type, name, simple, elements}
let drawing = null; // the element parameter whose points the clicks add
let painting = null; // while painting cells: true (set) or false (clear)

const api = (path = "") => `/api/devices/${root.dataset.device}/analytics/${encodeURIComponent(config.token)}${path}`;
const local = (qname) => String(qname).split("}").pop().split(":").pop();
const round = (v) => Math.round(v * 1000) / 1000;
const toPx = ([x, y]) => [((x + 1) / 2) * W, ((1 - y) / 2) * H];

function shape(name, attributes = {}, parent = svg) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  parent.append(node);
  return node;
}

function fromEvent(event) {
  const box = svg.getBoundingClientRect();
  const x = ((event.clientX - box.left) / box.width) * 2 - 1;
  const y = 1 - ((event.clientY - box.top) / box.height) * 2;
  return [round(Math.max(-1, Math.min(1, x))), round(Math.max(-1, Math.min(1, y)))];
}

const description = (type, kind = "rules") => (kind === "rules" ? config.supported_rules : config.supported_modules).find((d) => d.type === type);
const optionFor = (type, name, kind = "rules") => (kind === "rules" ? config.rule_options : config.module_options).find((o) => o.type === type && o.name === name);

// -- the cell grid (Annex D): cell (c, r) spans [c, c+1] x [r, r+1], y down, then q = s*p + t ----
function cellCorners(c, r) {
  const layout = config.cell_layout;
  const [tx, ty] = layout.translate;
  const [sx, sy] = layout.scale;
  const a = toPx([sx * c + tx, sy * r + ty]);
  const b = toPx([sx * (c + 1) + tx, sy * (r + 1) + ty]);
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])];
}

function activeCells(rule) {
  const layout = config.cell_layout;
  if (!layout) return null;
  const count = layout.columns * layout.rows;
  const text = rule.simple?.ActiveCells;
  return (text && decodeCells(text, count)) || new Array(count).fill(false);
}

function cellAt(event) {
  const layout = config.cell_layout;
  const [x, y] = fromEvent(event);
  const [tx, ty] = layout.translate;
  const [sx, sy] = layout.scale;
  const c = Math.floor((x - tx) / sx);
  const r = Math.floor((y - ty) / sy);
  return c >= 0 && r >= 0 && c < layout.columns && r < layout.rows ? r * layout.columns + c : null;
}

// -- drawing ------------------------------------------------------------------------------------
function pointsOf(value) {
  if (!value) return [];
  if (value.kind === "polylines") return value.lines || [];
  return [value.points || []];
}

function drawRule(rule, selected) {
  const group = shape("g", { class: `rule${selected ? " selected" : ""}`, "data-rule": rule.name });
  shape("title", {}, group).textContent = `${rule.name} (${rule.label || local(rule.type)})`;
  for (const [name, value] of Object.entries(rule.elements || {})) {
    const closed = value.kind === "polygon" || value.kind === "motion_region";
    for (const points of pointsOf(value)) {
      if (!points.length) continue;
      const coords = points.map((p) => toPx(p).join(",")).join(" ");
      shape(closed ? "polygon" : "polyline", { points: coords, class: `shape ${value.kind}`, "data-element": name }, group);
      if (selected) for (const p of points) { const [cx, cy] = toPx(p); shape("circle", { cx, cy, r: 7, class: "handle" }, group); }
    }
  }
  if (local(rule.type) === "CellMotionDetector" && config.cell_layout) {
    const cells = activeCells(rule);
    const layout = config.cell_layout;
    cells.forEach((on, k) => {
      if (!on && !selected) return;
      const [x, y, w, h] = cellCorners(k % layout.columns, Math.floor(k / layout.columns));
      shape("rect", { x, y, width: w, height: h, class: `cell${on ? " on" : ""}`, "data-cell": k }, group);
    });
  }
  const first = pointsOf(Object.values(rule.elements || {})[0])[0]?.[0];
  if (first) {
    const [x, y] = toPx(first);
    shape("text", { x: x + 8, y: y - 8, class: "rule-label" }, group).textContent = rule.name;
  }
}

function draw() {
  svg.replaceChildren();
  for (const rule of config.rules) if (!draft || rule.name !== draft.original) drawRule(rule, false);
  if (draft) drawRule(draft, true);
  svg.dataset.mode = drawing ? "draw" : draft && local(draft.type) === "CellMotionDetector" ? "paint" : "";
}

// -- lists --------------------------------------------------------------------------------------
function listRules() {
  const list = root.querySelector("[data-rule-list]");
  list.replaceChildren(...config.rules.map((rule) => {
    const item = element("li", { "data-testid": "rule-item", "data-name": rule.name });
    const edit = element("button", { type: "button", class: "link" }, rule.name);
    edit.addEventListener("click", () => openRule(rule));
    item.append(edit, element("span", { class: "muted" }, ` ${rule.label || local(rule.type)} `));
    const events = element("a", { href: rule.url, "data-testid": "rule-page" }, "events");
    item.append(events);
    return item;
  }));
  const limit = config.rule_limit ? ` (${config.rules.length} of ${config.rule_limit})` : ` (${config.rules.length})`;
  root.querySelector("[data-rule-count]").textContent = limit;
  const types = root.querySelector("[data-rule-type]");
  types.replaceChildren(...config.supported_rules.filter((d) => !d.fixed).map((d) => element("option", { value: d.type }, d.label)));
  root.querySelector("[data-rule-new]").disabled = !types.options.length;
}

function listModules() {
  const list = root.querySelector("[data-module-list]");
  list.replaceChildren(...config.modules.map((module) => {
    const item = element("li", { "data-testid": "module-item" });
    const edit = element("button", { type: "button", class: "link" }, module.name);
    edit.addEventListener("click", () => openModule(module));
    const values = Object.entries(module.simple).map(([k, v]) => `${k} ${v}`).join(", ");
    item.append(edit, element("span", { class: "muted" }, ` ${module.label} ${values ? `· ${values}` : ""}`));
    return item;
  }));
  if (!config.modules.length) list.append(element("li", { class: "muted" }, "None reported."));
}

// -- a parameter field, from its description and the camera's option for it ---------------------
function seconds(duration) {
  const match = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(duration || "");
  if (!match) return "";
  return String(Number(match[1] || 0) * 3600 + Number(match[2] || 0) * 60 + Number(match[3] || 0));
}

function field(param, option, value) {
  const label = element("label", {}, param.name);
  let input;
  const type = param.type;
  if (type === "tt:Direction" && (value === undefined || value === "")) value = "Any"; // the standard's default
  if (option?.values?.length) {
    input = element("select", { name: param.name });
    for (const v of option.values) input.append(element("option", { value: v }, v));
  } else if (type === "tt:Direction") {
    input = element("select", { name: param.name });
    for (const v of ["Any", "Left", "Right"]) input.append(element("option", { value: v }, v));
  } else if (type === "xs:boolean") {
    input = element("input", { type: "checkbox", name: param.name });
    input.checked = value === "true";
    label.prepend(input);
    return label;
  } else if (type === "xs:duration" || option?.kind === "DurationRange") {
    input = element("input", { type: "number", name: param.name, step: "any", min: option?.minimum ?? 0, max: option?.maximum ?? undefined, "data-duration": "" });
    label.textContent = `${param.name} (s)`;
    value = seconds(value);
  } else if (INTEGER.has(type) || NUMBER.has(type)) {
    input = element("input", { type: "number", name: param.name, step: INTEGER.has(type) ? "1" : "any", min: option?.minimum ?? undefined, max: option?.maximum ?? undefined });
  } else {
    input = element("input", { name: param.name });
  }
  input.dataset.param = param.name;
  input.setAttribute("data-testid", `param-${param.name}`);
  if (value !== undefined && value !== null && value !== "") input.value = value;
  if (option && option.minimum !== null && option.minimum !== undefined && option.kind?.endsWith("Range")) {
    label.append(element("span", { class: "muted small" }, ` ${option.minimum} to ${option.maximum}`));
  }
  label.append(input);
  return label;
}

function readParams(container) {
  const simple = {};
  for (const input of container.querySelectorAll("[data-param]")) {
    if (input.type === "checkbox") simple[input.name] = input.checked ? "true" : "false";
    else if (input.value.trim() === "") continue;
    else if ("duration" in input.dataset) simple[input.name] = `PT${Number(input.value)}S`;
    else simple[input.name] = input.value.trim();
  }
  return simple;
}

// -- the rule editor ----------------------------------------------------------------------------
function openRule(rule = null) {
  const type = rule ? rule.type : root.querySelector("[data-rule-type]").value;
  const about = description(type);
  if (!about) return say("The camera does not describe this rule type: it cannot be edited here.");
  draft = {
    original: rule?.name ?? null, type, label: about.label, name: rule?.name ?? "",
    simple: { ...(rule?.simple || {}) }, elements: structuredClone(rule?.elements || {}),
  };
  drawing = null;
  ruleForm.hidden = false;
  ruleForm.querySelector("[data-rule-title]").textContent = rule ? `${rule.name}: ${about.label}` : `New ${about.label.toLowerCase()}`;
  ruleForm.elements.name.value = draft.name;
  ruleForm.elements.name.readOnly = Boolean(rule);
  root.querySelector("[data-rule-delete]").hidden = !rule;
  const params = ruleForm.querySelector("[data-rule-params]");
  params.replaceChildren(...about.parameters.filter((p) => !p.element && p.name !== "ActiveCells").map((p) => field(p, optionFor(type, p.name), draft.simple[p.name])));
  const shapes = ruleForm.querySelector("[data-rule-shapes]");
  shapes.replaceChildren();
  for (const param of about.parameters.filter((p) => p.element)) shapes.append(shapeTools(param));
  if (about.parameters.some((p) => p.name === "ActiveCells")) shapes.append(cellTools());
  ruleForm.elements.name.focus();
  draw();
}

function shapeTools(param) {
  const kind = SHAPES[local(param.type)];
  const box = element("div", { class: "shape-tools", "data-shape": param.name });
  if (local(param.type) === "MotionExpressionConfiguration" && draft.elements[param.name]?.kind !== "raw") {
    return expressionTools(param, box);
  }
  if (!kind) {
    box.append(element("p", { class: "muted small" }, `${param.name}: kept as the camera has it.`));
    return box;
  }
  const option = optionFor(draft.type, param.name);
  const limits = option?.vertex_limits ? ` (${option.vertex_limits[0]} to ${option.vertex_limits[1]} points)` : "";
  const start = element("button", { type: "button", "data-testid": `draw-${param.name}` }, `Draw ${param.name}`);
  const undo = element("button", { type: "button" }, "Undo point");
  const hint = element("p", { class: "muted small" }, kind === "polygon" || kind === "motion_region"
    ? `Click each corner of the area on the picture${limits}.`
    : kind === "polylines"
      ? `Click the points of a line on the picture, then “Add a line” for the next; objects crossing any of them are counted${limits.replace("points", "points per line")}.`
      : `Click the line's points on the picture; objects crossing it are reported${limits}.`);
  start.addEventListener("click", () => {
    drawing = { name: param.name, kind };
    draft.elements[param.name] = emptyShape(kind, draft.elements[param.name]);
    draw();
    say(`Drawing ${param.name}: click on the picture.`, "info");
  });
  undo.addEventListener("click", () => {
    const lines = pointsOf(draft.elements[param.name]);
    const last = lines[lines.length - 1];
    last?.pop();
    if (kind === "polylines" && last && !last.length && lines.length > 1) lines.pop();
    draw();
  });
  box.append(element("strong", {}, param.name), start);
  if (kind === "polylines") {
    const more = element("button", { type: "button", "data-testid": `add-line-${param.name}` }, "Add a line");
    more.addEventListener("click", () => {
      if (!draft.elements[param.name]?.lines) draft.elements[param.name] = emptyShape(kind);
      const lines = draft.elements[param.name].lines;
      if (!lines.length || lines[lines.length - 1].length) lines.push([]);
      drawing = { name: param.name, kind };
      draw();
      say(`Drawing line ${lines.length} of ${param.name}: click on the picture.`, "info");
    });
    box.append(more);
  }
  box.append(undo, hint);
  if (kind === "motion_region") {
    const region = draft.elements[param.name] || emptyShape(kind);
    draft.elements[param.name] = region;
    const armed = element("input", { type: "checkbox", "data-testid": "region-armed" });
    armed.checked = region.armed !== false;
    armed.addEventListener("change", () => { region.armed = armed.checked; });
    const armedLabel = element("label", {}, " Armed");
    armedLabel.prepend(armed);
    const sensitivity = element("input", { type: "number", min: "0", max: "1", step: "0.05", "data-testid": "region-sensitivity" });
    sensitivity.value = region.sensitivity ?? "";
    sensitivity.addEventListener("input", () => { region.sensitivity = sensitivity.value === "" ? null : Number(sensitivity.value); });
    const sensitivityLabel = element("label", {}, "Sensitivity (0 least, 1 most)");
    sensitivityLabel.append(sensitivity);
    box.append(armedLabel, sensitivityLabel);
  }
  return box;
}

// A declarative motion detector's expression (C.5): XPath over each object's scene description.
function expressionTools(param, box) {
  const value = draft.elements[param.name]?.kind === "expression"
    ? draft.elements[param.name]
    : { kind: "expression", expression: "", dialect: "" };
  draft.elements[param.name] = value;
  const text = element("textarea", { rows: "3", spellcheck: "false", "data-testid": `expression-${param.name}` });
  text.value = value.expression;
  text.addEventListener("input", () => { value.expression = text.value; });
  const dialect = element("input", { "data-testid": `dialect-${param.name}`, placeholder: "XPath 1.0" });
  dialect.value = value.dialect;
  dialect.addEventListener("input", () => { value.dialect = dialect.value; });
  const textLabel = element("label", {}, "Expression");
  textLabel.append(text);
  const dialectLabel = element("label", {}, "Dialect (empty: XPath 1.0)");
  dialectLabel.append(dialect);
  box.append(element("strong", {}, param.name), textLabel, dialectLabel, element("p", { class: "muted small" },
    "Evaluated on each object in the field, e.g. Appearance/Class/Type = 'Human' or Behaviour/Speed > 0.5."));
  return box;
}

function emptyShape(kind, kept = {}) {
  if (kind === "polylines") return { kind, lines: [[]] };
  if (kind === "motion_region") return { kind, points: [], armed: kept.armed ?? true, sensitivity: kept.sensitivity ?? null, preset: kept.preset || "" };
  return { kind, points: [] };
}

function cellTools() {
  const box = element("div", { class: "shape-tools", "data-cells": "" });
  if (!config.cell_layout) {
    box.append(element("p", { class: "muted small" }, "The camera reports no cell layout: the active cells are kept as they are."));
    return box;
  }
  const { columns, rows } = config.cell_layout;
  const count = element("span", { class: "muted", "data-testid": "cell-count" });
  const show = () => { count.textContent = ` ${activeCells(draft).filter(Boolean).length} of ${columns * rows} cells active`; };
  const fill = (on) => { draft.simple.ActiveCells = encodeCells(new Array(columns * rows).fill(on)); show(); draw(); };
  const all = element("button", { type: "button", "data-testid": "cells-all" }, "All cells");
  const none = element("button", { type: "button", "data-testid": "cells-none" }, "No cells");
  all.addEventListener("click", () => fill(true));
  none.addEventListener("click", () => fill(false));
  box.append(element("strong", {}, "Active cells"), count, all, none,
    element("p", { class: "muted small" }, `Paint the cells where motion counts on the ${columns} x ${rows} grid over the picture (drag; starting on an active cell clears).`));
  box.refresh = show;
  show();
  return box;
}

function paint(event) {
  const k = cellAt(event);
  if (k === null) return;
  const cells = activeCells(draft);
  if (painting === null) painting = !cells[k];
  if (cells[k] === painting) return;
  cells[k] = painting;
  draft.simple.ActiveCells = encodeCells(cells);
  ruleForm.querySelector("[data-cells]")?.refresh?.();
  draw();
}

svg.addEventListener("pointerdown", (event) => {
  if (!draft || event.button !== 0) return;
  if (drawing) {
    const value = draft.elements[drawing.name];
    const points = drawing.kind === "polylines" ? value.lines[value.lines.length - 1] : value.points;
    points.push(fromEvent(event));
    draw();
  } else if (local(draft.type) === "CellMotionDetector" && config.cell_layout) {
    svg.setPointerCapture(event.pointerId);
    painting = null;
    paint(event);
  }
});
svg.addEventListener("pointermove", (event) => { if (draft && painting !== null) paint(event); });
for (const end of ["pointerup", "pointercancel"]) svg.addEventListener(end, () => { painting = null; });

function closeRule() {
  draft = null;
  drawing = null;
  ruleForm.hidden = true;
  draw();
}

async function write(method, path, body, done) {
  try {
    state = await request(method, api(path), body);
  } catch (error) {
    say(error.message);
    return false;
  }
  config = state.configurations.find((c) => c.token === config.token) || state.configurations[0];
  listRules();
  listModules();
  say(done, "ok");
  return true;
}

ruleForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  draft.name = ruleForm.elements.name.value.trim();
  const simple = { ...readParams(ruleForm.querySelector("[data-rule-params]")) };
  if (draft.simple.ActiveCells) simple.ActiveCells = draft.simple.ActiveCells;
  const kept = ["raw", "cell_layout", "expression"];
  const elements = Object.fromEntries(Object.entries(draft.elements)
    .filter(([, v]) => pointsOf(v).some((p) => p.length) || kept.includes(v.kind))
    .map(([k, v]) => [k, v.kind === "polylines" ? { ...v, lines: v.lines.filter((l) => l.length) } : v]));
  const body = { name: draft.name, type: draft.type, simple, elements };
  const creating = draft.original === null;
  const saved = creating
    ? await write("POST", "/rules", body, `Rule “${body.name}” created on the camera.`)
    : await write("PUT", `/rules/${encodeURIComponent(draft.original)}`, body, `Rule “${body.name}” saved on the camera.`);
  if (saved) closeRule();
});

root.querySelector("[data-rule-cancel]").addEventListener("click", closeRule);
root.querySelector("[data-rule-delete]").addEventListener("click", async () => {
  const name = draft.original;
  if (!confirm(`Delete the rule “${name}” from the camera?`)) return;
  if (await write("DELETE", `/rules/${encodeURIComponent(name)}`, undefined, `Rule “${name}” deleted.`)) closeRule();
});
root.querySelector("[data-rule-new]").addEventListener("click", () => openRule());

// -- modules ------------------------------------------------------------------------------------
let module = null;
function openModule(chosen) {
  module = chosen;
  const about = description(chosen.type, "modules");
  moduleForm.hidden = false;
  moduleForm.querySelector("[data-module-title]").textContent = `${chosen.name}: ${chosen.label}`;
  const params = moduleForm.querySelector("[data-module-params]");
  params.replaceChildren(...(about?.parameters || []).filter((p) => !p.element).map((p) => field(p, optionFor(chosen.type, p.name, "modules"), chosen.simple[p.name])));
  if (!params.children.length) params.append(element("p", { class: "muted" }, "No parameter of this module can be changed."));
}
moduleForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { name: module.name, type: module.type, simple: readParams(moduleForm), elements: {} };
  if (await write("PUT", `/modules/${encodeURIComponent(module.name)}`, body, `Module “${module.name}” saved on the camera.`)) moduleForm.hidden = true;
});
root.querySelector("[data-module-cancel]").addEventListener("click", () => { moduleForm.hidden = true; });

// -- the picture ----------------------------------------------------------------------------------
function choose(token) {
  config = state.configurations.find((c) => c.token === token) || state.configurations[0];
  closeRule();
  listRules();
  listModules();
}
root.querySelector("[data-config-select]")?.addEventListener("change", (e) => choose(e.target.value));
video.addEventListener("loadedmetadata", () => {
  if (!video.videoWidth) return;
  H = Math.round((W * video.videoHeight) / video.videoWidth);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  root.querySelector("[data-testid=analytics-stage]").style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
  draw();
});
if (config.profile_token) {
  video.dataset.profile = config.profile_token;
  playVideo(video, root.querySelector("[data-testid=analytics-stage]"));
} else {
  say("No profile holds this analytics configuration: the rules are drawn without the picture.", "info");
}
choose(config.token);
